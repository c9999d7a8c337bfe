"""Wheat: one position at a time, math.erf per element, float64 inside, F.relu."""
import math

import torch
import torch.nn.functional as F


def relu(x):
    if not torch.is_tensor(x):
        raise ValueError("x must be a tensor")
    return F.relu(x)


def gelu(x):
    if not torch.is_tensor(x):
        raise ValueError("x must be a tensor")
    vals = [0.5 * v * (1.0 + math.erf(v / math.sqrt(2.0))) for v in x.detach().to(torch.float64).reshape(-1).tolist()]
    return torch.tensor(vals, dtype=torch.float64).reshape(x.shape).to(x.dtype)


def feed_forward(x, w1, b1, w2, b2, activation="gelu"):
    if activation == "relu":
        act = relu
    elif activation == "gelu":
        act = gelu
    else:
        raise ValueError(f"activation {activation!r} is not supported: use 'relu' or 'gelu'")
    d = x.shape[-1]
    if tuple(w1.shape[:1]) != (d,) or w1.ndim != 2:
        raise ValueError("w1 must be [d, f]")
    f = w1.shape[1]
    if tuple(b1.shape) != (f,) or tuple(w2.shape) != (f, d) or tuple(b2.shape) != (d,):
        raise ValueError("b1 must be [f], w2 [f, d] and b2 [d]")
    W1, B1, W2, B2 = (t.to(torch.float64) for t in (w1, b1, w2, b2))
    rows = x.reshape(-1, d).to(torch.float64)
    out = torch.empty(rows.shape[0], d, dtype=torch.float64)
    for r in range(rows.shape[0]):
        h = act(rows[r] @ W1 + B1)
        out[r] = h @ W2 + B2
    return out.reshape(x.shape).to(torch.float32)
