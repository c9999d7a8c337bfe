"""Hidden checks for decoding.py: greedy, top_p_filter, sample_next_token, generate.

Calls through ``student.decoding`` run with a trusted lm_head/softmax (one bug costs once); the
integration check at the end uses the student's own lm_head.py and attention.py as well.

The contract does not fix the sampling primitive, so the checks that matter for sampling accept any
correct sampler (frequencies over many seeded generators, reproducibility, the support). Only two
light checks compare seeded samples with torch.multinomial token for token.
"""

import math

import numpy as np
import pytest
import torch

from autograder.checks import as_int, close, equal, fail, no_mutation, raises_value_error
from autograder.student import ContextModel, Generator


# ------------------------------------------------------------------ helpers (trusted side only)
def _logits(draw, V, scale=1.5):
    """Random logits with a clear, unique maximum."""
    while True:
        z = draw.normal(V, scale=scale)
        top2 = torch.topk(z, 2).values
        if float(top2[0] - top2[1]) > 1e-3:
            return z


def _chi2_sf(x: float, df: int) -> float:
    """P(X >= x) for a chi-square variable with df degrees of freedom (closed forms; no SciPy needed)."""
    if x <= 0:
        return 1.0
    if df % 2 == 0:
        term, total = 1.0, 1.0
        for i in range(1, df // 2):
            term *= (x / 2) / i
            total += term
        return math.exp(-x / 2) * total
    total = math.erfc(math.sqrt(x / 2))
    term = math.sqrt(2 * x / math.pi) * math.exp(-x / 2)
    for i in range(1, (df - 1) // 2 + 1):
        total += term
        term *= x / (2 * i + 1)
    return total


def _ranked(p) -> list[int]:
    values = [float(v) for v in p]
    return sorted(range(len(values)), key=lambda i: (-values[i], i))


def _nucleus(probs: torch.Tensor, top_p: float):
    """(kept ids, filtered distribution in float64) computed independently of the reference."""
    p = probs.double().numpy()
    order = _ranked(p)
    cum = np.cumsum(p[order])
    n = int(np.searchsorted(cum, top_p, side="left")) + 1
    keep = sorted(order[: min(n, len(p))])
    out = np.zeros_like(p)
    out[keep] = p[keep]
    return keep, out / out.sum()


def _top_p_keeping(draw, probs: torch.Tensor, n_keep: int) -> float:
    """A top_p strictly between two cumulative sums, so that exactly n_keep ids are kept."""
    p = probs.double().numpy()
    order = _ranked(p)
    cum = np.concatenate([[0.0], np.cumsum(p[order])])
    frac = float(draw.rng.uniform(0.25, 0.75))
    return float(cum[n_keep - 1] + frac * (cum[n_keep] - cum[n_keep - 1]))


def _keep_counts(draw, probs: torch.Tensor, k: int, lo: int = 1) -> list[int]:
    """Up to k prefix lengths n >= lo whose crossing id is not tiny (so top_p sits far from float error)."""
    p = probs.double().numpy()
    order = _ranked(p)
    ok = [n for n in range(lo, len(p)) if p[order[n - 1]] >= 5e-3]
    picks = draw.rng.permutation(ok)[:k] if ok else [lo]
    return sorted(int(n) for n in picks)


def _support(got, atol=0.0):
    return sorted(int(i) for i in np.flatnonzero(np.abs(got) > atol))


def _model(draw, V, P=None, scale=1.0):
    """A ContextModel whose logits depend on the last id, the first id of the window and its length."""
    P = P or draw.choice([3, 4])
    last = draw.normal(V, V, scale=1.5 * scale)
    first = draw.normal(V, V, scale=1.2 * scale)
    length = draw.normal(P, V, scale=1.0 * scale)
    return ContextModel(last, first, length)


def _ref_generate(ref, spec, *args, **kwargs):
    """The reference's ids and the contexts its model saw (fresh model and generator from the specs)."""
    m = spec.make()
    if isinstance(kwargs.get("generator"), Generator):
        kwargs["generator"] = kwargs["generator"].make()
    ids = ref.decoding.generate(m, *args, **kwargs)
    return ids, m.calls


def _seen_contexts(student):
    calls = student.last_call.model_calls
    return calls[0] if calls else []


# ------------------------------------------------------------------ greedy
def test_greedy_is_argmax(student, draw):
    """greedy returns the id of the largest logit, as an int."""
    for V in (draw.choice([5, 7]), draw.choice([10, 13]), 2):
        z = _logits(draw, V)
        equal(student.decoding.greedy(z), int(np.argmax(z.numpy())), what="greedy(logits)")


def test_greedy_ties(student, draw):
    """greedy breaks ties toward the lower id."""
    V = draw.choice([7, 9, 11])
    z = draw.normal(V, scale=0.5)
    i, j, k = sorted(draw.distinct(3, 0, V - 1))
    z[[i, k]] = 2.5  # two maxima
    equal(student.decoding.greedy(z), i, what="greedy(logits) with two equal maxima")
    z[j] = 2.5  # three maxima
    equal(student.decoding.greedy(z), i, what="greedy(logits) with three equal maxima")
    equal(student.decoding.greedy(torch.full((V,), -1.25)), 0, what="greedy(logits) with all logits equal")


# ------------------------------------------------------------------ top-p
def test_top_p_keeps_crossing_token(student, ref, draw):
    """top_p_filter keeps the shortest prefix reaching top_p, including the id that crosses it."""
    V = draw.choice([8, 10, 13])
    probs = draw.probs(V)
    for n_keep in _keep_counts(draw, probs, 3):
        top_p = _top_p_keeping(draw, probs, n_keep)
        keep, expected = _nucleus(probs, top_p)
        got = close(student.decoding.top_p_filter(probs, top_p), ref.decoding.top_p_filter(probs, top_p),
                    what="top_p_filter(probs, top_p)")
        if _support(got) != keep:
            few = len(_support(got)) < len(keep)
            fail(f"top_p_filter kept too {'few' if few else 'many'} ids: keep the most probable ids until "
                 "their total reaches top_p, including the id that makes it reach top_p")
        close(got, expected, what="top_p_filter(probs, top_p)")


def test_top_p_renormalises(student, draw):
    """top_p_filter renormalises the kept probabilities so that they sum to 1 (same proportions)."""
    V = draw.choice([9, 12])
    probs = draw.probs(V)
    for n_keep in _keep_counts(draw, probs, 2, lo=2):
        top_p = _top_p_keeping(draw, probs, n_keep)
        keep, expected = _nucleus(probs, top_p)
        got = close(student.decoding.top_p_filter(probs, top_p), torch.zeros(V), rtol=0, atol=np.inf,
                    what="top_p_filter(probs, top_p)")
        if abs(float(got.sum()) - 1.0) > 1e-5:
            fail(f"the filtered distribution should sum to 1 (renormalise the kept probabilities), but it sums to {float(got.sum()):.6f}")
        close(got, expected, what="the renormalised top-p distribution")


def test_top_p_ties(student, draw):
    """top_p_filter ranks equal probabilities by lower id first."""
    V = 6
    values = np.array([0.25, 0.25, 0.25, 0.125, 0.0625, 0.0625])  # cumulative: .25 .5 .75 .875 .9375 1
    probs = torch.from_numpy(values[draw.rng.permutation(V)].astype(np.float32))
    for top_p in (0.3, 0.6, 0.9):
        keep, expected = _nucleus(probs, top_p)
        got = close(student.decoding.top_p_filter(probs, top_p), expected, what=f"top_p_filter(probs, {top_p}) with tied probabilities")
        if _support(got) != keep:
            fail(f"top_p_filter(probs, {top_p}) with tied probabilities kept the wrong ids: equal probabilities rank the lower id first")


def test_top_p_one_keeps_all(student, draw):
    """top_p = 1 keeps every id."""
    V = draw.choice([7, 10])
    for probs in (draw.probs(V), draw.probs(V) * (1.0 - 6e-7)):  # the second sums to a bit less than 1 in float32
        expected = probs.double() / probs.double().sum()
        got = close(student.decoding.top_p_filter(probs, 1.0), expected, what="top_p_filter(probs, 1.0)")
        if _support(got) != list(range(V)):
            fail("top_p_filter(probs, 1.0) should keep every id (also when float32 sums fall a hair short of 1)")


def test_top_p_tiny_and_single_token(student, draw):
    """A tiny top_p keeps exactly the most probable id (ties to the lower id); a one-token vocabulary works."""
    V = draw.choice([6, 9])
    probs = draw.probs(V)
    top = _ranked(probs)[0]
    expected = torch.zeros(V, dtype=torch.float64)
    expected[top] = 1.0
    close(student.decoding.top_p_filter(probs, 1e-6), expected, what="top_p_filter(probs, 1e-6)")
    tied = torch.tensor([0.1, 0.3, 0.1, 0.3, 0.2])
    close(student.decoding.top_p_filter(tied, 0.05), torch.tensor([0.0, 1.0, 0.0, 0.0, 0.0]),
          what="top_p_filter(probs, 0.05) with two tied most probable ids")
    close(student.decoding.top_p_filter(torch.ones(1), 0.4), torch.ones(1), what="top_p_filter with V = 1")
    equal(student.decoding.greedy(torch.tensor([-0.3])), 0, what="greedy with V = 1")
    equal(student.decoding.sample_next_token(torch.tensor([0.7]), 1.0, 0.9, Generator(draw.int(0, 10**6))), 0,
          what="sample_next_token with V = 1")


def test_top_p_rejects_bad_values(student, draw):
    """top_p_filter raises ValueError for top_p outside (0, 1]."""
    probs = draw.probs(draw.choice([5, 7]))
    for top_p in (0.0, -0.1, 1.5):
        raises_value_error(student.decoding.top_p_filter, probs, top_p, names=("top_p",), what=f"top_p_filter with top_p={top_p}")


# ------------------------------------------------------------------ sampling
def test_sample_temperature_zero_is_greedy(student, draw):
    """sample_next_token with temperature 0 is greedy (whatever top_p and generator)."""
    V = draw.choice([6, 9, 12])
    for _ in range(3):
        z = _logits(draw, V, scale=0.7)
        expected = int(np.argmax(z.numpy()))
        equal(student.decoding.sample_next_token(z, 0.0), expected, what="sample_next_token(logits, temperature=0)")
        equal(student.decoding.sample_next_token(z, temperature=0, top_p=0.5, generator=Generator(draw.int(0, 10**6))),
              expected, what="sample_next_token(logits, temperature=0, top_p=0.5, generator)")
    z = draw.normal(V, scale=0.5)
    a, b = sorted(draw.distinct(2, 0, V - 1))
    z[[a, b]] = 3.0
    equal(student.decoding.sample_next_token(z, 0), a, what="sample_next_token(logits, temperature=0) with tied maxima")


def test_sample_rejects_negative_temperature(student, draw):
    """sample_next_token raises ValueError for a negative temperature."""
    z = draw.normal(draw.choice([5, 7]))
    raises_value_error(student.decoding.sample_next_token, z, -0.5, names=("temperature",),
                       what="sample_next_token with temperature -0.5")
    raises_value_error(student.decoding.sample_next_token, z, temperature=-2.0, top_p=0.9, generator=Generator(1),
                       names=("temperature",), what="sample_next_token with temperature -2.0")


def _sampling_case(draw):
    """Logits, a temperature and a top_p that keeps 3 ids; the filtered distribution (float64).

    Tuned so that 300 samples tell a missing or misplaced temperature, a missing top-p filter and a
    dropped crossing id from the right distribution (about 10 % of the mass lies outside the top-p set).
    """
    V = draw.choice([7, 8, 9])
    base = np.array([2.0, 1.6, 1.3, 0.9, 0.5, 0.0, -0.5, -1.0, -1.6])[:V]
    z = base + draw.rng.uniform(-0.1, 0.1, V)
    z = torch.from_numpy(z[draw.rng.permutation(V)].astype(np.float32))
    temperature = 0.5  # far enough from 1 that a missing or misplaced temperature shows in 300 samples
    probs = torch.softmax(z.double() / temperature, dim=-1)
    top_p = _top_p_keeping(draw, probs, 3)
    keep, expected = _nucleus(probs, top_p)
    return z, temperature, top_p, keep, expected


def test_sample_follows_filtered_distribution(student, draw):
    """Sampled ids follow the temperature-scaled, top-p filtered distribution (never an id outside the top-p set)."""
    z, temperature, top_p, keep, expected = _sampling_case(draw)
    V = z.shape[0]
    n = 300
    base = draw.int(0, 2**30)
    counts = np.zeros(V, dtype=np.int64)
    for i in range(n):
        tok = as_int(student.decoding.sample_next_token(z, temperature, top_p, Generator(base + i)), what="sample_next_token(...)")
        if not 0 <= tok < V:
            fail("sample_next_token returned an id outside the vocabulary")
        counts[tok] += 1
    outside = [i for i in range(V) if i not in keep and counts[i] > 0]
    if outside:
        fail(f"sample_next_token sampled an id outside the top-p set ({int(counts[outside].sum())} of {n} samples): "
             "apply the temperature, then the top-p filter, then sample", n_outside=int(counts[outside].sum()))
    exp_counts = expected[keep] * n
    chi2 = float(((counts[keep] - exp_counts) ** 2 / exp_counts).sum())
    pvalue = _chi2_sf(chi2, len(keep) - 1)
    if pvalue < 1e-6:
        fail(f"over {n} samples, the frequencies of the sampled ids do not follow the temperature-scaled, top-p filtered "
             f"distribution (chi-square p-value {pvalue:.1e})", p_value=pvalue)


def test_sample_reproducible_with_generator(student, draw):
    """Sampling uses the given generator: the same seed gives the same id, different seeds vary."""
    V = draw.choice([8, 10])
    z = draw.normal(V, scale=0.4)  # a flat distribution: sampling without the generator shows quickly
    base = draw.int(0, 2**30)
    first = [as_int(student.decoding.sample_next_token(z, 1.0, 1.0, Generator(base + i)), what="sample_next_token(...)")
             for i in range(40)]
    again = [as_int(student.decoding.sample_next_token(z, 1.0, 1.0, Generator(base + i)), what="sample_next_token(...)")
             for i in range(40)]
    if first != again:
        fail("sample_next_token gave different ids for generators with the same seed: sample with the given generator")
    if len(set(first)) < 3:
        fail("sample_next_token gave (almost) the same id for 40 different generator seeds on a flat distribution")


# ------------------------------------------------------------------ generate
def test_generate_greedy(student, ref, draw):
    """generate with temperature 0 follows the greedy path and returns prompt + new ids."""
    V = draw.choice([7, 9, 11])
    spec = _model(draw, V)
    prompt = draw.ids(draw.int(2, 4), vocab=V).tolist()
    n = draw.int(6, 10)
    expected, _ = _ref_generate(ref, spec, prompt, n)
    equal(student.decoding.generate(spec, prompt, n), expected, what="generate(model, prompt, max_new_tokens)")
    expected, _ = _ref_generate(ref, spec, prompt, n, temperature=0.0, top_p=0.5, context_length=None, eos_id=None)
    equal(student.decoding.generate(spec, prompt, n, temperature=0.0, top_p=0.5, context_length=None, eos_id=None), expected,
          what="generate(model, prompt, max_new_tokens, temperature=0.0, top_p=0.5)")


def test_generate_crops_context(student, ref, draw):
    """generate passes the model only the last context_length ids."""
    V = draw.choice([7, 9])
    spec = _model(draw, V, scale=1.3)
    for c in (draw.int(2, 3), 1, draw.int(4, 5)):
        prompt = draw.ids(draw.int(4, 6), vocab=V).tolist()
        n = draw.int(5, 8)
        expected, calls = _ref_generate(ref, spec, prompt, n, context_length=c)
        got = student.decoding.generate(spec, prompt, n, context_length=c)
        seen = _seen_contexts(student)
        # Only the contexts of the steps count here (the number of calls is checked with max_new_tokens).
        equal(seen[: len(calls)], calls, what="the contexts passed to the model (the last context_length ids)")
        equal(got, expected, what="generate(..., context_length)")


def _eos_case(ref, draw):
    """A model, prompt and eos id that the greedy path first emits at a middle step (not the first)."""
    V = draw.choice([9, 11])
    for _ in range(50):
        spec = _model(draw, V)
        prompt = draw.ids(draw.int(3, 5), vocab=V).tolist()
        n = 10
        path, _ = _ref_generate(ref, spec, prompt, n)
        new = path[len(prompt):]
        for step in range(2, n - 2):
            if new[step] not in new[:step]:
                eos = new[step]
                prompt[1] = eos  # an eos inside the prompt must not stop anything (the model never sees position 1)
                return spec, prompt, n, eos, step
    spec = _model(draw, V)
    prompt = draw.ids(4, vocab=V).tolist()
    path, _ = _ref_generate(ref, spec, prompt, 10)
    return spec, prompt, 10, path[len(prompt)], 0


def test_generate_stops_at_eos(student, ref, draw):
    """generate stops right after emitting eos_id, and the eos id is part of the output."""
    spec, prompt, n, eos, step = _eos_case(ref, draw)
    expected, _ = _ref_generate(ref, spec, prompt, n, eos_id=eos)
    got = student.decoding.generate(spec, prompt, n, eos_id=eos)
    if isinstance(got, list) and len(got) == len(expected) - 1 and got == expected[:-1]:
        fail("generate should include the eos id in its output (it stops right after emitting it)")
    equal(got, expected, what="generate(..., eos_id)")


def test_generate_max_new_tokens(student, ref, draw):
    """generate adds exactly max_new_tokens ids after the unchanged prompt (0 returns the prompt)."""
    V = draw.choice([7, 10])
    spec = _model(draw, V)
    prompt = draw.ids(draw.int(3, 5), vocab=V).tolist()
    n = draw.int(3, 9)
    path, _ = _ref_generate(ref, spec, prompt, n)
    unused = [i for i in range(V) if i not in path]
    eos = unused[0] if unused else None
    got = student.decoding.generate(spec, prompt, n, eos_id=eos)
    if not isinstance(got, list):
        fail(f"generate should return a list of ids, but it returned a {type(got).__name__}", "type")
    if len(got) != len(prompt) + n:
        fail(f"generate returned {len(got)} ids: it should return the prompt followed by exactly max_new_tokens new ids "
             "(when eos_id is never emitted)", "mismatch")
    equal(got[: len(prompt)], prompt, what="the start of generate's output (it should be the prompt, unchanged)")
    equal(got, path, what="generate(..., max_new_tokens)")
    if len(_seen_contexts(student)) != n:
        fail("generate should call the model exactly once per new id (max_new_tokens times)")
    equal(student.decoding.generate(spec, prompt, 0), prompt, what="generate(model, prompt, 0)")
    if _seen_contexts(student):
        fail("generate with max_new_tokens=0 should not call the model")


def test_generate_tiny_top_p(student, ref, draw):
    """generate with temperature > 0 and a tiny top_p picks the most probable id at every step."""
    V = draw.choice([8, 10])
    spec = _model(draw, V, scale=0.5)  # flat: sampling without the top-p filter leaves the greedy path quickly
    prompt = draw.ids(draw.int(2, 4), vocab=V).tolist()
    n = 10
    c = draw.int(2, 4)
    expected, _ = _ref_generate(ref, spec, prompt, n, context_length=c)
    got = student.decoding.generate(spec, prompt, n, temperature=1.8, top_p=1e-4, context_length=c,
                                    generator=Generator(draw.int(0, 10**6)))
    equal(got, expected, what="generate(..., temperature=1.8, top_p=1e-4, context_length)")


def test_no_mutation(student, draw):
    """greedy, top_p_filter and sample_next_token do not modify their inputs."""
    V = draw.choice([7, 9])
    z = draw.normal(V, scale=1.5)
    probs = draw.probs(V)
    student.decoding.greedy(z)
    student.decoding.top_p_filter(probs, 0.6)
    student.decoding.top_p_filter(probs, 1.0)
    student.decoding.sample_next_token(z, 0.7, 0.8, Generator(draw.int(0, 10**6)))
    student.decoding.sample_next_token(z, 0.0)
    no_mutation(student.calls)


@pytest.mark.integration
@pytest.mark.weight(0.5)
def test_integration_own_modules(student, ref, draw):
    """generate works with your own lm_head.py and attention.py (large logits, temperature, tiny top_p)."""
    V = draw.choice([8, 10])
    spec = _model(draw, V, scale=150.0)  # logits of several hundred: the softmax must be stable
    prompt = draw.ids(3, vocab=V).tolist()
    n = 8
    expected, _ = _ref_generate(ref, spec, prompt, n)
    got = student.own_modules().decoding.generate(spec, prompt, n, temperature=1.3, top_p=1e-4,
                                                  generator=Generator(draw.int(0, 10**6)))
    equal(got, expected, what="generate with your lm_head.py and attention.py (temperature 1.3, top_p 1e-4)")
