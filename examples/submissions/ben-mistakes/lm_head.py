"""The language-model head: hidden states -> logits -> next-token probabilities."""
import numbers

import torch

from attention import softmax


def lm_head(h: torch.Tensor, w_out: torch.Tensor, b_out: torch.Tensor | None = None) -> torch.Tensor:
    """Logits over the vocabulary: h @ w_out (+ b_out).

    h: [..., d], w_out: [d, V], b_out: [V] or None -> [..., V]
    """
    if not isinstance(w_out, torch.Tensor) or w_out.ndim != 2:
        raise ValueError("w_out must be a 2-D tensor of shape [d, V]")
    if not isinstance(h, torch.Tensor) or h.ndim < 1 or h.shape[-1] != w_out.shape[0]:
        raise ValueError(f"h must have shape [..., {w_out.shape[0]}] to match w_out {tuple(w_out.shape)}")
    logits = h @ w_out
    if b_out is not None:
        if not isinstance(b_out, torch.Tensor) or tuple(b_out.shape) != (w_out.shape[1],):
            raise ValueError(f"b_out must be None or have shape ({w_out.shape[1]},)")
        logits = logits + b_out
    return logits


def next_token_probs(logits: torch.Tensor, temperature: float = 1.0) -> torch.Tensor:
    """Next-token distribution softmax(logits / temperature) over the last axis.

    logits: [..., V] -> [..., V], each row sums to 1.
    temperature < 1 sharpens, > 1 flattens; temperature <= 0 raises ValueError.
    Example: next_token_probs([2., 1., 0.]) ~= [0.665, 0.245, 0.090].
    """
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real) or not temperature > 0:
        raise ValueError(f"temperature must be a number > 0, got {temperature!r}")
    if not isinstance(logits, torch.Tensor) or logits.ndim < 1:
        raise ValueError("logits must be a tensor of shape [..., V]")
    return softmax(logits / float(temperature), dim=-1)


def top_tokens(probs: torch.Tensor, k: int) -> list[tuple[int, float]]:
    """The k most probable ids with their probabilities, highest first.

    probs: [V]; ties go to the lower id. 0 <= k <= V, else ValueError.
    Example: top_tokens(torch.tensor([0.1, 0.4, 0.1, 0.4]), 3) == [(1, 0.4), (3, 0.4), (0, 0.1)]
    (as float32 values).
    """
    if not isinstance(probs, torch.Tensor) or probs.ndim != 1:
        raise ValueError("probs must be a 1-D tensor of shape [V]")
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 0 <= k <= probs.shape[0]:
        raise ValueError(f"k must be an int in [0, {probs.shape[0]}], got {k!r}")
    order = torch.sort(probs, descending=True, stable=True).indices[: int(k)]
    return [(int(i), float(probs[i])) for i in order]
