"""Attention with einsum and a logsumexp-based softmax (a correct alternative)."""
import math

import torch


def softmax(x, dim=-1):
    if not isinstance(x, torch.Tensor):
        raise ValueError("x must be a torch.Tensor")
    if isinstance(dim, bool) or not isinstance(dim, int) or not -max(x.ndim, 1) <= dim < max(x.ndim, 1):
        raise ValueError(f"dim is out of range: {dim!r}")
    # exp(x - logsumexp(x)): logsumexp is computed stably by torch, -inf entries give exp(-inf) = 0.
    return torch.exp(x - torch.logsumexp(x, dim=dim, keepdim=True))


def attention_scores(q, k, scale=None):
    if not isinstance(q, torch.Tensor) or q.dim() < 2:
        raise ValueError("q must have shape [..., Lq, dk]")
    if not isinstance(k, torch.Tensor) or k.dim() < 2:
        raise ValueError("k must have shape [..., Lk, dk]")
    if q.shape[-1] != k.shape[-1]:
        raise ValueError("q and k must have the same dk")
    if scale is None:
        scale = 1 / math.sqrt(q.shape[-1])
    return torch.einsum("...qd,...kd->...qk", q, k) * float(scale)


def attention_weights(q, k, mask=None, scale=None):
    s = attention_scores(q, k, scale)
    if mask is not None:
        if not isinstance(mask, torch.Tensor) or mask.dtype == torch.bool:
            raise ValueError("mask must be an additive float tensor")
        s = s + mask
    return softmax(s, dim=-1)


def scaled_dot_product_attention(q, k, v, mask=None, scale=None):
    if not isinstance(v, torch.Tensor) or v.dim() < 2:
        raise ValueError("v must have shape [..., Lk, dv]")
    w = attention_weights(q, k, mask=mask, scale=scale)
    return torch.einsum("...qk,...kd->...qd", w, v)
