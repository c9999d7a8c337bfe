"""The position-wise feed-forward network and its activations."""
import math

import torch


def relu(x: torch.Tensor) -> torch.Tensor:
    """ReLU: max(x, 0) elementwise. relu([-1., 0.5]) == [0., 0.5]."""
    # TODO: Replace the negative entries by 0.
    raise NotImplementedError('Replace the negative entries by 0.')


def gelu(x: torch.Tensor) -> torch.Tensor:
    """Exact GELU: 0.5 * x * (1 + erf(x / sqrt(2))) (not the tanh approximation).

    gelu(0.) == 0., gelu(1.) ~= 0.8413, gelu(-1.) ~= -0.1587.
    """
    # TODO: Compute 0.5 * x * (1 + erf(x / sqrt(2))).
    raise NotImplementedError('Compute 0.5 * x * (1 + erf(x / sqrt(2))).')


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
    # TODO: Apply the first linear layer, the activation, then the second linear layer.
    raise NotImplementedError('Apply the first linear layer, the activation, then the second linear layer.')
