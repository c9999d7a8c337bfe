"""Hidden checks for multi_head_attention.py: split_heads, merge_heads, multi_head_attention.

Calls through ``student.multi_head_attention`` run with a trusted ``attention`` (one bug costs
once); the integration check at the end uses the student's own attention.py as well.
Sizes are chosen so that L, H, dh and d are all different (a transpose or an interleave shows).
"""

import math

import numpy as np
import pytest
import torch

from autograder.checks import close, fail, no_mutation, raises_value_error

NEG_INF = float("-inf")


# ------------------------------------------------------------------ helpers (trusted side only)
def _sizes(draw):
    """(L, H, dh): L odd, H >= 2, and L, H, dh, d = H * dh all different."""
    while True:
        L = draw.choice([3, 5, 7])
        H = draw.choice([2, 3, 4])
        dh = draw.choice([2, 3, 5, 6])
        if len({L, H, dh, H * dh}) == 4:
            return L, H, dh


def _weights(draw, d):
    s = 1.0 / math.sqrt(d)
    return [draw.normal(d, d, scale=s * f) for f in (1.6, 1.6, 1.0, 1.0)]


def _valid(got, shape, what):
    """Type, dtype, shape and finiteness only (the values are compared elsewhere)."""
    return close(got, torch.zeros(shape), rtol=0, atol=np.inf, what=what)


def _causal(L):
    i = torch.arange(L)[:, None]
    j = torch.arange(L)[None, :]
    return torch.where(j <= i, torch.tensor(0.0), torch.tensor(NEG_INF)).to(torch.float32)


def _expected_mha(ref, x, w_q, w_k, w_v, w_o, H, mask=None):
    """Per-head attention with the reference's attention, heads concatenated in order, then @ w_o."""
    d = x.shape[-1]
    dh = d // H
    q, k, v = x @ w_q, x @ w_k, x @ w_v
    heads = []
    for h in range(H):
        cols = slice(h * dh, (h + 1) * dh)
        heads.append(ref.attention.scaled_dot_product_attention(q[..., cols], k[..., cols], v[..., cols],
                                                                mask=mask, scale=1.0 / math.sqrt(dh)))
    return torch.cat(heads, dim=-1) @ w_o


# ------------------------------------------------------------------ split / merge
def test_split_heads_matches_reference(student, ref, draw):
    """split_heads turns [..., L, H*dh] into [..., H, L, dh]."""
    L, H, dh = _sizes(draw)
    x = draw.normal(*draw.batch(), L, H * dh)
    close(student.multi_head_attention.split_heads(x, H), ref.multi_head_attention.split_heads(x, H),
          rtol=0, atol=0, what="split_heads(x, num_heads)")


def test_split_heads_columns(student, draw):
    """split_heads gives head h the columns h*dh:(h+1)*dh of every position."""
    L, H, dh = _sizes(draw)
    batch = draw.batch()
    x = draw.normal(*batch, L, H * dh)
    got = _valid(student.multi_head_attention.split_heads(x, H), (*batch, H, L, dh), what="split_heads(x, num_heads)")
    xs = x.numpy()
    for h in range(H):
        if not np.array_equal(got[..., h, :, :], xs[..., h * dh:(h + 1) * dh]):
            fail(f"head {h} of split_heads(x) should be the columns {h}*dh:{h + 1}*dh of x (dh = d / num_heads)", head=h)


def test_merge_heads_matches_reference(student, ref, draw):
    """merge_heads turns [..., H, L, dh] into [..., L, H*dh], heads concatenated in order."""
    L, H, dh = _sizes(draw)
    batch = draw.batch()
    x = draw.normal(*batch, H, L, dh)
    got = close(student.multi_head_attention.merge_heads(x), ref.multi_head_attention.merge_heads(x),
                rtol=0, atol=0, what="merge_heads(x)")
    xs = x.numpy()
    for h in range(H):
        if not np.array_equal(got[..., :, h * dh:(h + 1) * dh], xs[..., h, :, :]):
            fail(f"columns {h}*dh:{h + 1}*dh of merge_heads(x) should hold head {h}", head=h)


def test_merge_split_round_trip(student, draw):
    """merge_heads(split_heads(x)) gives back x."""
    L, H, dh = _sizes(draw)
    x = draw.normal(*draw.batch(), L, H * dh)
    split = student.multi_head_attention.split_heads(x, H)
    if type(split) is not np.ndarray or split.dtype.kind != "f":
        fail("split_heads(x, num_heads) should return a float tensor", "type")
    merged = student.multi_head_attention.merge_heads(torch.from_numpy(np.ascontiguousarray(split)).to(torch.float32))
    close(merged, x, rtol=0, atol=0, what="merge_heads(split_heads(x))")


# ------------------------------------------------------------------ multi-head attention
def test_mha_matches_reference(student, ref, draw):
    """multi_head_attention matches the expected values (batched, several heads, no mask)."""
    L, H, dh = _sizes(draw)
    d = H * dh
    x = draw.normal(*draw.batch(), L, d)
    w = _weights(draw, d)
    close(student.multi_head_attention.multi_head_attention(x, *w, H), ref.multi_head_attention.multi_head_attention(x, *w, H),
          what="multi_head_attention(x, w_q, w_k, w_v, w_o, num_heads)")


def test_mha_is_per_head_attention(student, ref, draw):
    """multi_head_attention is attention per head (scale 1/sqrt(dh)), heads concatenated in order, then @ w_o."""
    L, H, dh = _sizes(draw)
    d = H * dh
    x = draw.normal(*draw.batch(1), L, d)
    w = _weights(draw, d)
    close(student.multi_head_attention.multi_head_attention(x, *w, num_heads=H), _expected_mha(ref, x, *w, H),
          what="multi_head_attention compared with per-head attention")


def test_mha_causal_mask(student, ref, draw):
    """multi_head_attention applies a [L, L] causal mask to every head and every sequence."""
    L, H, dh = _sizes(draw)
    d = H * dh
    x = draw.normal(draw.int(2, 3), L, d)
    w = _weights(draw, d)
    mask = _causal(L)
    close(student.multi_head_attention.multi_head_attention(x, *w, H, mask=mask),
          ref.multi_head_attention.multi_head_attention(x, *w, H, mask=mask),
          what="multi_head_attention(..., mask=causal mask)")


def test_mha_additive_mask(student, ref, draw):
    """multi_head_attention adds an arbitrary additive [L, L] mask to the scores before the softmax."""
    L, H, dh = _sizes(draw)
    d = H * dh
    x = draw.normal(*draw.batch(1), L, d)
    w = _weights(draw, d)
    u = draw.rng.random((L, L))
    m = np.where(u < 0.3, -np.inf, np.where(u < 0.65, draw.rng.uniform(-2.0, 1.5, (L, L)), 0.0)).astype(np.float32)
    m[np.arange(L), draw.rng.integers(0, L, L)] = 0.0
    mask = torch.from_numpy(m)
    close(student.multi_head_attention.multi_head_attention(x, *w, H, mask=mask), _expected_mha(ref, x, *w, H, mask=mask),
          what="multi_head_attention with an additive mask")


def test_mha_causal_ignores_later_tokens(student, ref, draw):
    """With a causal mask, outputs at earlier positions do not depend on later tokens."""
    L, H, dh = _sizes(draw)
    L = max(L, 5)
    d = H * dh
    t = draw.int(1, L - 3)
    x = draw.normal(L, d)
    x2 = x.clone()
    x2[t + 1:] = draw.normal(L - t - 1, d, scale=3.0)
    w = _weights(draw, d)
    mask = _causal(L)
    out1 = student.multi_head_attention.multi_head_attention(x, *w, H, mask=mask)
    out2 = student.multi_head_attention.multi_head_attention(x2, *w, H, mask=mask)
    first = close(out1, ref.multi_head_attention.multi_head_attention(x, *w, H, mask=mask), what="causal multi_head_attention(x)")
    close(out2, ref.multi_head_attention.multi_head_attention(x2, *w, H, mask=mask),
          what="causal multi_head_attention(x) after changing later tokens")
    close(out2[: t + 1], first[: t + 1], rtol=1e-5, atol=1e-6, what="the causal outputs up to a position, after later tokens changed")


def test_mha_one_head_and_length_one(student, ref, draw):
    """multi_head_attention works with one head (scale 1/sqrt(d)) and on a length-1 sequence."""
    L, H, dh = _sizes(draw)
    d = H * dh
    x = draw.normal(*draw.batch(1), L, d)
    w = _weights(draw, d)
    close(student.multi_head_attention.multi_head_attention(x, *w, 1), _expected_mha(ref, x, *w, 1),
          what="multi_head_attention with num_heads=1")
    x1 = draw.normal(1, d)
    close(student.multi_head_attention.multi_head_attention(x1, *w, H), x1 @ w[2] @ w[3],
          what="multi_head_attention on a length-1 sequence (it should be x @ w_v @ w_o)")


def test_mha_heads_must_divide_d(student, draw):
    """multi_head_attention raises ValueError when num_heads does not divide d."""
    d, H = draw.choice([(10, 3), (9, 2), (12, 5), (6, 4)])
    x = draw.normal(3, d)
    w = _weights(draw, d)
    raises_value_error(student.multi_head_attention.multi_head_attention, x, *w, H, names=("num_heads", "heads"),
                       what="multi_head_attention with d % num_heads != 0")


def test_no_mutation(student, draw):
    """split_heads, merge_heads and multi_head_attention do not modify their inputs."""
    L, H, dh = _sizes(draw)
    d = H * dh
    x = draw.normal(2, L, d)
    w = _weights(draw, d)
    student.multi_head_attention.split_heads(x, H)
    student.multi_head_attention.merge_heads(draw.normal(2, H, L, dh))
    student.multi_head_attention.multi_head_attention(x, *w, H)
    student.multi_head_attention.multi_head_attention(x, *w, H, mask=_causal(L))
    no_mutation(student.calls)


@pytest.mark.integration
@pytest.mark.weight(0.5)
def test_integration_own_attention(student, ref, draw):
    """multi_head_attention works with your own attention.py (causal mask, batched)."""
    L, H, dh = _sizes(draw)
    d = H * dh
    x = draw.normal(*draw.batch(1), L, d)
    w = _weights(draw, d)
    mask = _causal(L)
    close(student.own_modules().multi_head_attention.multi_head_attention(x, *w, H, mask=mask),
          ref.multi_head_attention.multi_head_attention(x, *w, H, mask=mask),
          what="multi_head_attention with your attention.py")
