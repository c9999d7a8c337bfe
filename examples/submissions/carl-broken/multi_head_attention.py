"""Multi-head self-attention with explicit weight matrices (right-multiplication)."""
import math
import numbers

import torch

from attention import scaled_dot_product_attention


def split_heads(x: torch.Tensor, num_heads: int) -> torch.Tensor:
    """Split the feature axis into heads.

    x: [..., L, H*dh] -> [..., H, L, dh]; head h takes columns h*dh:(h+1)*dh.
    Example: x of shape [2, 5, 12] with num_heads=3 -> [2, 3, 5, 4], and
    out[:, 1] == x[:, :, 4:8].
    """
    # TODO: Reshape the last axis into (num_heads, dh) and move the head axis before L.
    raise NotImplementedError('Reshape the last axis into (num_heads, dh) and move the head axis before L.')


def merge_heads(x: torch.Tensor) -> torch.Tensor:
    """Inverse of ``split_heads``: [..., H, L, dh] -> [..., L, H*dh].

    The heads are concatenated in head order: out[..., :, h*dh:(h+1)*dh] == x[..., h, :, :].
    """
    # TODO: Move the head axis after L and flatten (H, dh) into one axis.
    raise NotImplementedError('Move the head axis after L and flatten (H, dh) into one axis.')


def multi_head_attention(
    x: torch.Tensor,
    w_q: torch.Tensor,
    w_k: torch.Tensor,
    w_v: torch.Tensor,
    w_o: torch.Tensor,
    num_heads: int,
    mask: torch.Tensor | None = None,
) -> torch.Tensor:
    """Multi-head self-attention.

    x: [..., L, d]; w_q, w_k, w_v, w_o: [d, d] -> [..., L, d]
        Q = x @ w_q, K = x @ w_k, V = x @ w_v           (each [..., L, d])
        split each into H heads of size dh = d / H     ([..., H, L, dh])
        head_h = softmax(Q_h K_h^T / sqrt(dh) + mask) V_h
        out = merge_heads(heads) @ w_o
    ``mask`` (e.g. ``causal_mask(L)``) broadcasts against the per-head scores
    [..., H, L, L]; a per-sequence mask [B, L, L] needs a head axis: mask[:, None].
    """
    # TODO: Project x, split into heads, attend per head with scale 1/sqrt(dh), merge, and apply w_o.
    raise NotImplementedError('Project x, split into heads, attend per head with scale 1/sqrt(dh), merge, and apply w_o.')
