"""Public checks for feed_forward.py (run them with `autograder check feed_forward` or `pytest`)."""

import torch

from autograder.checks import close, raises_value_error

X = torch.tensor([[1.0, -1.0]])
W1 = torch.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
B1 = torch.tensor([0.0, 0.5, -1.0])
W2 = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
B2 = torch.tensor([0.5, -0.5])


def test_relu(student):
    """relu keeps positive values and zeroes the others"""
    close(student.feed_forward.relu(torch.tensor([-1.0, 0.5, 0.0, 2.0])), [0.0, 0.5, 0.0, 2.0], what="relu")


def test_gelu_values(student):
    """gelu is the exact erf form: gelu(1) = 0.8413447, gelu(-1) = -0.1586553"""
    close(student.feed_forward.gelu(torch.tensor([0.0, 1.0, -1.0, 2.0, -2.5])),
          [0.0, 0.8413447460685429, -0.15865525393145707, 1.9544997361036416, -0.015524163314440398],
          rtol=1e-6, atol=1e-6, what="gelu")


def test_feed_forward_relu(student):
    """feed_forward(x, w1, b1, w2, b2, "relu") = relu(x @ w1 + b1) @ w2 + b2"""
    # x @ w1 + b1 = [1, -0.5, -1] -> relu -> [1, 0, 0] -> @ w2 -> [1, 0] -> + b2 -> [1.5, -0.5]
    close(student.feed_forward.feed_forward(X, W1, B1, W2, B2, activation="relu"), [[1.5, -0.5]],
          what='feed_forward(..., activation="relu")')


def test_feed_forward_default_gelu(student):
    """feed_forward uses GELU by default"""
    # gelu([1, -0.5, -1]) @ w2 + b2
    close(student.feed_forward.feed_forward(X, W1, B1, W2, B2), [[1.1826894921370859, -0.8129240232944506]],
          what="feed_forward(x, w1, b1, w2, b2)")


def test_unknown_activation_raises(student):
    """An unknown activation name raises ValueError"""
    raises_value_error(student.feed_forward.feed_forward, X, W1, B1, W2, B2, activation="tanh", names=("activation",),
                       what='feed_forward(..., activation="tanh")')
