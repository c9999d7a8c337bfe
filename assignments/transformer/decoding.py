"""Decoding: greedy choice, top-p (nucleus) filtering, sampling and generation."""
import numbers
from collections.abc import Callable

import torch

from lm_head import next_token_probs


def greedy(logits: torch.Tensor) -> int:
    """The id with the largest logit (arg-max); ties go to the lower id.

    logits: [V] -> int. Example: greedy(torch.tensor([0.1, 2.0, 2.0])) == 1.
    """
    # TODO: Return the index of the largest logit as a Python int (first one on ties).
    raise NotImplementedError('Return the index of the largest logit as a Python int (first one on ties).')


def top_p_filter(probs: torch.Tensor, top_p: float) -> torch.Tensor:
    """Nucleus filter: keep the most probable ids until their mass reaches top_p.

    probs: [V] -> [V]. Rank ids by probability (ties to the lower id), keep the
    shortest prefix whose cumulative probability is >= top_p (at least one id),
    zero the rest and renormalise to sum 1. top_p outside (0, 1] raises ValueError.
    Example: probs [0.1, 0.5, 0.3, 0.1], top_p=0.7 -> ranking 1, 2, 0, 3 with
    cumulative 0.5, 0.8, ... -> keep {1, 2} -> [0., 0.625, 0.375, 0.].
    """
    # TODO: Sort by decreasing probability, keep the shortest prefix reaching top_p, zero the rest and renormalise.
    raise NotImplementedError('Sort by decreasing probability, keep the shortest prefix reaching top_p, zero the rest and renormalise.')


def sample_next_token(
    logits: torch.Tensor,
    temperature: float = 1.0,
    top_p: float = 1.0,
    generator: torch.Generator | None = None,
) -> int:
    """Pick the next id from logits [V].

    temperature == 0 -> greedy(logits); otherwise sample one id from
    top_p_filter(next_token_probs(logits, temperature), top_p) with
    torch.multinomial(probs, 1, generator=generator). temperature < 0 or top_p
    outside (0, 1] raise ValueError. Pass a seeded torch.Generator for reproducibility.
    """
    # TODO: Use greedy when temperature is 0, else sample from the top-p filtered tempered softmax.
    raise NotImplementedError('Use greedy when temperature is 0, else sample from the top-p filtered tempered softmax.')


def generate(
    next_token_logits: Callable[[list[int]], torch.Tensor],
    prompt: list[int],
    max_new_tokens: int,
    temperature: float = 0.0,
    top_p: float = 1.0,
    context_length: int | None = None,
    eos_id: int | None = None,
    generator: torch.Generator | None = None,
) -> list[int]:
    """Autoregressive generation; returns prompt + new ids (a new list).

    Each step calls next_token_logits on the last context_length ids (all of
    them when None), picks the next id with sample_next_token and appends it.
    Stops after max_new_tokens new ids, or right after emitting eos_id (which
    is included). max_new_tokens == 0 returns a copy of the prompt.
    Example: with a model that always favours id 7, generate(model, [1, 2], 3) == [1, 2, 7, 7, 7].
    """
    # TODO: Loop: crop the context, get the logits, pick the next id, append it, stop at eos_id or max_new_tokens.
    raise NotImplementedError('Loop: crop the context, get the logits, pick the next id, append it, stop at eos_id or max_new_tokens.')
