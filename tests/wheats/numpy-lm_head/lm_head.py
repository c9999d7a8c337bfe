"""LM head with NumPy (float64 inside, np.ndarray out) (a correct alternative)."""
import numbers

import numpy as np
import torch


def _np(x, name):
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    if isinstance(x, np.ndarray):
        return x
    raise ValueError(f"{name} must be a tensor")


def lm_head(h, w_out, b_out=None):
    H, W = _np(h, "h").astype(np.float64), _np(w_out, "w_out").astype(np.float64)
    if W.ndim != 2 or H.ndim < 1 or H.shape[-1] != W.shape[0]:
        raise ValueError("h must be [..., d] and w_out [d, V]")
    out = H @ W
    if b_out is not None:
        b = _np(b_out, "b_out").astype(np.float64)
        if b.shape != (W.shape[1],):
            raise ValueError("b_out must have shape [V]")
        out = out + b
    return out


def next_token_probs(logits, temperature=1.0):
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real) or temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature!r}")
    z = _np(logits, "logits").astype(np.float64) / float(temperature)
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def top_tokens(probs, k):
    p = _np(probs, "probs")
    if p.ndim != 1:
        raise ValueError("probs must be 1-D")
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 0 <= k <= p.shape[0]:
        raise ValueError(f"k must be in [0, V], got {k!r}")
    order = np.argsort(-p, kind="stable")[:k]  # stable: equal probabilities keep the lower id first
    return [(int(i), float(p[i])) for i in order]
