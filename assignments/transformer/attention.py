"""Scaled dot-product attention, built from a numerically stable softmax.

Shapes use ``...`` for any number of leading batch dimensions:
``q: [..., Lq, dk]``, ``k: [..., Lk, dk]``, ``v: [..., Lk, dv]``.

Worked example from the course notes ("The dog ran quickly", ``scale=1.0``,
i.e. the raw dot product):

    q_quickly = [0.22, 0.64, 0.73]
    K_dog     = [0.54, 0.36, 0.74]  -> score 0.22*0.54 + 0.64*0.36 + 0.73*0.74 = 0.889
    K_quickly (some key)            -> score 1.2
    weights   = softmax([0.889, 1.2]) = [0.42, 0.58]
    V_dog = [0.12, 0.84, 0.51], V_quickly = [0.62, 0.24, 0.33]
    output    = 0.42 * V_dog + 0.58 * V_quickly ~= [0.41, 0.49, 0.41]
"""
import math

import torch


def softmax(x: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """Numerically stable softmax along ``dim``.

    softmax(x)_i = exp(x_i - max(x)) / sum_j exp(x_j - max(x))

    Subtracting the max changes nothing mathematically but keeps ``exp`` from
    overflowing (inputs of +-1e4 work), and ``-inf`` entries become exactly 0.
    A row with at least one finite entry gives finite output.

    Example: softmax(torch.tensor([0.889, 1.2])) ~= tensor([0.4229, 0.5771])
    """
    # TODO: Subtract the max along dim, exponentiate, and divide by the sum along dim.
    raise NotImplementedError('Subtract the max along dim, exponentiate, and divide by the sum along dim.')


def attention_scores(q: torch.Tensor, k: torch.Tensor, scale: float | None = None) -> torch.Tensor:
    """Raw attention scores ``q @ k^T * scale``.

    q: [..., Lq, dk], k: [..., Lk, dk] -> [..., Lq, Lk]
    ``scale`` defaults to ``1 / sqrt(dk)``; the course notes' worked example uses
    ``scale=1.0``: q_quickly . K_dog = 0.889.
    """
    # TODO: Multiply q by the transpose of k (last two axes) and by scale (default 1/sqrt(dk)).
    raise NotImplementedError('Multiply q by the transpose of k (last two axes) and by scale (default 1/sqrt(dk)).')


def attention_weights(
    q: torch.Tensor,
    k: torch.Tensor,
    mask: torch.Tensor | None = None,
    scale: float | None = None,
) -> torch.Tensor:
    """Attention weights ``softmax(scores + mask)`` over the keys (last axis).

    q: [..., Lq, dk], k: [..., Lk, dk] -> [..., Lq, Lk]; every row sums to 1.
    ``mask`` is additive (0.0 keeps a key, -inf blocks it) and broadcasts to
    [..., Lq, Lk] (e.g. ``causal_mask(Lq, Lk)`` of shape [Lq, Lk]); a bool mask
    is rejected.
    Worked example (scale=1.0): scores [0.889, 1.2] -> weights [0.42, 0.58].
    """
    # TODO: Add the mask (if any) to the scores and take the softmax over the keys.
    raise NotImplementedError('Add the mask (if any) to the scores and take the softmax over the keys.')


def scaled_dot_product_attention(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    mask: torch.Tensor | None = None,
    scale: float | None = None,
) -> torch.Tensor:
    """Scaled dot-product attention ``softmax(q @ k^T * scale + mask) @ v``.

    q: [..., Lq, dk], k: [..., Lk, dk], v: [..., Lk, dv] -> [..., Lq, dv]
    Each output row is a weighted average of the rows of v.
    Worked example (scale=1.0): 0.42 * [0.12, 0.84, 0.51] + 0.58 * [0.62, 0.24, 0.33]
    ~= [0.41, 0.49, 0.41].
    """
    # TODO: Multiply the attention weights by v.
    raise NotImplementedError('Multiply the attention weights by v.')
