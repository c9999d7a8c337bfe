"""Attention in float64 with broadcasting sums instead of matmul; returns float32 (a correct alternative)."""
import torch


def softmax(x, dim=-1):
    if not isinstance(x, torch.Tensor):
        raise ValueError("x must be a torch.Tensor")
    if isinstance(dim, bool) or not isinstance(dim, int) or not -max(x.ndim, 1) <= dim < max(x.ndim, 1):
        raise ValueError(f"dim is out of range: {dim!r}")
    xd = x.to(torch.float64)
    top = xd.max(dim=dim, keepdim=True).values
    e = (xd - top).exp()
    out = e / e.sum(dim=dim, keepdim=True)
    return out.to(x.dtype) if x.is_floating_point() else out.float()


def _scores64(q, k, scale):
    if not isinstance(q, torch.Tensor) or not isinstance(k, torch.Tensor) or q.ndim < 2 or k.ndim < 2:
        raise ValueError("q and k must be tensors of shape [..., L, dk]")
    dk = q.shape[-1]
    if k.shape[-1] != dk:
        raise ValueError("q and k must share dk")
    s = (q.double().unsqueeze(-2) * k.double().unsqueeze(-3)).sum(dim=-1)  # [..., Lq, Lk]
    return s * (dk ** -0.5 if scale is None else float(scale))


def attention_scores(q, k, scale=None):
    return _scores64(q, k, scale).float()


def _weights64(q, k, mask, scale):
    s = _scores64(q, k, scale)
    if mask is not None:
        if not isinstance(mask, torch.Tensor) or mask.dtype == torch.bool:
            raise ValueError("mask must be an additive float tensor")
        s = s + mask.double()
    top = s.max(dim=-1, keepdim=True).values
    e = (s - top).exp()
    return e / e.sum(dim=-1, keepdim=True)


def attention_weights(q, k, mask=None, scale=None):
    return _weights64(q, k, mask, scale).float()


def scaled_dot_product_attention(q, k, v, mask=None, scale=None):
    if not isinstance(v, torch.Tensor) or v.ndim < 2:
        raise ValueError("v must have shape [..., Lk, dv]")
    w = _weights64(q, k, mask, scale)
    out = (w.unsqueeze(-1) * v.double().unsqueeze(-3)).sum(dim=-2)  # [..., Lq, Lk, dv] summed over keys
    return out.float()
