"""Attention from PyTorch built-ins: torch.softmax, k.mT and F.scaled_dot_product_attention (a correct alternative)."""
import torch
import torch.nn.functional as F


def softmax(x, dim=-1):
    if not isinstance(x, torch.Tensor):
        raise ValueError("x must be a torch.Tensor")
    n = max(x.dim(), 1)
    if isinstance(dim, bool) or not isinstance(dim, int) or not -n <= dim < n:
        raise ValueError(f"dim must be in [{-n}, {n}), got {dim!r}")
    return torch.softmax(x, dim=dim)


def _check_qk(q, k):
    if not isinstance(q, torch.Tensor) or q.dim() < 2:
        raise ValueError("q must have shape [..., Lq, dk]")
    if not isinstance(k, torch.Tensor) or k.dim() < 2 or k.shape[-1] != q.shape[-1]:
        raise ValueError("k must have shape [..., Lk, dk] with the same dk as q")


def attention_scores(q, k, scale=None):
    _check_qk(q, k)
    s = q.shape[-1] ** -0.5 if scale is None else float(scale)
    return torch.matmul(q, k.mT) * s


def attention_weights(q, k, mask=None, scale=None):
    scores = attention_scores(q, k, scale)
    if mask is not None:
        if not isinstance(mask, torch.Tensor) or mask.dtype == torch.bool:
            raise ValueError("mask must be an additive float tensor")
        scores = scores + mask
    return torch.softmax(scores, dim=-1)


def scaled_dot_product_attention(q, k, v, mask=None, scale=None):
    _check_qk(q, k)
    if not isinstance(v, torch.Tensor) or v.dim() < 2 or v.shape[-2] != k.shape[-2]:
        raise ValueError("v must have shape [..., Lk, dv]")
    if mask is not None and (not isinstance(mask, torch.Tensor) or mask.dtype == torch.bool):
        raise ValueError("mask must be an additive float tensor")
    batch = torch.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    q = q.expand(*batch, *q.shape[-2:])
    k = k.expand(*batch, *k.shape[-2:])
    v = v.expand(*batch, *v.shape[-2:])
    s = q.shape[-1] ** -0.5 if scale is None else float(scale)
    # F.scaled_dot_product_attention adds a float attn_mask to q @ k^T * scale before its softmax.
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=s)
