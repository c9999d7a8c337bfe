"""Hidden checks for feed_forward.py: ReLU, exact GELU and the position-wise feed-forward network."""

import math

import numpy as np
import torch

from autograder.checks import close, no_mutation, raises_value_error


def _weights(draw, d=None, f=None):
    """Asymmetric sizes (d != f, often odd) and non-zero biases."""
    d = draw.int(3, 11) if d is None else d
    f = draw.int(d + 1, 4 * d + 3) if f is None else f
    w1 = draw.normal(d, f, scale=1.0 / math.sqrt(d))
    b1 = draw.normal(f, scale=0.5, shift=0.2)
    w2 = draw.normal(f, d, scale=1.0 / math.sqrt(f))
    b2 = draw.normal(d, scale=0.5, shift=-0.3)
    return d, (w1, b1, w2, b2)


def _exact_gelu(x: torch.Tensor) -> np.ndarray:
    """0.5 x (1 + erf(x / sqrt 2)) in float64, written independently of the reference."""
    v = x.detach().to(torch.float64).numpy()
    return np.vectorize(lambda t: 0.5 * t * (1.0 + math.erf(t / math.sqrt(2.0))))(v)


# ------------------------------------------------------------------ activations
def test_relu_matches_reference(student, ref, draw):
    """relu is right on random inputs of any shape"""
    x = draw.normal(*draw.batch(), draw.int(2, 7), draw.int(3, 9), scale=2.0)
    x.view(-1)[: draw.int(1, 3)] = 0.0
    close(student.feed_forward.relu(x), ref.feed_forward.relu(x), what="relu(x)")


def test_gelu_matches_reference(student, ref, draw):
    """gelu is right on random inputs of any shape"""
    x = draw.normal(*draw.batch(), draw.int(2, 7), draw.int(3, 9), scale=2.0)
    close(student.feed_forward.gelu(x), ref.feed_forward.gelu(x), what="gelu(x)")


def test_gelu_is_exact(student, draw):
    """gelu is the exact erf form, not the tanh (or sigmoid) approximation"""
    n = draw.int(20, 40)
    mags = np.where(draw.rng.random(n) < 0.5, draw.rng.uniform(1.0, 1.5, n), draw.rng.uniform(2.2, 3.3, n))
    signs = np.where(draw.rng.random(n) < 0.5, -1.0, 1.0)
    x = torch.from_numpy((mags * signs).astype(np.float32))
    close(student.feed_forward.gelu(x), _exact_gelu(x), rtol=1e-6, atol=1e-6, what="gelu(x)")


def test_gelu_large_inputs(student, draw):
    """gelu stays finite and right for large positive and negative inputs"""
    x = torch.from_numpy((draw.rng.uniform(6.0, 60.0, 12) * np.where(np.arange(12) % 2 == 0, 1.0, -1.0)).astype(np.float32))
    close(student.feed_forward.gelu(x), _exact_gelu(x), what="gelu(x) for large |x|")


# ------------------------------------------------------------------ the network
def test_feed_forward_default_is_gelu(student, ref, draw):
    """feed_forward uses GELU when no activation is given"""
    d, (w1, b1, w2, b2) = _weights(draw)
    x = draw.normal(*draw.batch(), draw.int(2, 7), d, scale=1.5)
    close(student.feed_forward.feed_forward(x, w1, b1, w2, b2),
          ref.feed_forward.feed_forward(x, w1, b1, w2, b2, activation="gelu"), what="feed_forward(x, w1, b1, w2, b2)")


def test_feed_forward_relu(student, ref, draw):
    """feed_forward with activation="relu" is right (batch dimensions, d != f, non-zero biases)"""
    d, (w1, b1, w2, b2) = _weights(draw)
    x = draw.normal(*draw.batch(), draw.int(2, 7), d, scale=1.5)
    close(student.feed_forward.feed_forward(x, w1, b1, w2, b2, activation="relu"),
          ref.feed_forward.feed_forward(x, w1, b1, w2, b2, activation="relu"), what='feed_forward(..., activation="relu")')


def test_feed_forward_gelu(student, ref, draw):
    """feed_forward with activation "gelu" is right (batch dimensions, d != f, non-zero biases)"""
    d, (w1, b1, w2, b2) = _weights(draw)
    x = draw.normal(*draw.batch(), draw.int(2, 7), d, scale=1.5)
    close(student.feed_forward.feed_forward(x, w1, b1, w2, b2, "gelu"),
          ref.feed_forward.feed_forward(x, w1, b1, w2, b2, activation="gelu"), what='feed_forward(..., "gelu")')


def test_activation_switch(student, ref, draw):
    """The activation argument switches between ReLU and GELU on the same input"""
    d, (w1, b1, w2, b2) = _weights(draw)
    x = draw.normal(draw.int(3, 6), d, scale=2.0)
    for act in ("gelu", "relu", "gelu"):
        close(student.feed_forward.feed_forward(x, w1, b1, w2, b2, activation=act),
              ref.feed_forward.feed_forward(x, w1, b1, w2, b2, activation=act), what=f'feed_forward(..., activation="{act}")')


def test_feed_forward_single_vector(student, ref, draw):
    """feed_forward works on a single position: x of shape [d] or [1, d]"""
    d, (w1, b1, w2, b2) = _weights(draw, d=2 * draw.int(2, 6) + 1)
    for x in (draw.normal(d), draw.normal(1, d)):
        for act in ("relu", "gelu"):
            close(student.feed_forward.feed_forward(x, w1, b1, w2, b2, activation=act),
                  ref.feed_forward.feed_forward(x, w1, b1, w2, b2, activation=act), what="feed_forward of a single position")


def test_biases_placement(student, ref, draw):
    """b1 is added before the activation and b2 after the second layer"""
    d, (w1, b1, w2, b2) = _weights(draw)
    b1 = b1 - 0.6  # some hidden units start negative, so the activation matters
    x = torch.zeros(draw.int(2, 4), d)
    x[0] = draw.normal(d)
    for act in ("relu", "gelu"):
        close(student.feed_forward.feed_forward(x, w1, b1, w2, b2, activation=act),
              ref.feed_forward.feed_forward(x, w1, b1, w2, b2, activation=act), what="feed_forward with zero inputs")


def test_unknown_activation_raises(student, draw):
    """An activation other than "relu" or "gelu" raises ValueError"""
    d, (w1, b1, w2, b2) = _weights(draw)
    x = draw.normal(draw.int(2, 4), d)
    bad = draw.choice(["tanh", "sigmoid", "silu", "swish", "softmax", "leaky_relu"])
    raises_value_error(student.feed_forward.feed_forward, x, w1, b1, w2, b2, activation=bad, names=("activation",),
                       what="feed_forward with an unknown activation")


def test_no_mutation(student, draw):
    """relu, gelu and feed_forward leave their inputs unchanged"""
    d, (w1, b1, w2, b2) = _weights(draw)
    x = draw.normal(*draw.batch(1), draw.int(2, 5), d, scale=2.0)
    student.feed_forward.relu(x)
    student.feed_forward.gelu(x)
    student.feed_forward.feed_forward(x, w1, b1, w2, b2, activation="relu")
    student.feed_forward.feed_forward(x, w1, b1, w2, b2, activation="gelu")
    no_mutation(student.calls)
