"""Decoding with plain Python loops and a while-loop generate (a correct alternative)."""
import torch

from lm_head import next_token_probs


def _vector(x, name):
    if not isinstance(x, torch.Tensor) or x.dim() != 1 or x.numel() == 0:
        raise ValueError(f"{name} must be a non-empty 1-D tensor")


def _top_p_ok(top_p):
    if isinstance(top_p, bool) or not isinstance(top_p, (int, float)) or not (0 < top_p <= 1):
        raise ValueError(f"top_p must be in (0, 1], got {top_p!r}")


def greedy(logits):
    _vector(logits, "logits")
    values = logits.tolist()
    best = 0
    for i in range(1, len(values)):
        if values[i] > values[best]:  # strictly greater: the first maximum wins ties
            best = i
    return best


def top_p_filter(probs, top_p):
    _vector(probs, "probs")
    _top_p_ok(top_p)
    values = probs.tolist()
    if min(values) < 0:
        raise ValueError("probs must be non-negative")
    ranked = sorted(range(len(values)), key=lambda i: (-values[i], i))
    kept, total = [], 0.0
    for i in ranked:
        kept.append(i)
        total += values[i]
        if total >= top_p:
            break
    out = [0.0] * len(values)
    for i in kept:
        out[i] = values[i] / total
    return torch.tensor(out, dtype=probs.dtype)


def sample_next_token(logits, temperature=1.0, top_p=1.0, generator=None):
    _vector(logits, "logits")
    _top_p_ok(top_p)
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float)):
        raise ValueError("temperature must be a number")
    if temperature < 0:
        raise ValueError(f"temperature must be >= 0, got {temperature!r}")
    if temperature == 0:
        return greedy(logits)
    probs = top_p_filter(next_token_probs(logits, temperature), top_p)
    return int(torch.multinomial(probs, 1, generator=generator).item())


def generate(next_token_logits, prompt, max_new_tokens, temperature=0.0, top_p=1.0,
             context_length=None, eos_id=None, generator=None):
    if not callable(next_token_logits):
        raise ValueError("next_token_logits must be callable")
    if isinstance(max_new_tokens, bool) or not isinstance(max_new_tokens, int) or max_new_tokens < 0:
        raise ValueError("max_new_tokens must be an int >= 0")
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float)) or temperature < 0:
        raise ValueError("temperature must be >= 0")
    _top_p_ok(top_p)
    if context_length is not None and (isinstance(context_length, bool) or not isinstance(context_length, int) or context_length < 1):
        raise ValueError("context_length must be None or an int >= 1")
    out = [int(t) for t in prompt]
    produced = 0
    while produced < max_new_tokens:
        window = out if context_length is None else out[max(0, len(out) - context_length):]
        logits = next_token_logits(list(window))
        if not isinstance(logits, torch.Tensor):
            logits = torch.tensor(logits)
        token = sample_next_token(logits, temperature, top_p, generator)
        out.append(token)
        produced += 1
        if token == eos_id:
            break
    return out
