"""Public checks for positional_encoding.py (run them with `autograder check positional_encoding` or `pytest`)."""

import math

import numpy as np
import torch

from autograder.checks import close, fail, raises_value_error

TABLE = torch.tensor([[0.0, 0.0], [1.0, 2.0], [3.0, 4.0]])


def test_embed_example(student):
    """embed looks up one row of the table per id"""
    ids = torch.tensor([[2, 1]])
    close(student.positional_encoding.embed(ids, TABLE), [[[3.0, 4.0], [1.0, 2.0]]], what="embed([[2, 1]], table)")


def test_embed_out_of_range_raises(student):
    """embed with an id outside [0, V) raises ValueError"""
    raises_value_error(student.positional_encoding.embed, torch.tensor([0, 3]), TABLE, names=("token_ids", "token id", "ids"),
                       what="embed with the id 3 and a table of 3 rows")


def test_small_table(student):
    """sinusoidal_positional_encoding(3, 4) follows the formula (sin, cos interleaved)"""
    expected = [[0.0, 1.0, 0.0, 1.0],
                [math.sin(1), math.cos(1), math.sin(0.01), math.cos(0.01)],  # 10000^(2/4) = 100
                [math.sin(2), math.cos(2), math.sin(0.02), math.cos(0.02)]]
    close(student.positional_encoding.sinusoidal_positional_encoding(3, 4), expected,
          what="sinusoidal_positional_encoding(3, 4)")


def test_table_properties(student, draw):
    """Row 0 is [0, 1, 0, 1, ...] and every value lies in [-1, 1]"""
    L, d = draw.int(20, 200), draw.int(3, 33)
    got = student.positional_encoding.sinusoidal_positional_encoding(L, d)
    if type(got) is not np.ndarray or got.shape != (L, d):
        fail(f"sinusoidal_positional_encoding(seq_len, d_model) should be a tensor of shape [seq_len, d_model], "
             f"got {getattr(got, 'shape', type(got).__name__)}", "shape")
    close(got[0], np.arange(d) % 2, what="row 0 of the table")
    if not np.isfinite(got).all() or np.abs(got).max() > 1.0 + 1e-6:
        fail("the table holds values outside [-1, 1]", "mismatch")


def test_embed_with_positions_example(student):
    """embed_with_positions adds PE[:L] to the embeddings (no scaling)"""
    expected = [[3.0 + 0.0, 4.0 + 1.0], [1.0 + math.sin(1), 2.0 + math.cos(1)]]
    close(student.positional_encoding.embed_with_positions(torch.tensor([2, 1]), TABLE), expected,
          what="embed_with_positions([2, 1], table)")
