"""LM head with einsum, the course softmax from attention.py and top-k by repeated arg-max (a correct alternative)."""
import torch

from attention import softmax


def lm_head(h, w_out, b_out=None):
    if not isinstance(w_out, torch.Tensor) or w_out.ndim != 2:
        raise ValueError("w_out must be a [d, V] tensor")
    if not isinstance(h, torch.Tensor) or h.ndim < 1 or h.shape[-1] != w_out.shape[0]:
        raise ValueError("h must be a [..., d] tensor matching w_out")
    logits = torch.einsum("...d,dv->...v", h, w_out)
    if b_out is None:
        return logits
    if not isinstance(b_out, torch.Tensor) or b_out.shape != (w_out.shape[1],):
        raise ValueError("b_out must be a [V] tensor")
    return logits + b_out


def next_token_probs(logits, temperature=1.0):
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float)) or temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature!r}")
    if not isinstance(logits, torch.Tensor) or logits.ndim < 1:
        raise ValueError("logits must be a [..., V] tensor")
    return softmax(logits * (1.0 / temperature), dim=-1)


def top_tokens(probs, k):
    if not isinstance(probs, torch.Tensor) or probs.ndim != 1:
        raise ValueError("probs must be a 1-D tensor")
    if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k <= probs.shape[0]:
        raise ValueError(f"k must be an int in [0, V], got {k!r}")
    remaining = probs.clone().to(torch.float64)  # a copy: the input is never modified
    out = []
    for _ in range(k):
        i = int(torch.argmax(remaining))  # the first maximum: ties go to the lower id
        out.append((i, float(probs[i])))
        remaining[i] = float("-inf")
    return out
