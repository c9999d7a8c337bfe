"""Wheat: NumPy inside, float64 arithmetic, math.erf through np.vectorize; returns np.ndarray (float32)."""
import math

import numpy as np
import torch

_erf = np.vectorize(math.erf, otypes=[np.float64])


def _np(t, name):
    if isinstance(t, torch.Tensor):
        return t.detach().numpy().astype(np.float64)
    if isinstance(t, np.ndarray):
        return t.astype(np.float64)
    raise ValueError(f"{name} must be a tensor")


def relu(x):
    a = _np(x, "x")
    return np.maximum(a, 0.0).astype(np.float32)


def gelu(x):
    a = _np(x, "x")
    return (0.5 * a * (1.0 + _erf(a / math.sqrt(2.0)))).astype(np.float32)


def feed_forward(x, w1, b1, w2, b2, activation="gelu"):
    if activation not in ("relu", "gelu"):
        raise ValueError(f"activation must be 'relu' or 'gelu', not {activation!r}")
    X, W1, B1, W2, B2 = (_np(t, n) for t, n in ((x, "x"), (w1, "w1"), (b1, "b1"), (w2, "w2"), (b2, "b2")))
    d = X.shape[-1] if X.ndim else None
    if d is None:
        raise ValueError("x must have shape [..., d]")
    if W1.ndim != 2 or W1.shape[0] != d:
        raise ValueError("w1 must have shape [d, f]")
    f = W1.shape[1]
    if B1.shape != (f,):
        raise ValueError("b1 must have shape [f]")
    if W2.shape != (f, d):
        raise ValueError("w2 must have shape [f, d]")
    if B2.shape != (d,):
        raise ValueError("b2 must have shape [d]")
    h = X @ W1 + B1
    h = np.maximum(h, 0.0) if activation == "relu" else 0.5 * h * (1.0 + _erf(h / math.sqrt(2.0)))
    return (h @ W2 + B2).astype(np.float32)
