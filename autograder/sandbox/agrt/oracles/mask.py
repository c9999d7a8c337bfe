"""Oracle for mask.py: torch.triu on a matrix of -inf."""
import numpy as np
import torch


def causal_mask(q_len, k_len=None):
    """0.0 where key j <= i + (k_len - q_len), -inf above that diagonal."""
    if not isinstance(q_len, (int, np.integer)) or q_len < 0:
        raise ValueError(f"q_len must be an int >= 0, got {q_len!r}")
    if k_len is None:
        k_len = q_len
    if not isinstance(k_len, (int, np.integer)):
        raise ValueError(f"k_len must be an int or None, got {k_len!r}")
    if k_len < q_len:
        raise ValueError(f"k_len ({k_len}) must not be smaller than q_len ({q_len})")
    blocked = torch.full((int(q_len), int(k_len)), float("-inf"), dtype=torch.float32)
    return torch.triu(blocked, diagonal=int(k_len) - int(q_len) + 1)
