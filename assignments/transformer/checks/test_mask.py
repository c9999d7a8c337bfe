"""Public checks for mask.py: the causal mask (run them with `autograder check mask` or `pytest`)."""

import numpy as np

from autograder.checks import close, fail, raises_value_error

INF = float("-inf")


def test_square_mask(student):
    """causal_mask(3) blocks the future positions with -inf"""
    expected = np.array([[0.0, INF, INF],
                         [0.0, 0.0, INF],
                         [0.0, 0.0, 0.0]])
    close(student.mask.causal_mask(3), expected, what="causal_mask(3)")


def test_more_keys_than_queries(student):
    """causal_mask(2, 4): the 2 queries are the last 2 of the 4 positions"""
    expected = np.array([[0.0, 0.0, 0.0, INF],
                         [0.0, 0.0, 0.0, 0.0]])
    close(student.mask.causal_mask(2, 4), expected, what="causal_mask(2, 4)")
    close(student.mask.causal_mask(1, 3), np.zeros((1, 3)), what="causal_mask(1, 3)")


def test_float32_and_default(student, draw):
    """The mask is float32, and causal_mask(n) equals causal_mask(n, n)"""
    n = draw.int(2, 8)
    got = student.mask.causal_mask(n)
    if type(got) is not np.ndarray or got.dtype != np.float32:
        fail(f"causal_mask should return a float32 tensor, got {getattr(got, 'dtype', type(got).__name__)}", "dtype")
    close(got, student.mask.causal_mask(n, n), what="causal_mask(n)")


def test_fewer_keys_raises(student):
    """causal_mask(4, 2) raises ValueError (k_len must be at least q_len)"""
    raises_value_error(student.mask.causal_mask, 4, 2, names=("k_len", "q_len"), what="causal_mask(4, 2)")
