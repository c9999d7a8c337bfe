"""The position-wise feed-forward network and its activations."""
import math

import torch


def relu(x: torch.Tensor) -> torch.Tensor:
    """ReLU: max(x, 0) elementwise. relu([-1., 0.5]) == [0., 0.5]."""
    if not isinstance(x, torch.Tensor):
        raise ValueError(f"x must be a torch.Tensor, got {type(x).__name__}")
    return torch.clamp(x, min=0.0)


def gelu(x: torch.Tensor) -> torch.Tensor:
    """Exact GELU: 0.5 * x * (1 + erf(x / sqrt(2))) (not the tanh approximation).

    gelu(0.) == 0., gelu(1.) ~= 0.8413, gelu(-1.) ~= -0.1587.
    """
    if not isinstance(x, torch.Tensor):
        raise ValueError(f"x must be a torch.Tensor, got {type(x).__name__}")
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))


def feed_forward(
    x: torch.Tensor,
    w1: torch.Tensor,
    b1: torch.Tensor,
    w2: torch.Tensor,
    b2: torch.Tensor,
    activation: str = "gelu",
) -> torch.Tensor:
    """Position-wise feed-forward network: act(x @ w1 + b1) @ w2 + b2.

    x: [..., d], w1: [d, f], b1: [f], w2: [f, d], b2: [d] -> [..., d]
    ``activation`` is "gelu" (default) or "relu"; anything else raises ValueError.
    Each position is transformed independently (typically f = 4d).
    """
    activations = {"relu": relu, "gelu": gelu}
    if not isinstance(activation, str) or activation not in activations:
        raise ValueError(f'activation must be "relu" or "gelu", got {activation!r}')
    if not isinstance(x, torch.Tensor) or x.ndim < 1:
        raise ValueError("x must be a tensor of shape [..., d]")
    d = x.shape[-1]
    if not isinstance(w1, torch.Tensor) or w1.ndim != 2 or w1.shape[0] != d:
        raise ValueError(f"w1 must have shape ({d}, f)")
    f = w1.shape[1]
    if not isinstance(b1, torch.Tensor) or tuple(b1.shape) != (f,):
        raise ValueError(f"b1 must have shape ({f},)")
    if not isinstance(w2, torch.Tensor) or tuple(w2.shape) != (f, d):
        raise ValueError(f"w2 must have shape ({f}, {d})")
    if not isinstance(b2, torch.Tensor) or tuple(b2.shape) != (d,):
        raise ValueError(f"b2 must have shape ({d},)")
    hidden = activations[activation](x @ w1 + b1)  # [..., f]
    return hidden @ w2 + b2
