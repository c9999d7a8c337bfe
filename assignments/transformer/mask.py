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
    # TODO: Return a float32 [q_len, k_len] tensor with 0.0 where j <= i + (k_len - q_len) and -inf elsewhere.
    raise NotImplementedError('Return a float32 [q_len, k_len] tensor with 0.0 where j <= i + (k_len - q_len) and -inf elsewhere.')
