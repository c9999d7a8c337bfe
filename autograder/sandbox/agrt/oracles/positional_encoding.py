"""Oracle for positional_encoding.py: F.embedding and slice assignment."""
import math

import numpy as np
import torch
import torch.nn.functional as F


def _as_tensor(x, name):
    if isinstance(x, torch.Tensor):
        return x
    if isinstance(x, np.ndarray):
        return torch.from_numpy(np.array(x, copy=True))
    raise ValueError(f"{name} must be a torch.Tensor, got {type(x).__name__}")


def embed(token_ids, table):
    """F.embedding after a range check."""
    ids, tab = _as_tensor(token_ids, "token_ids"), _as_tensor(table, "table")
    if tab.dim() != 2:
        raise ValueError("table must be [V, d]")
    if ids.dtype is torch.bool or ids.is_floating_point() or ids.is_complex():
        raise ValueError(f"token_ids must be integers, got {ids.dtype}")
    V = tab.size(0)
    if ids.numel() and not bool(((ids >= 0) & (ids < V)).all()):
        raise ValueError(f"token_ids must all be in [0, {V})")
    out = F.embedding(ids.long(), tab).clone()
    return out.detach().numpy() if isinstance(table, np.ndarray) else out


def sinusoidal_positional_encoding(seq_len, d_model):
    """Even columns sin, odd columns cos, frequencies exp(-2i ln(10000)/d)."""
    if not isinstance(seq_len, (int, np.integer)) or seq_len < 0:
        raise ValueError(f"seq_len must be an int >= 0, got {seq_len!r}")
    if not isinstance(d_model, (int, np.integer)) or d_model <= 0:
        raise ValueError(f"d_model must be an int > 0, got {d_model!r}")
    L, d = int(seq_len), int(d_model)
    pos = torch.arange(L, dtype=torch.float64)
    inv_freq = torch.exp(torch.arange(0, d, 2, dtype=torch.float64) * (-math.log(10000.0) / d))
    ang = torch.outer(pos, inv_freq)
    pe = torch.empty(L, d, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(ang)
    pe[:, 1::2] = torch.cos(ang[:, : d // 2])
    return pe.float()


def embed_with_positions(token_ids, table):
    """embed + PE[:L]."""
    e = embed(token_ids, table)
    et = torch.as_tensor(e)
    ids = _as_tensor(token_ids, "token_ids")
    if ids.dim() < 1:
        raise ValueError("token_ids must be [..., L]")
    out = et + sinusoidal_positional_encoding(ids.size(-1), et.size(-1)).to(et.dtype)
    return out.detach().numpy() if isinstance(e, np.ndarray) else out
