"""What hidden and public checks use: comparisons that explain themselves, and seeded inputs.

Every comparison checks the type, dtype, exact shape and finiteness of what came back before any
number is compared, then compares in float64 with NaN never equal to anything. A failed check
raises ``CheckFailed`` carrying structured details that the feedback renders.
"""

from __future__ import annotations

import math
import zlib
from typing import Any

import numpy as np

from autograder.student import BadValue, Handle, StudentRaised

#: Set from course.yml by the grading plugin; explicit arguments win.
TOLERANCES = {"rtol": 1e-4, "atol": 1e-5}


class CheckFailed(AssertionError):
    """A check's verdict with what the feedback needs: kind, message and details."""

    def __init__(self, message: str, kind: str = "mismatch", safe: str | None = None, **details: Any):
        super().__init__(message)
        self.message = message
        self.safe = safe if safe is not None else message  # without expected values: for hidden checks
        self.kind = kind
        self.details = details


def fail(message: str, kind: str = "mismatch", safe: str | None = None, **details: Any):
    """Fails the check. ``safe`` is the message without expected values (shown for hidden checks)."""
    raise CheckFailed(message, kind, safe, **details)


def _f64(x) -> np.ndarray:
    try:
        import torch

        if isinstance(x, torch.Tensor):
            return x.detach().cpu().to(torch.float64).numpy()
    except ImportError:
        pass
    return np.asarray(x, dtype=np.float64)


def _type_word(got) -> str:
    if isinstance(got, BadValue):
        return got.what
    if isinstance(got, Handle):
        return f"an object ({got.type_name})"
    if got is None:
        return "None (did you forget to return?)"
    if type(got) is np.ndarray:
        return f"an array of dtype {got.dtype}"
    return f"a {type(got).__name__}"


def _region(a: np.ndarray, idx: tuple, radius: int = 2) -> tuple[list, list]:
    """A small window of the last axis around ``idx`` (what the feedback shows side by side)."""
    if a.ndim == 0:
        return [float(a)], []
    lead = idx[:-1]
    j = idx[-1]
    lo, hi = max(0, j - radius), min(a.shape[-1], j + radius + 1)
    return [float(v) for v in a[lead + (slice(lo, hi),)]], [*lead, lo]


def _small_views(g: np.ndarray, e: np.ndarray) -> dict:
    """Small matrices in full (first batch element), for heatmaps in public feedback."""
    if e.ndim < 2 or e.shape[-1] > 16 or e.shape[-2] > 16:
        return {}
    lead = (0,) * (e.ndim - 2)
    return {"got_matrix": g[lead].tolist(), "expected_matrix": e[lead].tolist()}


def close(got, expected, *, rtol: float | None = None, atol: float | None = None, what: str = "the output") -> np.ndarray:
    """``got`` matches ``expected`` (float64, |g - e| <= atol + rtol |e|, infinities equal exactly)."""
    rtol = TOLERANCES["rtol"] if rtol is None else rtol
    atol = TOLERANCES["atol"] if atol is None else atol
    e = _f64(expected)
    if type(got) is not np.ndarray:
        fail(f"{what} should be a tensor of shape {list(e.shape)}, but it is {_type_word(got)}", "type", expected_shape=list(e.shape))
    if got.dtype.kind != "f":
        fail(f"{what} should hold floating-point numbers (float32), but its dtype is {got.dtype}", "dtype",
             expected_dtype="float32", got_dtype=str(got.dtype))
    if tuple(got.shape) != tuple(e.shape):
        fail(f"{what} has shape {list(got.shape)}, expected {list(e.shape)}", "shape", expected_shape=list(e.shape), got_shape=list(got.shape))
    g = got.astype(np.float64)
    nan = np.isnan(g)
    e_inf, g_inf = np.isinf(e), np.isinf(g)
    if nan.any():
        where = tuple(int(i) for i in np.argwhere(nan)[0])
        fail(f"{what} contains NaN ({int(nan.sum())} of {g.size} entries; the first at index {list(where)})", "nan",
             nan_count=int(nan.sum()), inf_count=int(g_inf.sum()), first_index=list(where), total=int(g.size))
    inf_wrong = (g_inf | e_inf) & ~((g == e) & e_inf)
    if inf_wrong.any():
        small = _small_views(g, e)
        where = tuple(int(i) for i in np.argwhere(inf_wrong)[0])
        fail(f"{what} has infinite values where it should not, or misses one ({int(inf_wrong.sum())} entries; the first at index {list(where)})",
             "inf", inf_count=int(g_inf.sum()), expected_inf=int(e_inf.sum()), first_index=list(where), total=int(g.size),
             got_region=_region(g, where)[0], expected_region=_region(e, where)[0], region_start=_region(g, where)[1], what=what, **small)
    finite = ~e_inf
    diff = np.where(finite, np.abs(g - e), 0.0)
    bad = diff > atol + rtol * np.abs(np.where(finite, e, 0.0))
    if bad.any():
        where = tuple(int(i) for i in np.unravel_index(int(np.argmax(np.where(bad, diff, -1.0))), diff.shape)) if diff.ndim else ()
        first = tuple(int(i) for i in np.argwhere(bad)[0]) if diff.ndim else ()
        gr, start = _region(g, first) if diff.ndim else ([float(g)], [])
        er, _ = _region(e, first) if diff.ndim else ([float(e)], [])
        small = _small_views(g, e)
        fail(f"{what} differs from the expected values in {int(bad.sum())} of {g.size} entries "
             f"(largest difference {float(diff.max()):.3g} at index {list(where)})", "mismatch",
             n_bad=int(bad.sum()), total=int(g.size), max_diff=float(diff.max()), max_at=list(where), first_index=list(first),
             got_region=gr, expected_region=er, region_start=start, rtol=rtol, atol=atol, what=what, **small)
    return g


def _plain(v):
    """Student scalars: Python numbers, or 0-d arrays (a tensor's item) of the right kind."""
    if type(v) is np.ndarray and v.ndim == 0:
        return v.item()
    return v


def as_int(got, what: str = "the result") -> int:
    v = _plain(got)
    if type(v) is not int:
        fail(f"{what} should be a Python int, but it is {_type_word(got)}", "type")
    return v


def equal(got, expected, what: str = "the result"):
    """Exact equality of plain values (ids, strings, lists), with a helpful first difference."""
    if isinstance(expected, (list, tuple)) and isinstance(got, (list, tuple)):
        g = [_plain(x) for x in got]
        if len(g) != len(expected) or any(type(a) is not type(b) or a != b for a, b in zip(g, expected)):
            first = next((i for i, (a, b) in enumerate(zip(g, expected)) if type(a) is not type(b) or a != b), min(len(g), len(expected)))
            fail(f"{what} differs: length {len(g)} (expected {len(expected)}), first difference at position {first}: "
                 f"got {_short(g[first:first + 5])}, expected {_short(list(expected[first:first + 5]))}", "mismatch",
                 safe=f"{what} differs from the expected result (first difference at position {first})",
                 first_index=[first], got_len=len(g), expected_len=len(expected), what=what)
        return
    if isinstance(expected, (list, tuple)):
        fail(f"{what} should be a list, but it is {_type_word(got)}", "type")
    g = _plain(got)
    if type(g) is not type(expected) or g != expected:
        if type(expected) is int and type(g) is not int:
            fail(f"{what} should be a Python int, but it is {_type_word(got)}", "type")
        if type(expected) is str and type(g) is not str:
            fail(f"{what} should be a str, but it is {_type_word(got)}", "type")
        fail(f"{what} is {_short(g)}, expected {_short(expected)}", "mismatch", safe=f"{what} is {_short(g)}, which is not the expected value", what=what)


def _short(v, n: int = 120) -> str:
    s = repr(v)
    return s if len(s) <= n else s[: n - 3] + "..."


def raises_value_error(fn, *args, names: tuple[str, ...] = (), what: str = "", **kwargs) -> None:
    """The call raises ValueError, and its message names the argument (any of ``names``)."""
    label = what or "this call"
    try:
        out = fn(*args, **kwargs)
    except StudentRaised as e:
        if e.phase != "call":
            raise
        if not e.is_a("ValueError"):
            fail(f"{label} should raise ValueError, but it raised {e.type_name}: {e.message[:200]}", "wrong-error", got_type=e.type_name)
        if names and not any(n.lower() in e.message.lower() for n in names):
            fail(f"{label} raised ValueError, but its message should name the argument ({' or '.join(names)}): {e.message[:200]!r}",
                 "error-message")
        return
    fail(f"{label} should raise ValueError, but it returned {_type_word(out)}", "no-error")


def no_mutation(student_calls, what: str = "your function") -> None:
    for c in student_calls:
        if c.mutated:
            fail(f"{c.name} modified its input argument(s) in place (tensor argument #{c.mutated[0] + 1}); "
                 "functions must leave their inputs unchanged", "mutation")


# ------------------------------------------------------------------ seeded inputs
ENGLISH = ("the a of and to in is was for on that with as by it at from his her they this be are not "
           "dog cat ran quickly slowly model token attention head layer language learn ing ed er est "
           "transformer embedding position weight query key value sample greedy temperature nucleus "
           "byte pair encoding merge vocabulary train text word ly un re pre able tion ness").split()


class Draw:
    """Inputs drawn from the run's secret seed and the check's name: fresh every run, replayable."""

    def __init__(self, seed: int, name: str):
        self.rng = np.random.default_rng([int(seed) & 0xFFFFFFFF, zlib.crc32(name.encode())])

    def int(self, lo: int, hi: int) -> int:
        """A whole number in [lo, hi]."""
        return int(self.rng.integers(lo, hi + 1))

    def distinct(self, n: int, lo: int, hi: int) -> list[int]:
        return [int(v) for v in self.rng.choice(np.arange(lo, hi + 1), size=n, replace=False)]

    def choice(self, seq):
        return seq[int(self.rng.integers(0, len(seq)))]

    def batch(self, max_dims: int = 2) -> tuple[int, ...]:
        """Leading batch dimensions: none, one or two, of sizes 2 or 3."""
        return tuple(self.int(2, 3) for _ in range(self.int(0, max_dims)))

    def normal(self, *shape, scale: float = 1.0, shift: float = 0.0):
        import torch

        return torch.from_numpy((self.rng.standard_normal(shape) * scale + shift).astype(np.float32))

    def uniform(self, *shape, lo: float = -1.0, hi: float = 1.0):
        import torch

        return torch.from_numpy(self.rng.uniform(lo, hi, shape).astype(np.float32))

    def ids(self, *shape, vocab: int):
        import torch

        return torch.from_numpy(self.rng.integers(0, vocab, shape).astype(np.int64))

    def probs(self, vocab: int, alpha: float = 0.5):
        """A ragged probability vector without ties (float32, sums to 1)."""
        import torch

        while True:
            p = self.rng.dirichlet(np.full(vocab, alpha))
            if len(np.unique(np.round(p, 7))) == vocab and p.min() > 1e-6:
                break
        p = p.astype(np.float32)
        return torch.from_numpy(p / p.sum())

    def english(self, words: int) -> str:
        out = []
        for _ in range(words):
            w = self.choice(ENGLISH)
            if self.rng.random() < 0.3:
                w += self.choice(ENGLISH)
            if self.rng.random() < 0.1:
                w = w.capitalize()
            out.append(w)
            if self.rng.random() < 0.08:
                out[-1] += self.choice([".", ",", "!", "?", ";"])
        return " ".join(out)

    def unicode_text(self, n: int) -> str:
        pools = ["abcdefghijklmnopqrstuvwxyz", "ABCXYZ", "0123456789", " ", "  ", "\n", "\t", "  \n ", "¡¿ñáéíóúü",
                 "日本語テキスト", "Ελληνικά", "русский", "😀🚀🎉👩‍💻🇪🇸", "!?.,;:-_()[]{}'\"", "\u200b\u00a0", "   "]
        parts = []
        while sum(len(p) for p in parts) < n:
            pool = self.choice(pools)
            k = self.int(1, 6)
            parts.append("".join(self.choice(pool) for _ in range(k)) if len(pool) > 3 else pool)
        return "".join(parts)[: max(n, 0)]


def is_finite_number(v) -> bool:
    v = _plain(v)
    return type(v) in (int, float) and math.isfinite(v)
