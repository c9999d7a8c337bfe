"""Multi-head self-attention with explicit weight matrices (right-multiplication)."""
import math
import numbers

import torch

from attention import scaled_dot_product_attention

### BEGIN SOLUTION
_attention_sdpa = scaled_dot_product_attention


def scaled_dot_product_attention(q, k, v, mask=None, scale=None):
    """attention's function, as a tensor even when it computes with NumPy (the contract allows it)."""
    return torch.as_tensor(_attention_sdpa(q, k, v, mask, scale), dtype=q.dtype)
### END SOLUTION


def split_heads(x: torch.Tensor, num_heads: int) -> torch.Tensor:
    """Split the feature axis into heads.

    x: [..., L, H*dh] -> [..., H, L, dh]; head h takes columns h*dh:(h+1)*dh.
    Example: x of shape [2, 5, 12] with num_heads=3 -> [2, 3, 5, 4], and
    out[:, 1] == x[:, :, 4:8].
    """
    # TODO: Reshape the last axis into (num_heads, dh) and move the head axis before L.
    ### BEGIN SOLUTION
    if isinstance(num_heads, bool) or not isinstance(num_heads, numbers.Integral) or num_heads < 1:
        raise ValueError(f"num_heads must be a positive int, got {num_heads!r}")
    if not isinstance(x, torch.Tensor) or x.ndim < 2:
        raise ValueError("x must be a tensor of shape [..., L, H*dh]")
    *batch, seq_len, d = x.shape
    if d % num_heads != 0:
        raise ValueError(f"num_heads={num_heads} must divide the last dimension of x ({d})")
    head_dim = d // num_heads
    return x.reshape(*batch, seq_len, int(num_heads), head_dim).transpose(-3, -2)
    ### END SOLUTION


def merge_heads(x: torch.Tensor) -> torch.Tensor:
    """Inverse of ``split_heads``: [..., H, L, dh] -> [..., L, H*dh].

    The heads are concatenated in head order: out[..., :, h*dh:(h+1)*dh] == x[..., h, :, :].
    """
    # TODO: Move the head axis after L and flatten (H, dh) into one axis.
    ### BEGIN SOLUTION
    if not isinstance(x, torch.Tensor) or x.ndim < 3:
        raise ValueError("x must be a tensor of shape [..., H, L, dh]")
    *batch, num_heads, seq_len, head_dim = x.shape
    return x.transpose(-3, -2).reshape(*batch, seq_len, num_heads * head_dim)
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    if not isinstance(x, torch.Tensor) or x.ndim < 2:
        raise ValueError("x must be a tensor of shape [..., L, d]")
    d = x.shape[-1]
    if isinstance(num_heads, bool) or not isinstance(num_heads, numbers.Integral) or num_heads < 1:
        raise ValueError(f"num_heads must be a positive int, got {num_heads!r}")
    if d % num_heads != 0:
        raise ValueError(f"num_heads={num_heads} must divide the model dimension d={d}")
    for name, w in (("w_q", w_q), ("w_k", w_k), ("w_v", w_v), ("w_o", w_o)):
        if not isinstance(w, torch.Tensor) or tuple(w.shape) != (d, d):
            shape = tuple(w.shape) if isinstance(w, torch.Tensor) else type(w).__name__
            raise ValueError(f"{name} must have shape ({d}, {d}), got {shape}")
    head_dim = d // num_heads
    q = split_heads(x @ w_q, num_heads)  # [..., H, L, dh]
    k = split_heads(x @ w_k, num_heads)
    v = split_heads(x @ w_v, num_heads)
    heads = scaled_dot_product_attention(q, k, v, mask=mask, scale=1.0 / math.sqrt(head_dim))
    return merge_heads(heads) @ w_o
    ### END SOLUTION
