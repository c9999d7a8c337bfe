"""Wheat: explicit Python loops with math.sin / math.cos, rows copied one id at a time."""
import math

import torch


def embed(token_ids, table):
    if not torch.is_tensor(table) or table.dim() != 2:
        raise ValueError("table must be a [V, d] tensor")
    if not torch.is_tensor(token_ids) or token_ids.dtype not in (torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8):
        raise ValueError("token_ids must be an integer tensor")
    V, d = table.shape
    flat = token_ids.reshape(-1).tolist()
    for t in flat:
        if not 0 <= t < V:
            raise ValueError(f"token_ids: id {t} is outside [0, {V})")
    out = torch.empty(len(flat), d, dtype=table.dtype)
    for k, t in enumerate(flat):
        out[k] = table[t]
    return out.reshape(*token_ids.shape, d)


def sinusoidal_positional_encoding(seq_len, d_model):
    if type(seq_len) is not int or seq_len < 0:
        raise ValueError("seq_len must be a non-negative int")
    if type(d_model) is not int or d_model <= 0:
        raise ValueError("d_model must be a positive int")
    rows = []
    for p in range(seq_len):
        row = []
        for j in range(d_model):
            two_i = j - (j % 2)
            angle = p / (10000.0 ** (two_i / d_model))
            row.append(math.sin(angle) if j % 2 == 0 else math.cos(angle))
        rows.append(row)
    return torch.tensor(rows, dtype=torch.float64).reshape(seq_len, d_model).float()


def embed_with_positions(token_ids, table):
    x = embed(token_ids, table)
    if token_ids.dim() == 0:
        raise ValueError("token_ids must be [..., L]")
    L, d = x.shape[-2], x.shape[-1]
    pe = sinusoidal_positional_encoding(L, d)
    out = x.clone()
    for p in range(L):
        out[..., p, :] = out[..., p, :] + pe[p]
    return out
