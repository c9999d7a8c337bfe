"""The language-model head: hidden states -> logits -> next-token probabilities."""
import numbers

import torch

from attention import softmax


def lm_head(h: torch.Tensor, w_out: torch.Tensor, b_out: torch.Tensor | None = None) -> torch.Tensor:
    """Logits over the vocabulary: h @ w_out (+ b_out).

    h: [..., d], w_out: [d, V], b_out: [V] or None -> [..., V]
    """
    # TODO: Project the hidden states onto the vocabulary and add the bias if given.
    raise NotImplementedError('Project the hidden states onto the vocabulary and add the bias if given.')


def next_token_probs(logits: torch.Tensor, temperature: float = 1.0) -> torch.Tensor:
    """Next-token distribution softmax(logits / temperature) over the last axis.

    logits: [..., V] -> [..., V], each row sums to 1.
    temperature < 1 sharpens, > 1 flattens; temperature <= 0 raises ValueError.
    Example: next_token_probs([2., 1., 0.]) ~= [0.665, 0.245, 0.090].
    """
    # TODO: Divide the logits by the temperature and take the softmax over the vocabulary.
    raise NotImplementedError('Divide the logits by the temperature and take the softmax over the vocabulary.')


def top_tokens(probs: torch.Tensor, k: int) -> list[tuple[int, float]]:
    """The k most probable ids with their probabilities, highest first.

    probs: [V]; ties go to the lower id. 0 <= k <= V, else ValueError.
    Example: top_tokens(torch.tensor([0.1, 0.4, 0.1, 0.4]), 3) == [(1, 0.4), (3, 0.4), (0, 0.1)]
    (as float32 values).
    """
    # TODO: Sort the ids by decreasing probability (stable, so ties keep the lower id first) and keep k.
    raise NotImplementedError('Sort the ids by decreasing probability (stable, so ties keep the lower id first) and keep k.')
