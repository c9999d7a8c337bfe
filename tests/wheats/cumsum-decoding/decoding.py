"""Decoding with an exclusive cumulative-sum mask for top-p and list concatenation in generate (a correct alternative)."""
import torch

from lm_head import next_token_probs


def _check(logits_or_probs, name):
    if not isinstance(logits_or_probs, torch.Tensor) or logits_or_probs.ndim != 1 or len(logits_or_probs) == 0:
        raise ValueError(f"{name} must be a non-empty 1-D tensor")


def _check_p(top_p):
    if type(top_p) not in (int, float) or not 0 < top_p <= 1:
        raise ValueError(f"top_p must be in (0, 1], got {top_p!r}")


def greedy(logits):
    _check(logits, "logits")
    best = logits.max()
    return int((logits == best).nonzero()[0, 0])  # the lowest id among the maxima


def top_p_filter(probs, top_p):
    _check(probs, "probs")
    _check_p(top_p)
    if (probs < 0).any():
        raise ValueError("probs must be non-negative")
    ids = torch.arange(len(probs))
    # Sort by (-p, id): lexsort via two stable sorts.
    order = ids[torch.argsort(-probs, stable=True)]
    sorted_p = probs[order]
    before = torch.cumsum(sorted_p, 0) - sorted_p  # mass strictly before each ranked id
    keep_sorted = before < top_p
    keep_sorted[0] = True
    mask = torch.zeros(len(probs), dtype=torch.bool)
    mask[order[keep_sorted]] = True
    kept = torch.where(mask, probs, torch.zeros_like(probs))
    return kept / kept.sum()


def sample_next_token(logits, temperature=1.0, top_p=1.0, generator=None):
    _check(logits, "logits")
    _check_p(top_p)
    if type(temperature) not in (int, float) or temperature < 0:
        raise ValueError(f"temperature must be a number >= 0, got {temperature!r}")
    if temperature == 0:
        return greedy(logits)
    filtered = top_p_filter(next_token_probs(logits, temperature), top_p)
    return torch.multinomial(filtered, num_samples=1, generator=generator).item()


def generate(next_token_logits, prompt, max_new_tokens, temperature=0.0, top_p=1.0,
             context_length=None, eos_id=None, generator=None):
    if not callable(next_token_logits):
        raise ValueError("next_token_logits must be callable")
    if type(max_new_tokens) is not int or max_new_tokens < 0:
        raise ValueError("max_new_tokens must be an int >= 0")
    if type(temperature) not in (int, float) or temperature < 0:
        raise ValueError("temperature must be >= 0")
    _check_p(top_p)
    if context_length is not None and (type(context_length) is not int or context_length < 1):
        raise ValueError("context_length must be None or an int >= 1")
    prompt = list(prompt)
    new = []
    for _ in range(max_new_tokens):
        seq = prompt + new
        if context_length is not None:
            seq = seq[-context_length:]
        new.append(sample_next_token(next_token_logits(seq), temperature, top_p, generator))
        if eos_id is not None and new[-1] == eos_id:
            break
    return prompt + new
