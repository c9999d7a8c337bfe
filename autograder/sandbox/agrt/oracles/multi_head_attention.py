"""Oracle for multi_head_attention.py: unflatten/movedim and einsum with torch.softmax, self-contained."""
import numpy as np
import torch


def _as_tensor(x, name):
    if isinstance(x, torch.Tensor):
        return x
    if isinstance(x, np.ndarray):
        return torch.from_numpy(np.array(x, copy=True))
    raise ValueError(f"{name} must be a torch.Tensor, got {type(x).__name__}")


def _heads_ok(num_heads):
    if type(num_heads) is bool or not isinstance(num_heads, (int, np.integer)) or num_heads <= 0:
        raise ValueError(f"num_heads must be an int > 0, got {num_heads!r}")




def split_heads(x, num_heads):
    """unflatten the last axis into (H, dh), then move H before L."""
    _heads_ok(num_heads)
    t = _as_tensor(x, "x")
    if t.dim() < 2:
        raise ValueError("x must be [..., L, H*dh]")
    if t.size(-1) % int(num_heads):
        raise ValueError(f"num_heads ({num_heads}) does not divide the last dim {t.size(-1)}")
    out = t.unflatten(-1, (int(num_heads), t.size(-1) // int(num_heads))).movedim(-2, -3)
    return out.detach().numpy() if isinstance(x, np.ndarray) else out


def merge_heads(x):
    """move H after L, then flatten (H, dh)."""
    t = _as_tensor(x, "x")
    if t.dim() < 3:
        raise ValueError("x must be [..., H, L, dh]")
    out = t.movedim(-3, -2).flatten(-2)
    return out.detach().numpy() if isinstance(x, np.ndarray) else out


def multi_head_attention(x, w_q, w_k, w_v, w_o, num_heads, mask=None):
    """Per-head einsum attention with scale dh**-0.5, heads concatenated, then @ w_o."""
    X = _as_tensor(x, "x")
    if X.dim() < 2:
        raise ValueError("x must be [..., L, d]")
    d = X.size(-1)
    _heads_ok(num_heads)
    H = int(num_heads)
    if d % H:
        raise ValueError(f"num_heads ({H}) must divide d ({d})")
    Ws = []
    for name, w in (("w_q", w_q), ("w_k", w_k), ("w_v", w_v), ("w_o", w_o)):
        W = _as_tensor(w, name)
        if W.shape != (d, d):
            raise ValueError(f"{name} must be [{d}, {d}], got {tuple(W.shape)}")
        Ws.append(W)
    dt = X.dtype
    for W in Ws:
        dt = torch.promote_types(dt, W.dtype)
    X = X.to(dt)
    Wq, Wk, Wv, Wo = (W.to(dt) for W in Ws)
    dh = d // H
    # project straight into heads: [..., L, d] x [d, H, dh] -> [..., H, L, dh]
    q = torch.einsum("...ld,dhe->...hle", X, Wq.reshape(d, H, dh))
    k = torch.einsum("...ld,dhe->...hle", X, Wk.reshape(d, H, dh))
    v = torch.einsum("...ld,dhe->...hle", X, Wv.reshape(d, H, dh))
    z = torch.einsum("...hie,...hje->...hij", q, k) * dh ** -0.5
    if mask is not None:
        m = _as_tensor(mask, "mask")
        if m.dtype is torch.bool:
            raise ValueError("mask must be additive floats (0 / -inf), not bool")
        try:
            torch.broadcast_shapes(m.shape, z.shape)
        except RuntimeError:
            raise ValueError(f"mask {tuple(m.shape)} does not broadcast to the scores {tuple(z.shape)}") from None
        z = z + m
    a = torch.softmax(z, dim=-1)
    o = torch.einsum("...hij,...hje->...hie", a, v)
    # concatenate heads and project: [..., H, L, dh] x [H, dh, d] -> [..., L, d]
    out = torch.einsum("...hie,hef->...if", o, Wo.reshape(H, dh, d))
    return out.detach().numpy() if isinstance(x, np.ndarray) else out
