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
    if not isinstance(x, torch.Tensor):
        raise ValueError(f"x must be a torch.Tensor, got {type(x).__name__}")
    ndim = max(x.ndim, 1)
    if isinstance(dim, bool) or not isinstance(dim, int) or not -ndim <= dim < ndim:
        raise ValueError(f"dim must be an int in [{-ndim}, {ndim}) for x of shape {tuple(x.shape)}, got {dim!r}")
    shifted = x - x.amax(dim=dim, keepdim=True)
    exps = torch.exp(shifted)
    return exps / exps.sum(dim=dim, keepdim=True)


def attention_scores(q: torch.Tensor, k: torch.Tensor, scale: float | None = None) -> torch.Tensor:
    """Raw attention scores ``q @ k^T * scale``.

    q: [..., Lq, dk], k: [..., Lk, dk] -> [..., Lq, Lk]
    ``scale`` defaults to ``1 / sqrt(dk)``; the course notes' worked example uses
    ``scale=1.0``: q_quickly . K_dog = 0.889.
    """
    if not isinstance(q, torch.Tensor) or q.ndim < 2:
        raise ValueError("q must be a tensor of shape [..., Lq, dk]")
    if not isinstance(k, torch.Tensor) or k.ndim < 2:
        raise ValueError("k must be a tensor of shape [..., Lk, dk]")
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(f"q and k must share the last dimension dk, got q {tuple(q.shape)} and k {tuple(k.shape)}")
    if q.shape[-1] == 0:
        raise ValueError("q and k must have dk >= 1")
    try:
        torch.broadcast_shapes(q.shape[:-2], k.shape[:-2])
    except RuntimeError:
        raise ValueError(
            f"the batch dimensions of q {tuple(q.shape)} and k {tuple(k.shape)} do not broadcast"
        ) from None
    if scale is None:
        scale = 1.0 / math.sqrt(q.shape[-1])
    try:
        scale = float(scale)
    except (TypeError, ValueError):
        raise ValueError(f"scale must be a number or None, got {scale!r}") from None
    return q @ k.transpose(-2, -1) * scale


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
    scores = attention_scores(q, k, scale)
    if mask is not None:
        if not isinstance(mask, torch.Tensor):
            raise ValueError(f"mask must be a torch.Tensor or None, got {type(mask).__name__}")
        if mask.dtype == torch.bool:
            raise ValueError("mask must be additive (0.0 keeps, -inf blocks), not a bool tensor")
        try:
            torch.broadcast_shapes(mask.shape, scores.shape)
        except RuntimeError:
            raise ValueError(
                f"mask of shape {tuple(mask.shape)} does not broadcast to the scores {tuple(scores.shape)}"
            ) from None
        scores = scores + mask
    return softmax(scores, dim=-1)


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
    if not isinstance(v, torch.Tensor) or v.ndim < 2:
        raise ValueError("v must be a tensor of shape [..., Lk, dv]")
    if isinstance(k, torch.Tensor) and k.ndim >= 2 and v.shape[-2] != k.shape[-2]:
        raise ValueError(f"v must have one row per key: k {tuple(k.shape)} but v {tuple(v.shape)}")
    weights = attention_weights(q, k, mask, scale)
    try:
        torch.broadcast_shapes(weights.shape[:-2], v.shape[:-2])
    except RuntimeError:
        raise ValueError(f"the batch dimensions of v {tuple(v.shape)} do not broadcast with q and k") from None
    return weights @ v
