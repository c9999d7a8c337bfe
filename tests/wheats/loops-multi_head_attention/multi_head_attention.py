"""Multi-head attention with an explicit loop over heads and its own softmax (a correct alternative)."""
import math

import torch


def _check_heads(num_heads, d):
    if isinstance(num_heads, bool) or not isinstance(num_heads, int) or num_heads < 1:
        raise ValueError(f"num_heads must be a positive int, got {num_heads!r}")
    if d % num_heads:
        raise ValueError(f"num_heads={num_heads} does not divide d={d}")


def split_heads(x, num_heads):
    if not isinstance(x, torch.Tensor) or x.dim() < 2:
        raise ValueError("x must have shape [..., L, H*dh]")
    d = x.shape[-1]
    _check_heads(num_heads, d)
    dh = d // num_heads
    heads = [x[..., h * dh:(h + 1) * dh] for h in range(num_heads)]
    return torch.stack(heads, dim=-3)


def merge_heads(x):
    if not isinstance(x, torch.Tensor) or x.dim() < 3:
        raise ValueError("x must have shape [..., H, L, dh]")
    return torch.cat([x[..., h, :, :] for h in range(x.shape[-3])], dim=-1)


def _softmax_last(s):
    s = s - s.max(dim=-1, keepdim=True).values
    e = torch.exp(s)
    return e / e.sum(dim=-1, keepdim=True)


def multi_head_attention(x, w_q, w_k, w_v, w_o, num_heads, mask=None):
    if not isinstance(x, torch.Tensor) or x.dim() < 2:
        raise ValueError("x must have shape [..., L, d]")
    d = x.shape[-1]
    _check_heads(num_heads, d)
    for name, w in (("w_q", w_q), ("w_k", w_k), ("w_v", w_v), ("w_o", w_o)):
        if not isinstance(w, torch.Tensor) or tuple(w.shape) != (d, d):
            raise ValueError(f"{name} must have shape ({d}, {d})")
    dh = d // num_heads
    q_all, k_all, v_all = x @ w_q, x @ w_k, x @ w_v
    outs = []
    for h in range(num_heads):
        cols = slice(h * dh, (h + 1) * dh)
        q, k, v = q_all[..., cols], k_all[..., cols], v_all[..., cols]
        s = q @ k.transpose(-1, -2) / math.sqrt(dh)
        if mask is not None:
            s = s + mask
        outs.append(_softmax_last(s) @ v)
    return torch.cat(outs, dim=-1) @ w_o
