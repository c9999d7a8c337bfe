"""Hidden checks for mask.py: the additive causal mask."""

import numpy as np

from autograder.checks import close, fail, raises_value_error
from autograder.student import BadValue


def _array(got, what="the mask"):
    """The student's value as an array, or a clear type failure."""
    if type(got) is not np.ndarray:
        kind = got.what if isinstance(got, BadValue) else "None (did you forget to return?)" if got is None else f"a {type(got).__name__}"
        fail(f"{what} should be a tensor, but it is {kind}", "type")
    return got


def _visible(got, what="the mask"):
    """Boolean array of visible entries; fails unless every entry is exactly 0.0 or -inf."""
    got = _array(got, what)
    if got.dtype.kind != "f":
        fail(f"{what} should hold floating-point numbers (float32), but its dtype is {got.dtype}", "dtype")
    zero = got == 0.0
    blocked = np.isneginf(got)
    if not (zero | blocked).all():
        fail(f"{what} holds values other than 0.0 and -inf ({int((~(zero | blocked)).sum())} entries); "
             "visible keys must be exactly 0.0 and blocked keys exactly -inf", "mismatch")
    return zero


def test_square_masks(student, ref, draw):
    """causal_mask(n) is right for several sizes n"""
    for n in draw.distinct(3, 2, 17):
        close(student.mask.causal_mask(n), ref.mask.causal_mask(n), what="causal_mask(n)")


def test_more_keys_than_queries(student, ref, draw):
    """causal_mask(q_len, k_len) with more keys than queries is right"""
    for _ in range(3):
        q = draw.int(2, 9)
        k = q + draw.int(1, 9)
        close(student.mask.causal_mask(q, k), ref.mask.causal_mask(q, k), what="causal_mask(q_len, k_len)")


def test_default_k_len(student, ref, draw):
    """Leaving out k_len gives the same mask as k_len = q_len"""
    n = draw.int(3, 12)
    close(student.mask.causal_mask(n, n), ref.mask.causal_mask(n), what="causal_mask(n, n)")
    close(student.mask.causal_mask(n, None), ref.mask.causal_mask(n), what="causal_mask(n, None)")


def test_keyword_arguments(student, ref, draw):
    """The arguments can be passed by name (q_len=..., k_len=...)"""
    q = draw.int(2, 8)
    k = q + draw.int(1, 6)
    close(student.mask.causal_mask(q_len=q, k_len=k), ref.mask.causal_mask(q, k), what="causal_mask(q_len=..., k_len=...)")
    close(student.mask.causal_mask(q_len=q), ref.mask.causal_mask(q), what="causal_mask(q_len=...)")


def test_dtype_float32(student, draw):
    """The mask is float32"""
    q = draw.int(2, 7)
    got = _array(student.mask.causal_mask(q, q + draw.int(0, 4)))
    if got.dtype != np.float32:
        fail(f"the mask should be float32, but its dtype is {got.dtype}", "dtype", expected_dtype="float32", got_dtype=str(got.dtype))


def test_only_zero_and_minus_inf(student, draw):
    """Every entry is exactly 0.0 (visible) or -inf (blocked)"""
    q = draw.int(3, 10)
    _visible(student.mask.causal_mask(q, q + draw.int(0, 5)))


def test_square_pattern(student, draw):
    """In a square mask each position sees itself and the earlier positions, never a later one"""
    n = draw.int(4, 15)
    vis = _visible(student.mask.causal_mask(n))
    if vis.shape != (n, n):
        fail(f"causal_mask(n) has shape {list(vis.shape)}, expected [n, n]", "shape")
    if not np.diag(vis).all():
        fail("some position cannot see itself: the diagonal of the mask must be 0.0", "mismatch")
    if np.triu(vis, 1).any():
        fail("some position can see a later position: everything above the diagonal must be -inf", "mismatch")
    if not vis[np.tril_indices(n, -1)].all():
        fail("some position cannot see an earlier position: everything below the diagonal must be 0.0", "mismatch")


def test_offset_visible_counts(student, draw):
    """With k_len > q_len, query i sees exactly the first i + (k_len - q_len) + 1 keys"""
    q = draw.int(2, 9)
    k = q + draw.int(1, 8)
    vis = _visible(student.mask.causal_mask(q, k))
    if vis.shape != (q, k):
        fail(f"causal_mask(q_len, k_len) has shape {list(vis.shape)}, expected [q_len, k_len]", "shape")
    for i in range(q):
        n = i + (k - q) + 1
        if not vis[i, :n].all() or vis[i, n:].any():
            fail(f"row {i} of the mask does not see exactly the first {i} + (k_len - q_len) + 1 keys "
                 "(the queries are the LAST q_len positions)", "mismatch", first_index=[i])


def test_rows_of_full_mask(student, draw):
    """The mask for q_len queries is the last q_len rows of the square k_len mask"""
    k = draw.int(5, 14)
    q = draw.int(2, k - 1)
    full = _array(student.mask.causal_mask(k), "causal_mask(k_len)")
    if full.shape != (k, k):
        fail(f"causal_mask(k_len) has shape {list(full.shape)}, expected [k_len, k_len]", "shape")
    close(student.mask.causal_mask(q, k), full[k - q:], what="causal_mask(q_len, k_len)")


def test_single_query(student, ref, draw):
    """A single query (q_len = 1) sees every key"""
    k = draw.int(2, 12)
    close(student.mask.causal_mask(1, k), ref.mask.causal_mask(1, k), what="causal_mask(1, k_len)")
    close(student.mask.causal_mask(1), ref.mask.causal_mask(1), what="causal_mask(1)")


def test_large_mask(student, ref, draw):
    """A large mask (hundreds of positions) is right"""
    q = draw.int(150, 300)
    k = q + draw.int(1, 120)
    close(student.mask.causal_mask(q, k), ref.mask.causal_mask(q, k), what="a large causal mask")


def test_fewer_keys_raises(student, draw):
    """k_len smaller than q_len raises ValueError"""
    q = draw.int(3, 9)
    k = draw.int(1, q - 1)
    raises_value_error(student.mask.causal_mask, q, k, names=("k_len", "q_len"), what="causal_mask with k_len < q_len")
