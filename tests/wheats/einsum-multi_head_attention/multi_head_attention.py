"""Multi-head attention with view/permute, einsum and torch.softmax (a correct alternative)."""
import torch


def split_heads(x, num_heads):
    if isinstance(num_heads, bool) or not isinstance(num_heads, int) or num_heads <= 0:
        raise ValueError("num_heads must be a positive int")
    if not isinstance(x, torch.Tensor) or x.ndim < 2 or x.shape[-1] % num_heads:
        raise ValueError(f"num_heads={num_heads} must divide the last dimension of x")
    new = x.shape[:-1] + (num_heads, x.shape[-1] // num_heads)
    return x.contiguous().view(new).movedim(-2, -3).contiguous()


def merge_heads(x):
    if not isinstance(x, torch.Tensor) or x.ndim < 3:
        raise ValueError("x must have shape [..., H, L, dh]")
    y = x.movedim(-3, -2)  # [..., L, H, dh]
    return y.flatten(start_dim=-2)


def multi_head_attention(x, w_q, w_k, w_v, w_o, num_heads, mask=None):
    if not isinstance(x, torch.Tensor) or x.ndim < 2:
        raise ValueError("x must have shape [..., L, d]")
    d = x.shape[-1]
    if isinstance(num_heads, bool) or not isinstance(num_heads, int) or num_heads <= 0 or d % num_heads:
        raise ValueError(f"num_heads={num_heads!r} must be a positive divisor of d={d}")
    q = split_heads(torch.einsum("...ld,de->...le", x, w_q), num_heads)
    k = split_heads(torch.einsum("...ld,de->...le", x, w_k), num_heads)
    v = split_heads(torch.einsum("...ld,de->...le", x, w_v), num_heads)
    dh = d // num_heads
    scores = torch.einsum("...hid,...hjd->...hij", q, k) * dh ** -0.5
    if mask is not None:
        scores = scores + mask
    heads = torch.einsum("...hij,...hjd->...hid", torch.softmax(scores, dim=-1), v)
    return torch.einsum("...le,ef->...lf", merge_heads(heads), w_o)
