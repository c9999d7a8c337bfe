"""The causal (look-ahead) mask for decoder self-attention."""
import numbers

import torch


def causal_mask(q_len: int, k_len: int | None = None) -> torch.Tensor:
    """Additive causal mask of shape [q_len, k_len] (float32).

    Entry [i, j] is 0.0 when query i may attend to key j and -inf otherwise.
    The queries are the LAST q_len of the k_len positions, so query i sees the
    keys j <= i + (k_len - q_len). ``k_len`` defaults to ``q_len``.

    causal_mask(3) ->            causal_mask(2, 4) ->
        [[0., -inf, -inf],           [[0., 0., 0., -inf],
         [0.,   0., -inf],            [0., 0., 0.,   0.]]
         [0.,   0.,   0.]]
    Add it to the scores before the softmax: blocked keys get weight 0.
    """
    if not isinstance(q_len, numbers.Integral) or q_len < 0:
        raise ValueError(f"q_len must be a non-negative int, got {q_len!r}")
    if k_len is None:
        k_len = q_len
    if not isinstance(k_len, numbers.Integral):
        raise ValueError(f"k_len must be an int or None, got {k_len!r}")
    if k_len < q_len:
        raise ValueError(f"k_len must be >= q_len, got k_len={k_len} < q_len={q_len}")
    q_len, k_len = int(q_len), int(k_len)
    offset = k_len - q_len
    query_pos = torch.arange(q_len).unsqueeze(1)  # [q_len, 1]
    key_pos = torch.arange(k_len).unsqueeze(0)  # [1, k_len]
    visible = key_pos <= query_pos + offset  # [q_len, k_len]
    zero = torch.tensor(0.0, dtype=torch.float32)
    blocked = torch.tensor(float("-inf"), dtype=torch.float32)
    return torch.where(visible, zero, blocked)
