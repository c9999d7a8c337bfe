"""Wheat: embedding as a one-hot matrix product; PE with exp/log frequencies and torch.stack."""
import math

import torch
import torch.nn.functional as F


def embed(token_ids, table):
    if not isinstance(table, torch.Tensor) or table.ndim != 2:
        raise ValueError("table must be [V, d]")
    if not isinstance(token_ids, torch.Tensor) or token_ids.is_floating_point() or token_ids.dtype == torch.bool:
        raise ValueError("token_ids must be a LongTensor")
    V = table.shape[0]
    if ((token_ids < 0) | (token_ids >= V)).any():
        raise ValueError("token_ids must be in [0, V)")
    one_hot = F.one_hot(token_ids.long(), V).to(torch.float64)  # [..., L, V]
    return (one_hot @ table.to(torch.float64)).to(table.dtype)


def sinusoidal_positional_encoding(seq_len, d_model):
    if not isinstance(seq_len, int) or seq_len < 0:
        raise ValueError("seq_len must be an int >= 0")
    if not isinstance(d_model, int) or d_model < 1:
        raise ValueError("d_model must be an int >= 1")
    half = (d_model + 1) // 2
    inv_freq = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float64) * 2 / d_model)
    ang = torch.outer(torch.arange(seq_len, dtype=torch.float64), inv_freq)  # [L, half]
    pairs = torch.stack([torch.sin(ang), torch.cos(ang)], dim=-1)  # [L, half, 2]
    return pairs.reshape(seq_len, 2 * half)[:, :d_model].to(torch.float32)


def embed_with_positions(token_ids, table):
    if not isinstance(token_ids, torch.Tensor) or token_ids.ndim == 0:
        raise ValueError("token_ids must be [..., L]")
    e = embed(token_ids, table)
    return e + sinusoidal_positional_encoding(token_ids.shape[-1], table.shape[-1])
