"""Hidden checks for attention.py: softmax, attention scores, attention weights, scaled dot-product attention.

Every input is drawn from the run's secret seed (``draw``) and is asymmetric on purpose: Lq != Lk,
dk != dv, odd lengths, batch dimensions from none to two, masks that broadcast.
"""


import numpy as np
import torch

from autograder.checks import close, fail, no_mutation

NEG_INF = float("-inf")


# ------------------------------------------------------------------ helpers (trusted side only)
def _sizes(draw):
    """Lq != Lk (one of them odd), dk != dv, dk >= 2 so that 1/sqrt(dk), 1/dk and 1 all differ."""
    lq = draw.choice([3, 5, 7])
    lk = draw.choice([k for k in (4, 6, 9) if k != lq])
    dk = draw.choice([3, 5, 6])
    dv = draw.choice([d for d in (2, 4, 7) if d != dk])
    return lq, lk, dk, dv


def _causal(lq, lk):
    """The contract's causal mask: query i sees keys j <= i + (lk - lq)."""
    i = torch.arange(lq)[:, None]
    j = torch.arange(lk)[None, :]
    return torch.where(j <= i + (lk - lq), torch.tensor(0.0), torch.tensor(NEG_INF)).to(torch.float32)


def _additive_mask(draw, lq, lk, finite=True):
    """A [lq, lk] additive mask: 0, -inf and (optionally) other finite values; every row keeps a key."""
    r = draw.rng
    u = r.random((lq, lk))
    m = np.zeros((lq, lk), dtype=np.float32)
    m[u < 0.35] = -np.inf
    if finite:
        soft = (u >= 0.35) & (u < 0.65)
        m[soft] = r.uniform(-2.5, 1.5, int(soft.sum())).astype(np.float32)
    keep = r.integers(0, lk, lq)
    m[np.arange(lq), keep] = 0.0
    return torch.from_numpy(m)


# ------------------------------------------------------------------ softmax
def test_softmax_matches_reference(student, ref, draw):
    """softmax over the last axis matches the expected values on batched inputs."""
    shape = (*draw.batch(), draw.choice([3, 5, 7]), draw.choice([4, 9, 11]))
    x = draw.normal(*shape, scale=3.0)
    close(student.attention.softmax(x), ref.attention.softmax(x), what="softmax(x)")
    close(student.attention.softmax(x, dim=-1), ref.attention.softmax(x, dim=-1), what="softmax(x, dim=-1)")


def test_softmax_other_dims(student, ref, draw):
    """softmax works along a dimension other than the last one."""
    a, b, c = draw.choice([2, 3]), draw.choice([4, 5]), draw.choice([6, 7])
    x = draw.normal(a, b, c, scale=2.0)
    for dim in (0, 1, -2):
        close(student.attention.softmax(x, dim=dim), ref.attention.softmax(x, dim=dim), what=f"softmax(x, dim={dim})")
    x2 = draw.normal(draw.choice([5, 7]), draw.choice([3, 4]), scale=2.0)
    close(student.attention.softmax(x2, dim=0), ref.attention.softmax(x2, dim=0), what="softmax(x, dim=0) of a matrix")


def test_softmax_rows_sum_to_one_and_shift_invariant(student, draw):
    """softmax rows sum to 1 and do not change when a constant is added to a row."""
    rows, n = draw.choice([4, 5]), draw.choice([7, 9])
    x = draw.normal(rows, n, scale=2.0)
    got = close(student.attention.softmax(x), torch.softmax(x.double(), dim=-1), what="softmax(x)")
    sums = got.sum(axis=-1)
    if not np.allclose(sums, 1.0, rtol=0, atol=1e-5):
        fail("the rows of softmax(x) should each sum to 1", row_sums=[float(s) for s in sums])
    # Shifts up to +-200 per row: exp() overflows float32 (and float64 for +-800) unless the max is subtracted.
    shifts = torch.from_numpy(draw.rng.uniform(-200.0, 200.0, (rows, 1)).astype(np.float32))
    shifts[0, 0] = 150.0
    shifts[1, 0] = -190.0
    xs = x + shifts
    got_shift = close(student.attention.softmax(xs), torch.softmax(xs.double(), dim=-1), what="softmax(x + c) with a different c per row")
    close(got_shift, got, rtol=1e-3, atol=1e-5, what="softmax(x + c) compared with softmax(x)")


def test_softmax_large_logits(student, ref, draw):
    """softmax is numerically stable for logits of about ±1e4 (finite, correct output)."""
    n = draw.choice([5, 6, 7])
    base = draw.normal(4, n, scale=1.5)
    x = torch.empty(4, n)
    x[0] = 1.0e4 + base[0]  # all large and positive: exp overflows without the max subtraction
    x[1] = -1.0e4 + base[1]  # all large and negative: exp underflows to 0/0 without it
    x[2] = base[2]
    x[2, int(draw.int(0, n - 1))] = 1.0e4  # one huge entry: the output is one-hot
    x[3] = base[3]
    x[3, 0] = -1.0e4
    x[3, n - 1] = 1.0e4 - 3.0
    # Ordinary float32 rounding of the rows near +-1e4 is worth about 1e-3 relative: allow it.
    close(student.attention.softmax(x), ref.attention.softmax(x), rtol=2e-3, atol=1e-6, what="softmax of logits near ±1e4")
    y = torch.tensor([[3.0e3, -3.0e3, 0.0], [-5.0e3, -5.0e3 + 1.0, -5.0e3 + 2.0]], dtype=torch.float32)
    close(student.attention.softmax(y), ref.attention.softmax(y), rtol=2e-3, atol=1e-6, what="softmax of logits of ±3e3 and -5e3")


def test_softmax_minus_inf(student, ref, draw):
    """softmax gives exact zeros at -inf entries and finite values elsewhere."""
    rows, n = draw.choice([3, 5]), draw.choice([6, 8])
    x = draw.normal(rows, n, scale=2.0)
    blocked = draw.rng.random((rows, n)) < 0.4
    blocked[np.arange(rows), draw.rng.integers(0, n, rows)] = False  # each row keeps a finite entry
    blocked[0, :] = True
    blocked[0, n - 1] = False  # a row with a single finite entry: [0, ..., 0, 1]
    x[torch.from_numpy(blocked)] = NEG_INF
    got = close(student.attention.softmax(x), ref.attention.softmax(x), what="softmax of a row with -inf entries")
    if np.any(got[blocked] != 0.0):
        fail("softmax should give exactly 0 where the input is -inf")


# ------------------------------------------------------------------ scores
def test_scores_default_scale(student, ref, draw):
    """attention_scores is q @ kᵀ / sqrt(dk) by default (Lq ≠ Lk, batched)."""
    lq, lk, dk, _ = _sizes(draw)
    batch = draw.batch()
    q, k = draw.normal(*batch, lq, dk), draw.normal(*batch, lk, dk)
    close(student.attention.attention_scores(q, k), ref.attention.attention_scores(q, k), what="attention_scores(q, k)")
    q1, k1 = draw.normal(lq, dk, scale=2.0), draw.normal(lk, dk, scale=0.5)
    close(student.attention.attention_scores(q1, k1, scale=None), ref.attention.attention_scores(q1, k1),
          what="attention_scores(q, k, scale=None) without batch dimensions")


def test_scores_custom_scale(student, ref, draw):
    """attention_scores multiplies by the given scale instead of 1/sqrt(dk)."""
    lq, lk, dk, _ = _sizes(draw)
    batch = draw.batch(1)
    q, k = draw.normal(*batch, lq, dk), draw.normal(*batch, lk, dk)
    for scale in (float(np.round(draw.rng.uniform(0.2, 0.45), 3)), 1.0, float(np.round(draw.rng.uniform(1.5, 2.5), 3))):
        close(student.attention.attention_scores(q, k, scale=scale), ref.attention.attention_scores(q, k, scale=scale),
              what="attention_scores(q, k, scale=...) with a custom scale")


# ------------------------------------------------------------------ weights
def test_weights_broadcast_mask(student, ref, draw):
    """attention_weights adds an additive mask of shape [Lq, Lk] to batched scores before the softmax."""
    lq, lk, dk, _ = _sizes(draw)
    batch = (draw.int(2, 3), *draw.batch(1))
    q, k = draw.normal(*batch, lq, dk, scale=1.5), draw.normal(*batch, lk, dk)
    mask = _additive_mask(draw, lq, lk, finite=True)
    close(student.attention.attention_weights(q, k, mask=mask), ref.attention.attention_weights(q, k, mask=mask),
          what="attention_weights(q, k, mask) with a [Lq, Lk] mask and batched q, k")
    row_mask = torch.zeros(1, lk)
    row_mask[0, draw.distinct(2, 0, lk - 1)] = NEG_INF
    close(student.attention.attention_weights(q, k, mask=row_mask), ref.attention.attention_weights(q, k, mask=row_mask),
          what="attention_weights(q, k, mask) with a [1, Lk] mask")


def test_weights_no_mask_and_rows(student, ref, draw):
    """attention_weights without a mask has rows that sum to 1 over the keys."""
    lq, lk, dk, _ = _sizes(draw)
    batch = draw.batch()
    q, k = draw.normal(*batch, lq, dk, scale=1.5), draw.normal(*batch, lk, dk)
    got = close(student.attention.attention_weights(q, k), ref.attention.attention_weights(q, k), what="attention_weights(q, k)")
    if not np.allclose(got.sum(axis=-1), 1.0, rtol=0, atol=1e-5):
        fail("each row of the attention weights (one per query) should sum to 1 over the keys")
    scale = float(np.round(draw.rng.uniform(0.6, 0.9), 3))
    close(student.attention.attention_weights(q, k, scale=scale), ref.attention.attention_weights(q, k, scale=scale),
          what="attention_weights(q, k, scale=...) with a custom scale")


def test_weights_causal_more_keys(student, ref, draw):
    """A causal mask with more keys than queries gives weight 0 exactly to the blocked keys."""
    lq = draw.choice([2, 3, 5])
    lk = lq + draw.choice([2, 3, 4])
    dk = draw.choice([3, 5])
    batch = draw.batch()
    q, k = draw.normal(*batch, lq, dk, scale=1.5), draw.normal(*batch, lk, dk)
    mask = _causal(lq, lk)
    got = close(student.attention.attention_weights(q, k, mask=mask), ref.attention.attention_weights(q, k, mask=mask),
                what="attention_weights(q, k, causal mask [Lq, Lk]) with Lk > Lq")
    blocked = np.broadcast_to(np.isinf(mask.numpy()), got.shape)
    if np.any(got[blocked] != 0.0):
        fail("keys blocked by the mask (-inf) should get exactly weight 0")
    if not np.allclose(got.sum(axis=-1), 1.0, rtol=0, atol=1e-5):
        fail("each row of the masked attention weights should sum to 1 over the keys")


# ------------------------------------------------------------------ attention
def test_attention_matches_reference(student, ref, draw):
    """scaled_dot_product_attention matches the expected values (Lq ≠ Lk, dk ≠ dv, batched)."""
    lq, lk, dk, dv = _sizes(draw)
    batch = draw.batch()
    q, k, v = draw.normal(*batch, lq, dk), draw.normal(*batch, lk, dk), draw.normal(*batch, lk, dv)
    close(student.attention.scaled_dot_product_attention(q, k, v), ref.attention.scaled_dot_product_attention(q, k, v),
          what="scaled_dot_product_attention(q, k, v)")


def test_attention_mask_and_scale(student, ref, draw):
    """scaled_dot_product_attention applies the given mask and scale."""
    lq, lk, dk, dv = _sizes(draw)
    batch = (draw.int(2, 3), *draw.batch(1))
    q, k, v = draw.normal(*batch, lq, dk), draw.normal(*batch, lk, dk), draw.normal(*batch, lk, dv, shift=0.5)
    mask = _additive_mask(draw, lq, lk, finite=True)
    scale = float(np.round(draw.rng.uniform(0.7, 1.3), 3))
    close(student.attention.scaled_dot_product_attention(q, k, v, mask=mask),
          ref.attention.scaled_dot_product_attention(q, k, v, mask=mask), what="scaled_dot_product_attention(q, k, v, mask)")
    close(student.attention.scaled_dot_product_attention(q, k, v, mask=mask, scale=scale),
          ref.attention.scaled_dot_product_attention(q, k, v, mask=mask, scale=scale),
          what="scaled_dot_product_attention(q, k, v, mask, scale)")


def test_attention_causal_more_keys(student, ref, draw):
    """scaled_dot_product_attention with a causal mask and more keys than queries."""
    lq = draw.choice([3, 4])
    lk = lq + draw.choice([1, 3])
    dk, dv = draw.choice([3, 5]), draw.choice([4, 6])
    batch = draw.batch()
    q, k, v = draw.normal(*batch, lq, dk), draw.normal(*batch, lk, dk), draw.normal(*batch, lk, dv)
    mask = _causal(lq, lk)
    close(student.attention.scaled_dot_product_attention(q, k, v, mask=mask),
          ref.attention.scaled_dot_product_attention(q, k, v, mask=mask),
          what="scaled_dot_product_attention with a causal [Lq, Lk] mask, Lk > Lq")


def test_attention_causal_ignores_later_tokens(student, ref, draw):
    """With a causal mask, the output at a position does not change when later tokens change."""
    L = draw.choice([5, 7, 8])
    t = draw.int(1, L - 3)
    dk, dv = draw.choice([3, 4]), draw.choice([5, 6])
    batch = draw.batch(1)
    q, k, v = draw.normal(*batch, L, dk), draw.normal(*batch, L, dk), draw.normal(*batch, L, dv)
    q2, k2, v2 = q.clone(), k.clone(), v.clone()
    q2[..., t + 1:, :] = draw.normal(*batch, L - t - 1, dk, scale=3.0)
    k2[..., t + 1:, :] = draw.normal(*batch, L - t - 1, dk, scale=3.0)
    v2[..., t + 1:, :] = draw.normal(*batch, L - t - 1, dv, scale=3.0)
    mask = _causal(L, L)
    out1 = close(student.attention.scaled_dot_product_attention(q, k, v, mask=mask),
                 ref.attention.scaled_dot_product_attention(q, k, v, mask=mask), what="causal attention on the first sequence")
    raw2 = student.attention.scaled_dot_product_attention(q2, k2, v2, mask=mask)
    close(raw2, ref.attention.scaled_dot_product_attention(q2, k2, v2, mask=mask), what="causal attention on the changed sequence")
    close(raw2[..., : t + 1, :], out1[..., : t + 1, :], rtol=1e-5, atol=1e-6,
          what="the causal outputs up to a position, after later tokens changed")


def test_attention_length_one(student, ref, draw):
    """Length-1 sequences work: with a single key, every output row is that key's value."""
    dk, dv = draw.choice([3, 5]), draw.choice([2, 4])
    batch = draw.batch()
    q, k, v = draw.normal(*batch, 1, dk), draw.normal(*batch, 1, dk), draw.normal(*batch, 1, dv)
    got = student.attention.scaled_dot_product_attention(q, k, v)
    close(got, ref.attention.scaled_dot_product_attention(q, k, v), what="attention with Lq = Lk = 1")
    close(got, v, what="attention with a single key (it should return v)")
    lq = draw.choice([3, 5])
    q3 = draw.normal(*batch, lq, dk)
    close(student.attention.scaled_dot_product_attention(q3, k, v, mask=torch.zeros(lq, 1)),
          v.expand(*batch, lq, dv), what="attention of several queries on a single key")
    close(student.attention.attention_weights(q3, k), torch.ones(*batch, lq, 1), what="attention_weights with a single key")
    close(student.attention.softmax(torch.tensor([[2.5], [-1.0]])), torch.ones(2, 1), what="softmax over a length-1 axis")


def test_worked_example(student, ref):
    """The worked example of the course notes ('The dog ran quickly') comes out of the three functions."""
    q = torch.tensor([[0.22, 0.64, 0.73]])  # the query for "quickly"
    k = torch.tensor([[0.54, 0.36, 0.74],  # K_dog: q . K_dog = 0.889
                      [0.30, 0.70, 0.94]])  # a key for "quickly": q . K = 1.2
    v = torch.tensor([[0.12, 0.84, 0.51],  # V_dog
                      [0.62, 0.24, 0.33]])  # V_quickly
    scores = student.attention.attention_scores(q, k, scale=1.0)
    close(scores, torch.tensor([[0.889, 1.2]]), rtol=0, atol=0.006, what="the scores of the worked example (notes: 0.889 and 1.2)")
    close(scores, ref.attention.attention_scores(q, k, scale=1.0), what="the scores of the worked example")
    weights = student.attention.attention_weights(q, k, scale=1.0)
    close(weights, torch.tensor([[0.42, 0.58]]), rtol=0, atol=0.006, what="the weights of the worked example (notes: 0.42 / 0.58)")
    close(weights, ref.attention.attention_weights(q, k, scale=1.0), what="the weights of the worked example")
    out = student.attention.scaled_dot_product_attention(q, k, v, scale=1.0)
    close(out, torch.tensor([[0.41, 0.49, 0.41]]), rtol=0, atol=0.006,
          what="the output of the worked example (notes: about [0.41, 0.49, 0.41])")
    close(out, ref.attention.scaled_dot_product_attention(q, k, v, scale=1.0), what="the output of the worked example")


def test_no_mutation(student, draw):
    """The attention functions do not modify their inputs."""
    lq, lk, dk, dv = _sizes(draw)
    q, k, v = draw.normal(2, lq, dk, scale=2.0), draw.normal(2, lk, dk), draw.normal(2, lk, dv)
    mask = _additive_mask(draw, lq, lk, finite=True)
    x = draw.normal(3, 7, scale=3.0)
    student.attention.softmax(x)
    student.attention.softmax(x, dim=0)
    student.attention.softmax(x + 1.0e4)
    student.attention.attention_scores(q, k)
    student.attention.attention_scores(q, k, scale=0.3)
    student.attention.attention_weights(q, k, mask=mask)
    student.attention.scaled_dot_product_attention(q, k, v, mask=mask)
    student.attention.scaled_dot_product_attention(q, k, v, mask=mask, scale=0.7)
    no_mutation(student.calls)
