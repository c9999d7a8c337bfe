"""Hidden checks for positional_encoding.py: embeddings and sinusoidal positions."""

import numpy as np
import pytest
import torch

from autograder.checks import close, fail, no_mutation, raises_value_error
from autograder.student import BadValue


def _array(got, what):
    if type(got) is not np.ndarray:
        kind = got.what if isinstance(got, BadValue) else "None (did you forget to return?)" if got is None else f"a {type(got).__name__}"
        fail(f"{what} should be a tensor, but it is {kind}", "type")
    if got.dtype.kind != "f":
        fail(f"{what} should hold floating-point numbers (float32), but its dtype is {got.dtype}", "dtype")
    return got.astype(np.float64)


def _formula(seq_len: int, d_model: int) -> np.ndarray:
    """The course formula, written independently of the reference, in float64."""
    p = np.arange(seq_len, dtype=np.float64)[:, None]
    cols = np.arange(d_model)
    two_i = (cols - cols % 2).astype(np.float64)
    angle = p / 10000.0 ** (two_i / d_model)
    return np.where(cols % 2 == 0, np.sin(angle), np.cos(angle))


def _ids_and_table(draw, batch=(), length=None):
    V = draw.int(6, 40)
    d = draw.int(3, 17)
    L = draw.int(2, 9) if length is None else length
    return draw.ids(*batch, L, vocab=V), draw.normal(V, d, scale=0.8, shift=0.1), V


# ------------------------------------------------------------------ embed
def test_embed_matches_reference(student, ref, draw):
    """embed returns the rows of the table selected by the ids (with batch dimensions)"""
    ids, table, _ = _ids_and_table(draw, draw.batch())
    close(student.positional_encoding.embed(ids, table), ref.positional_encoding.embed(ids, table), what="embed(token_ids, table)")


def test_embed_edges(student, ref, draw):
    """embed handles a single token and the ids 0 and V - 1"""
    ids, table, V = _ids_and_table(draw)
    ids[0], ids[-1] = V - 1, 0
    close(student.positional_encoding.embed(ids, table), ref.positional_encoding.embed(ids, table), what="embed(token_ids, table)")
    one = torch.tensor([V - 1], dtype=torch.int64)
    close(student.positional_encoding.embed(one, table), ref.positional_encoding.embed(one, table), what="embed of one token")
    one2 = torch.tensor([[0], [V - 1]], dtype=torch.int64)
    close(student.positional_encoding.embed(one2, table), ref.positional_encoding.embed(one2, table),
          what="embed of a batch of one-token sequences")


def test_embed_negative_id_raises(student, draw):
    """embed with a negative id raises ValueError"""
    ids, table, _ = _ids_and_table(draw, draw.batch(1))
    ids.view(-1)[draw.int(0, ids.numel() - 1)] = -draw.int(1, 3)
    raises_value_error(student.positional_encoding.embed, ids, table, names=("token_ids", "token id", "ids"),
                       what="embed with a negative id")


def test_embed_too_large_id_raises(student, draw):
    """embed with an id equal to the vocabulary size (or above) raises ValueError"""
    ids, table, V = _ids_and_table(draw, draw.batch(1))
    ids.view(-1)[draw.int(0, ids.numel() - 1)] = V
    raises_value_error(student.positional_encoding.embed, ids, table, names=("token_ids", "token id", "ids"),
                       what="embed with an id equal to V")
    ids, table, V = _ids_and_table(draw)
    ids[draw.int(0, ids.numel() - 1)] = V + draw.int(1, 50)
    raises_value_error(student.positional_encoding.embed, ids, table, names=("token_ids", "token id", "ids"),
                       what="embed with an id above V")


# ------------------------------------------------------------------ sinusoidal table
def test_pe_matches_reference_even(student, ref, draw):
    """The positional encoding table is right for an even d_model"""
    for _ in range(2):
        L, d = draw.int(2, 64), 2 * draw.int(2, 40)
        close(student.positional_encoding.sinusoidal_positional_encoding(L, d),
              ref.positional_encoding.sinusoidal_positional_encoding(L, d), what="the positional encoding table")


def test_pe_matches_reference_odd(student, ref, draw):
    """The positional encoding table is right for an odd d_model (the last column is a sine)"""
    for _ in range(2):
        L, d = draw.int(2, 64), 2 * draw.int(1, 30) + 1
        close(student.positional_encoding.sinusoidal_positional_encoding(L, d),
              ref.positional_encoding.sinusoidal_positional_encoding(L, d), what="the positional encoding table")


def test_pe_formula(student, draw):
    """Column 2i at position p is sin(p / 10000^(2i/d_model)) and column 2i+1 its cosine"""
    L, d = draw.int(10, 60), draw.int(20, 90)
    got = _array(student.positional_encoding.sinusoidal_positional_encoding(L, d), "the positional encoding table")
    close(got, _formula(L, d), what="the positional encoding table")


def test_pe_tiny_d_model(student, draw):
    """d_model = 1 gives [sin p] and d_model = 2 gives [sin p, cos p]"""
    L = draw.int(3, 20)
    for d in (1, 2):
        close(student.positional_encoding.sinusoidal_positional_encoding(L, d), _formula(L, d),
              what=f"the positional encoding table with d_model = {d}")


def test_pe_first_row(student, draw):
    """Position 0 is encoded as [0, 1, 0, 1, ...]"""
    L, d = draw.int(1, 12), draw.int(3, 40)
    got = _array(student.positional_encoding.sinusoidal_positional_encoding(L, d), "the positional encoding table")
    if got.shape != (L, d):
        fail(f"the positional encoding table has shape {list(got.shape)}, expected [seq_len, d_model]", "shape")
    close(got[0], np.arange(d) % 2, what="row 0 of the positional encoding table")


def test_pe_bounded(student, draw):
    """Every value of a long positional encoding table lies in [-1, 1]"""
    L, d = draw.int(800, 2000), 2 * draw.int(8, 64) + draw.int(0, 1)
    got = _array(student.positional_encoding.sinusoidal_positional_encoding(L, d), "the positional encoding table")
    if got.shape != (L, d):
        fail(f"the positional encoding table has shape {list(got.shape)}, expected [seq_len, d_model]", "shape")
    if not np.isfinite(got).all():
        fail("the positional encoding table holds NaN or infinite values", "nan")
    if np.abs(got).max() > 1.0 + 1e-6:
        fail(f"the positional encoding table holds values outside [-1, 1] (largest magnitude {np.abs(got).max():.4g})", "mismatch")


def test_pe_sine_cosine_pairs(student, draw):
    """Columns 2i and 2i+1 are the sine and cosine of the same angle (interleaved, not side by side)"""
    L, d = draw.int(5, 50), 2 * draw.int(3, 24)
    got = _array(student.positional_encoding.sinusoidal_positional_encoding(L, d), "the positional encoding table")
    if got.shape != (L, d):
        fail(f"the positional encoding table has shape {list(got.shape)}, expected [seq_len, d_model]", "shape")
    norms = got[:, 0::2] ** 2 + got[:, 1::2] ** 2
    if np.abs(norms - 1.0).max() > 1e-4:
        fail("some pair of columns (2i, 2i+1) is not a sine and a cosine of the same angle: "
             "sin^2 + cos^2 should be 1 for every pair", "mismatch")
    if np.abs(got[:, 0] - np.sin(np.arange(L))).max() > 1e-4:
        fail("column 0 should be sin(p): the even columns hold the sines", "mismatch")


# ------------------------------------------------------------------ embed_with_positions
def test_embed_with_positions(student, ref, draw):
    """embed_with_positions adds the same position rows to every sequence of the batch"""
    ids, table, _ = _ids_and_table(draw, draw.batch())
    close(student.positional_encoding.embed_with_positions(ids, table),
          ref.positional_encoding.embed_with_positions(ids, table), what="embed_with_positions(token_ids, table)")


def test_embed_with_positions_edges(student, ref, draw):
    """embed_with_positions works for one token, an odd d_model and longer sequences"""
    V, d = draw.int(5, 30), 2 * draw.int(2, 8) + 1
    table = draw.normal(V, d, scale=0.5)
    for ids in (draw.ids(1, vocab=V), draw.ids(draw.int(2, 3), 1, vocab=V), draw.ids(draw.int(30, 60), vocab=V)):
        close(student.positional_encoding.embed_with_positions(ids, table),
              ref.positional_encoding.embed_with_positions(ids, table), what="embed_with_positions(token_ids, table)")


def test_no_mutation(student, draw):
    """embed and embed_with_positions leave their inputs unchanged"""
    ids, table, _ = _ids_and_table(draw, draw.batch(1))
    student.positional_encoding.embed(ids, table)
    student.positional_encoding.embed_with_positions(ids, table)
    no_mutation(student.calls)


@pytest.mark.integration
@pytest.mark.weight(0.5)
def test_integration_own_modules(student, ref, draw):
    """embed_with_positions works with your own embed and positional encoding together"""
    ids, table, _ = _ids_and_table(draw, draw.batch())
    close(student.own_modules().positional_encoding.embed_with_positions(ids, table),
          ref.positional_encoding.embed_with_positions(ids, table), what="embed_with_positions(token_ids, table)")
