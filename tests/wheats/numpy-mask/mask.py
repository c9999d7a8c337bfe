"""Wheat: NumPy's triu on a matrix of -inf; returns an np.ndarray (float32)."""
import numbers

import numpy as np


def causal_mask(q_len, k_len=None):
    if not isinstance(q_len, numbers.Integral) or q_len < 0:
        raise ValueError("q_len must be a non-negative integer")
    k_len = q_len if k_len is None else k_len
    if not isinstance(k_len, numbers.Integral):
        raise ValueError("k_len must be an integer or None")
    if k_len < q_len:
        raise ValueError("k_len must not be smaller than q_len")
    m = np.full((q_len, k_len), -np.inf, dtype=np.float32)
    return np.triu(m, k=k_len - q_len + 1)
