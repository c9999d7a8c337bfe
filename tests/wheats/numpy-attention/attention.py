"""Attention computed with NumPy in float64; returns np.ndarray (a correct alternative)."""
import numpy as np
import torch


def _np(x, name):
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy().astype(np.float64)
    if isinstance(x, np.ndarray):
        return x.astype(np.float64)
    raise ValueError(f"{name} must be a tensor")


def softmax(x, dim=-1):
    a = _np(x, "x")
    if isinstance(dim, bool) or not isinstance(dim, int) or not -max(a.ndim, 1) <= dim < max(a.ndim, 1):
        raise ValueError(f"dim is out of range: {dim!r}")
    m = np.max(a, axis=dim, keepdims=True)
    e = np.exp(a - m)
    return e / np.sum(e, axis=dim, keepdims=True)


def attention_scores(q, k, scale=None):
    qa, ka = _np(q, "q"), _np(k, "k")
    if qa.ndim < 2 or ka.ndim < 2 or qa.shape[-1] != ka.shape[-1]:
        raise ValueError("q and k must have shapes [..., Lq, dk] and [..., Lk, dk]")
    if scale is None:
        scale = 1.0 / np.sqrt(qa.shape[-1])
    return np.matmul(qa, np.swapaxes(ka, -1, -2)) * float(scale)


def attention_weights(q, k, mask=None, scale=None):
    s = attention_scores(q, k, scale)
    if mask is not None:
        if isinstance(mask, torch.Tensor) and mask.dtype == torch.bool:
            raise ValueError("mask must be additive, not bool")
        s = s + _np(mask, "mask")
    return softmax(s, dim=-1)


def scaled_dot_product_attention(q, k, v, mask=None, scale=None):
    va = _np(v, "v")
    if va.ndim < 2:
        raise ValueError("v must have shape [..., Lk, dv]")
    return np.matmul(attention_weights(q, k, mask, scale), va)
