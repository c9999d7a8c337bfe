"""Hidden checks for lm_head.py: lm_head, next_token_probs, top_tokens.

Calls through ``student.lm_head`` run with a trusted softmax (one bug costs once); the integration
check at the end uses the student's own attention.py as well.
"""

import math

import numpy as np
import pytest
import torch

from autograder.checks import as_int, close, fail, no_mutation, raises_value_error


# ------------------------------------------------------------------ helpers (trusted side only)
def _dims(draw):
    d = draw.choice([3, 5, 6])
    V = draw.choice([v for v in (7, 9, 11) if v != d])
    return d, V


def _check_top(got, probs: torch.Tensor, expected_ids: list[int], what: str):
    """A list of k (id, probability) pairs: exact ids in order, the probabilities of probs."""
    if not isinstance(got, (list, tuple)):
        fail(f"{what} should be a list of (id, probability) pairs, but it is a {type(got).__name__}", "type")
    if len(got) != len(expected_ids):
        fail(f"{what} should have k pairs, but it has {len(got)}", "shape")
    p = probs.double().numpy()
    for pos, item in enumerate(got):
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            fail(f"{what}: item {pos} should be an (id, probability) pair", "type")
        tid = as_int(item[0], what=f"{what}: the id at position {pos}")
        pv = item[1]
        if type(pv) is np.ndarray and pv.ndim == 0:
            pv = pv.item()
        if type(pv) is not float or not math.isfinite(pv):
            fail(f"{what}: the probability at position {pos} should be a finite Python float", "type")
        if tid != expected_ids[pos]:
            fail(f"{what}: position {pos} holds id {tid}, which is not the expected id there "
                 "(highest probability first, ties to the lower id)", "mismatch", position=pos)
        if abs(pv - p[tid]) > 1e-6 + 1e-5 * abs(p[tid]):
            fail(f"{what}: the probability paired with id {tid} is not probs[{tid}]", "mismatch", position=pos)


def _ranked(probs: torch.Tensor) -> list[int]:
    values = probs.tolist()
    return sorted(range(len(values)), key=lambda i: (-values[i], i))


# ------------------------------------------------------------------ lm_head
def test_lm_head_with_bias(student, ref, draw):
    """lm_head computes h @ w_out + b_out (batched, d ≠ V, non-zero bias)."""
    d, V = _dims(draw)
    h = draw.normal(*draw.batch(), draw.choice([3, 5]), d)
    w, b = draw.normal(d, V), draw.normal(V, shift=0.5)
    close(student.lm_head.lm_head(h, w, b), ref.lm_head.lm_head(h, w, b), what="lm_head(h, w_out, b_out)")
    h1 = draw.normal(d)
    close(student.lm_head.lm_head(h1, w, b_out=b), ref.lm_head.lm_head(h1, w, b), what="lm_head of a single vector h [d]")


def test_lm_head_without_bias(student, ref, draw):
    """lm_head without a bias computes h @ w_out."""
    d, V = _dims(draw)
    h = draw.normal(*draw.batch(), draw.choice([2, 5]), d)
    w = draw.normal(d, V)
    close(student.lm_head.lm_head(h, w), ref.lm_head.lm_head(h, w), what="lm_head(h, w_out)")
    close(student.lm_head.lm_head(h, w, None), ref.lm_head.lm_head(h, w), what="lm_head(h, w_out, None)")


# ------------------------------------------------------------------ next_token_probs
def test_next_token_probs_default(student, ref, draw):
    """next_token_probs at the default temperature is the softmax over the vocabulary (batched)."""
    V = draw.choice([7, 10, 13])
    logits = draw.normal(*draw.batch(), draw.choice([1, 3]), V, scale=2.0)
    close(student.lm_head.next_token_probs(logits), ref.lm_head.next_token_probs(logits), what="next_token_probs(logits)")
    z = draw.normal(V, scale=2.0)
    close(student.lm_head.next_token_probs(z, 1.0), ref.lm_head.next_token_probs(z, 1.0), what="next_token_probs(logits [V], 1.0)")


def test_next_token_probs_temperature(student, ref, draw):
    """next_token_probs divides the logits by the temperature before the softmax (0.5 and 2.0)."""
    V = draw.choice([7, 9, 12])
    logits = draw.normal(*draw.batch(1), V, scale=1.5)
    for t in (0.5, 2.0, float(np.round(draw.rng.uniform(0.6, 0.9), 3))):
        close(student.lm_head.next_token_probs(logits, temperature=t), ref.lm_head.next_token_probs(logits, temperature=t),
              what="next_token_probs(logits, temperature)")


def test_next_token_probs_rows_and_large_logits(student, ref, draw):
    """next_token_probs gives finite rows that sum to 1, also for large logits."""
    V = draw.choice([8, 11])
    logits = draw.normal(3, V, scale=60.0)  # / 0.5 -> about +-200: exp() overflows float32 unless stabilised
    got = close(student.lm_head.next_token_probs(logits, 0.5), ref.lm_head.next_token_probs(logits, 0.5),
                rtol=1e-3, atol=1e-6, what="next_token_probs of large logits at temperature 0.5")
    if not np.allclose(got.sum(axis=-1), 1.0, rtol=0, atol=1e-5):
        fail("each row of next_token_probs should sum to 1 over the vocabulary")


def test_next_token_probs_rejects_bad_temperature(student, draw):
    """next_token_probs raises ValueError for a temperature <= 0."""
    logits = draw.normal(draw.choice([5, 8]))
    for t in (0.0, -0.5):
        raises_value_error(student.lm_head.next_token_probs, logits, t, names=("temperature",),
                           what=f"next_token_probs with temperature {t}")
    raises_value_error(student.lm_head.next_token_probs, logits, temperature=0, names=("temperature",),
                       what="next_token_probs with temperature=0 (an int)")


# ------------------------------------------------------------------ top_tokens
def test_top_tokens_order(student, draw):
    """top_tokens returns the k most probable ids with their probabilities, highest first."""
    V = draw.choice([9, 12, 15])
    probs = draw.probs(V)
    k = draw.int(3, V - 2)
    ranked = _ranked(probs)
    _check_top(student.lm_head.top_tokens(probs, k), probs, ranked[:k], what="top_tokens(probs, k)")
    _check_top(student.lm_head.top_tokens(probs, 1), probs, ranked[:1], what="top_tokens(probs, k=1)")


def test_top_tokens_ties(student, draw):
    """top_tokens breaks ties between equal probabilities toward the lower id."""
    V = draw.choice([8, 10])
    levels = [0.25, 0.125, 0.0625]
    raw = np.full(V, 0.01)
    groups = draw.rng.permutation(V)
    raw[groups[:3]] = levels[0]  # three-way tie at the top
    raw[groups[3:5]] = levels[1]  # a tie in the middle
    raw[groups[5:]] = levels[2] / 2
    probs = torch.from_numpy((raw / raw.sum()).astype(np.float32))
    ranked = _ranked(probs)
    for k in (2, 4, V):
        _check_top(student.lm_head.top_tokens(probs, k), probs, ranked[:k], what="top_tokens(probs, k) with tied probabilities")


def test_top_tokens_k_zero_and_all(student, draw):
    """top_tokens with k = 0 returns an empty list and with k = V ranks every id."""
    V = draw.choice([5, 7])
    probs = draw.probs(V)
    got = student.lm_head.top_tokens(probs, 0)
    if not isinstance(got, (list, tuple)) or len(got) != 0:
        fail("top_tokens(probs, 0) should return an empty list")
    _check_top(student.lm_head.top_tokens(probs, V), probs, _ranked(probs), what="top_tokens(probs, k=V)")


def test_vocabulary_of_one(student, draw):
    """A vocabulary of a single token works (lm_head, next_token_probs, top_tokens)."""
    d = draw.choice([3, 4])
    h = draw.normal(2, d)
    w, b = draw.normal(d, 1), draw.normal(1)
    close(student.lm_head.lm_head(h, w, b), h @ w + b, what="lm_head with V = 1")
    close(student.lm_head.next_token_probs(draw.normal(2, 1, scale=5.0), 0.7), torch.ones(2, 1), what="next_token_probs with V = 1")
    _check_top(student.lm_head.top_tokens(torch.ones(1), 1), torch.ones(1), [0], what="top_tokens with V = 1")


def test_no_mutation(student, draw):
    """lm_head, next_token_probs and top_tokens do not modify their inputs."""
    d, V = _dims(draw)
    h, w, b = draw.normal(3, d), draw.normal(d, V), draw.normal(V)
    logits = draw.normal(2, V, scale=2.0)
    student.lm_head.lm_head(h, w, b)
    student.lm_head.next_token_probs(logits)
    student.lm_head.next_token_probs(logits, 0.5)
    student.lm_head.next_token_probs(logits, 2.0)
    student.lm_head.top_tokens(draw.probs(V), 3)
    no_mutation(student.calls)


@pytest.mark.integration
@pytest.mark.weight(0.5)
def test_integration_own_softmax(student, ref, draw):
    """next_token_probs works with your own attention.py softmax (batched, large logits, temperature)."""
    V = draw.choice([9, 12])
    logits = draw.normal(*draw.batch(), V, scale=40.0)
    t = 0.7
    close(student.own_modules().lm_head.next_token_probs(logits, t), ref.lm_head.next_token_probs(logits, t),
          rtol=1e-3, atol=1e-6, what="next_token_probs with your softmax")
