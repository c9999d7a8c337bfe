"""Wheat: everything in NumPy; the functions return np.ndarray (float32)."""
import numpy as np
import torch


def _ids_array(token_ids):
    if not isinstance(token_ids, (torch.Tensor, np.ndarray)):
        raise ValueError("token_ids must be an integer tensor")
    ids = token_ids.numpy() if isinstance(token_ids, torch.Tensor) else token_ids
    if ids.dtype.kind not in "iu":
        raise ValueError(f"token_ids must hold integers, got {ids.dtype}")
    return ids


def embed(token_ids, table):
    tab = table.detach().numpy() if isinstance(table, torch.Tensor) else np.asarray(table)
    if tab.ndim != 2:
        raise ValueError("table must have shape [V, d]")
    ids = _ids_array(token_ids)
    V = tab.shape[0]
    if ids.size and (ids.min() < 0 or ids.max() >= V):
        raise ValueError(f"token_ids out of range [0, {V})")
    return np.take(tab, ids, axis=0).astype(np.float32)


def sinusoidal_positional_encoding(seq_len, d_model):
    if isinstance(seq_len, bool) or not isinstance(seq_len, (int, np.integer)) or seq_len < 0:
        raise ValueError("seq_len must be an int >= 0")
    if isinstance(d_model, bool) or not isinstance(d_model, (int, np.integer)) or d_model < 1:
        raise ValueError("d_model must be an int >= 1")
    p = np.arange(seq_len, dtype=np.float64)[:, None]
    i2 = np.arange(0, d_model, 2, dtype=np.float64)  # 2i for every sine column
    ang = p / np.power(10000.0, i2 / d_model)
    pe = np.empty((seq_len, d_model), dtype=np.float64)
    pe[:, 0::2] = np.sin(ang)
    pe[:, 1::2] = np.cos(ang[:, : d_model // 2])
    return pe.astype(np.float32)


def embed_with_positions(token_ids, table):
    e = embed(token_ids, table)
    ids = _ids_array(token_ids)
    if ids.ndim < 1:
        raise ValueError("token_ids must have shape [..., L]")
    return e + sinusoidal_positional_encoding(ids.shape[-1], e.shape[-1])
