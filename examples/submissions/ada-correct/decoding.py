"""Decoding: greedy choice, top-p (nucleus) filtering, sampling and generation."""
import numbers
from collections.abc import Callable

import torch

from lm_head import next_token_probs

_lm_head_next_token_probs = next_token_probs


def next_token_probs(logits, temperature=1.0):
    """lm_head's next_token_probs, as a tensor even when it computes with NumPy (the contract allows it)."""
    return torch.as_tensor(_lm_head_next_token_probs(logits, temperature), dtype=logits.dtype)

def _check_top_p(top_p):
    """Raise ValueError unless top_p is a number in (0, 1]."""
    if isinstance(top_p, bool) or not isinstance(top_p, numbers.Real) or not 0 < top_p <= 1:
        raise ValueError(f"top_p must be a number in (0, 1], got {top_p!r}")


def _check_vector(value, name):
    """Raise ValueError unless value is a non-empty 1-D tensor."""
    if not isinstance(value, torch.Tensor) or value.ndim != 1 or value.shape[0] == 0:
        raise ValueError(f"{name} must be a non-empty 1-D tensor of shape [V]")


def greedy(logits: torch.Tensor) -> int:
    """The id with the largest logit (arg-max); ties go to the lower id.

    logits: [V] -> int. Example: greedy(torch.tensor([0.1, 2.0, 2.0])) == 1.
    """
    _check_vector(logits, "logits")
    return int(torch.argmax(logits))  # torch.argmax returns the first maximal index


def top_p_filter(probs: torch.Tensor, top_p: float) -> torch.Tensor:
    """Nucleus filter: keep the most probable ids until their mass reaches top_p.

    probs: [V] -> [V]. Rank ids by probability (ties to the lower id), keep the
    shortest prefix whose cumulative probability is >= top_p (at least one id),
    zero the rest and renormalise to sum 1. top_p outside (0, 1] raises ValueError.
    Example: probs [0.1, 0.5, 0.3, 0.1], top_p=0.7 -> ranking 1, 2, 0, 3 with
    cumulative 0.5, 0.8, ... -> keep {1, 2} -> [0., 0.625, 0.375, 0.].
    """
    _check_vector(probs, "probs")
    _check_top_p(top_p)
    if bool((probs < 0).any()):
        raise ValueError("probs must be non-negative")
    order = torch.sort(-probs, stable=True).indices  # descending; ties keep the lower id first
    cumulative = torch.cumsum(probs[order], dim=0)
    num_keep = min(int((cumulative < top_p).sum()) + 1, probs.shape[0])  # include the id that reaches top_p
    keep = order[:num_keep]
    filtered = torch.zeros_like(probs)
    filtered[keep] = probs[keep]
    return filtered / filtered.sum()


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
    _check_vector(logits, "logits")
    _check_top_p(top_p)
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real):
        raise ValueError(f"temperature must be a number >= 0, got {temperature!r}")
    if temperature == 0:
        return greedy(logits)
    probs = top_p_filter(next_token_probs(logits, temperature), top_p)  # temperature < 0 -> ValueError
    return int(torch.multinomial(probs, 1, generator=generator))


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
    if not callable(next_token_logits):
        raise ValueError("next_token_logits must be callable")
    if isinstance(prompt, torch.Tensor):
        prompt = prompt.tolist()
    if not isinstance(prompt, (list, tuple)) or not all(
        isinstance(t, numbers.Integral) and not isinstance(t, bool) for t in prompt
    ):
        raise ValueError("prompt must be a list of int token ids")
    if isinstance(max_new_tokens, bool) or not isinstance(max_new_tokens, numbers.Integral) or max_new_tokens < 0:
        raise ValueError(f"max_new_tokens must be an int >= 0, got {max_new_tokens!r}")
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real) or not temperature >= 0:
        raise ValueError(f"temperature must be a number >= 0, got {temperature!r}")
    _check_top_p(top_p)
    if context_length is not None and (
        isinstance(context_length, bool) or not isinstance(context_length, numbers.Integral) or context_length < 1
    ):
        raise ValueError(f"context_length must be None or an int >= 1, got {context_length!r}")
    if eos_id is not None and (isinstance(eos_id, bool) or not isinstance(eos_id, numbers.Integral)):
        raise ValueError(f"eos_id must be None or an int, got {eos_id!r}")

    ids = [int(t) for t in prompt]
    for _ in range(int(max_new_tokens)):
        context = ids if context_length is None else ids[-int(context_length):]
        logits = torch.as_tensor(next_token_logits(list(context)))  # pass a copy: the model cannot edit ids
        next_id = sample_next_token(logits, temperature, top_p, generator)
        ids.append(next_id)
        if eos_id is not None and next_id == eos_id:
            break
    return ids
