"""Wheat: masked_fill of a zeros matrix where a boolean tril(ones) is False."""
import torch


def causal_mask(q_len: int, k_len: int | None = None) -> torch.Tensor:
    if isinstance(q_len, bool) or not isinstance(q_len, int) or q_len < 0:
        raise ValueError("q_len must be a non-negative int")
    if k_len is None:
        k_len = q_len
    elif isinstance(k_len, bool) or not isinstance(k_len, int):
        raise ValueError("k_len must be an int")
    if k_len < q_len:
        raise ValueError("k_len must be >= q_len")
    allowed = torch.ones(q_len, k_len, dtype=torch.bool).tril(diagonal=k_len - q_len)
    return torch.zeros(q_len, k_len).masked_fill(~allowed, float("-inf"))
