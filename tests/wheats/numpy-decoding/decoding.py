"""Decoding with NumPy for greedy and top-p (np.ndarray out), torch.multinomial to sample (a correct alternative)."""
import numbers

import numpy as np
import torch

from lm_head import next_token_probs


def _np(x, name):
    if isinstance(x, torch.Tensor):
        a = x.detach().cpu().numpy()
    elif isinstance(x, np.ndarray):
        a = x
    else:
        raise ValueError(f"{name} must be a tensor")
    if a.ndim != 1 or a.shape[0] == 0:
        raise ValueError(f"{name} must be a non-empty 1-D tensor")
    return a


def _check_top_p(top_p):
    if isinstance(top_p, bool) or not isinstance(top_p, numbers.Real) or not 0.0 < top_p <= 1.0:
        raise ValueError(f"top_p must be in (0, 1], got {top_p!r}")


def greedy(logits):
    return int(np.argmax(_np(logits, "logits")))  # np.argmax returns the first maximum


def top_p_filter(probs, top_p):
    p = _np(probs, "probs")
    _check_top_p(top_p)
    if (p < 0).any():
        raise ValueError("probs must be non-negative")
    order = np.argsort(-p, kind="stable")
    cum = np.cumsum(p[order].astype(np.float64))
    n = int(np.searchsorted(cum, top_p, side="left")) + 1  # first position whose cumulative sum reaches top_p
    n = min(n, p.shape[0])
    out = np.zeros(p.shape[0], dtype=np.float64)
    out[order[:n]] = p[order[:n]]
    return out / out.sum()


def sample_next_token(logits, temperature=1.0, top_p=1.0, generator=None):
    _np(logits, "logits")
    _check_top_p(top_p)
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real) or temperature < 0:
        raise ValueError(f"temperature must be a number >= 0, got {temperature!r}")
    if temperature == 0:
        return greedy(logits)
    probs = top_p_filter(next_token_probs(logits, temperature), top_p)
    return int(torch.multinomial(torch.from_numpy(np.asarray(probs, dtype=np.float32)), 1, generator=generator)[0])


def generate(next_token_logits, prompt, max_new_tokens, temperature=0.0, top_p=1.0,
             context_length=None, eos_id=None, generator=None):
    if not callable(next_token_logits):
        raise ValueError("next_token_logits must be callable")
    if isinstance(max_new_tokens, bool) or not isinstance(max_new_tokens, numbers.Integral) or max_new_tokens < 0:
        raise ValueError("max_new_tokens must be an int >= 0")
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real) or temperature < 0:
        raise ValueError("temperature must be a number >= 0")
    _check_top_p(top_p)
    if context_length is not None and (isinstance(context_length, bool) or not isinstance(context_length, numbers.Integral)
                                       or context_length < 1):
        raise ValueError("context_length must be None or an int >= 1")
    tokens = np.array([int(t) for t in prompt], dtype=np.int64)
    for _ in range(max_new_tokens):
        ctx = tokens if context_length is None else tokens[-context_length:]
        nxt = sample_next_token(torch.as_tensor(next_token_logits(ctx.tolist())), temperature, top_p, generator)
        tokens = np.append(tokens, nxt)
        if eos_id is not None and nxt == eos_id:
            break
    return [int(t) for t in tokens]
