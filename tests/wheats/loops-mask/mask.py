"""Wheat: nested Python loops over (query, key)."""
import torch


def causal_mask(q_len, k_len=None):
    if not isinstance(q_len, int) or q_len < 0:
        raise ValueError(f"q_len must be an int >= 0, got {q_len!r}")
    if k_len is None:
        k_len = q_len
    if not isinstance(k_len, int):
        raise ValueError(f"k_len must be an int, got {k_len!r}")
    if k_len < q_len:
        raise ValueError(f"k_len ({k_len}) must be >= q_len ({q_len})")
    first = k_len - q_len  # absolute position of query 0
    rows = []
    for i in range(q_len):
        rows.append([0.0 if j <= first + i else float("-inf") for j in range(k_len)])
    return torch.tensor(rows, dtype=torch.float32).reshape(q_len, k_len)
