"""Wheat: einsum for the layers, GELU as x * Phi(x) with torch.special.ndtr, ReLU with torch.where."""
import torch


def relu(x):
    if not isinstance(x, torch.Tensor):
        raise ValueError("x must be a torch.Tensor")
    return torch.where(x > 0, x, torch.zeros_like(x))


def gelu(x):
    if not isinstance(x, torch.Tensor):
        raise ValueError("x must be a torch.Tensor")
    return x * torch.special.ndtr(x)


def feed_forward(x, w1, b1, w2, b2, activation="gelu"):
    act = {"relu": relu, "gelu": gelu}.get(activation) if isinstance(activation, str) else None
    if act is None:
        raise ValueError(f"unknown activation {activation!r} (use 'relu' or 'gelu')")
    if x.ndim < 1 or w1.ndim != 2 or w1.shape[0] != x.shape[-1]:
        raise ValueError("w1 must have shape [d, f] with d = x.shape[-1]")
    if b1.shape != (w1.shape[1],) or w2.shape != (w1.shape[1], x.shape[-1]) or b2.shape != (x.shape[-1],):
        raise ValueError("b1, w2, b2 must have shapes [f], [f, d], [d]")
    h = act(torch.einsum("...d,df->...f", x, w1) + b1)
    return torch.einsum("...f,fd->...d", h, w2) + b2
