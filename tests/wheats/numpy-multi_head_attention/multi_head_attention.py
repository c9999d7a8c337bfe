"""Multi-head attention in NumPy (float64 inside, np.ndarray out) (a correct alternative)."""
import numpy as np
import torch


def _np(x, name):
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    if isinstance(x, np.ndarray):
        return x
    raise ValueError(f"{name} must be a tensor")


def split_heads(x, num_heads):
    a = _np(x, "x")
    if isinstance(num_heads, bool) or not isinstance(num_heads, (int, np.integer)) or num_heads < 1:
        raise ValueError("num_heads must be a positive int")
    if a.ndim < 2 or a.shape[-1] % num_heads:
        raise ValueError(f"num_heads={num_heads} must divide the last dimension of x")
    *batch, L, d = a.shape
    return np.swapaxes(a.reshape(*batch, L, num_heads, d // num_heads), -3, -2).copy()


def merge_heads(x):
    a = _np(x, "x")
    if a.ndim < 3:
        raise ValueError("x must have shape [..., H, L, dh]")
    *batch, H, L, dh = a.shape
    return np.swapaxes(a, -3, -2).reshape(*batch, L, H * dh)


def multi_head_attention(x, w_q, w_k, w_v, w_o, num_heads, mask=None):
    a = _np(x, "x").astype(np.float64)
    d = a.shape[-1]
    if isinstance(num_heads, bool) or not isinstance(num_heads, (int, np.integer)) or num_heads < 1 or d % num_heads:
        raise ValueError(f"num_heads={num_heads!r} must be a positive divisor of d={d}")
    wq, wk, wv, wo = (_np(w, n).astype(np.float64) for w, n in ((w_q, "w_q"), (w_k, "w_k"), (w_v, "w_v"), (w_o, "w_o")))
    q, k, v = (split_heads(a @ w, num_heads) for w in (wq, wk, wv))
    s = q @ np.swapaxes(k, -1, -2) / np.sqrt(d // num_heads)
    if mask is not None:
        s = s + _np(mask, "mask").astype(np.float64)
    s = s - s.max(axis=-1, keepdims=True)
    p = np.exp(s)
    p /= p.sum(axis=-1, keepdims=True)
    return merge_heads(p @ v) @ wo
