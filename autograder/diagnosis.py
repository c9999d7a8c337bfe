"""Diagnosis: when a failing check's outputs are exactly what a known mistake produces, name it.

Every call a check made is recorded (inputs and what came back). For each mistake of the
components involved, the same calls are replayed in the trusted process on the reference with that
mistake patched in. A mistake explains the failure when it reproduces every recorded answer and at
least one of them differs from the reference's.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from autograder.mistakes import load_bank, mistake_modset
from autograder.student import BadValue, Handle, StudentCrashed, StudentRaised, wire

RTOL, ATOL = 1e-4, 1e-5


def _to_np(v):
    try:
        import torch

        if isinstance(v, torch.Tensor):
            return v.detach().cpu().numpy()
    except ImportError:
        pass
    return v


def _same(student_value, replay_value) -> bool:
    a, b = student_value, _to_np(replay_value)
    if isinstance(a, BadValue):
        return False
    if isinstance(a, Handle):
        return not isinstance(b, (np.ndarray, int, float, str, list, tuple, dict, bytes)) and b is not None
    if type(a) is np.ndarray or type(b) is np.ndarray:
        if type(a) is not np.ndarray or not isinstance(b, np.ndarray):
            if type(a) is np.ndarray and a.ndim == 0 and isinstance(b, (int, float)):
                return bool(np.isclose(float(a), float(b), rtol=RTOL, atol=ATOL))
            return False
        if a.shape != b.shape:
            return False
        try:
            x, y = a.astype(np.float64), b.astype(np.float64)
        except (TypeError, ValueError):
            return False
        # NaN where the mistake gives NaN is part of the mistake's signature.
        both_inf = np.isinf(x) & np.isinf(y) & (x == y)
        return bool(np.all(both_inf | np.isclose(x, y, rtol=RTOL, atol=ATOL, equal_nan=True)))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        try:
            return bool(np.isclose(float(a), float(b), rtol=RTOL, atol=ATOL))
        except (TypeError, ValueError):
            return False
    return type(a) is type(b) and a == b


def _materialize(v, handles):
    import torch

    if isinstance(v, Handle):
        return handles.get(v.id)
    if isinstance(v, wire.Spec):
        return v.make()
    if isinstance(v, torch.Tensor):
        return v.clone()
    if isinstance(v, list):
        return [_materialize(x, handles) for x in v]
    if isinstance(v, tuple):
        return tuple(_materialize(x, handles) for x in v)
    if isinstance(v, dict):
        return {k: _materialize(x, handles) for k, x in v.items()}
    return v


def _replay(calls, modset_for):
    """Replays ``calls``; returns per call ("ok", value) or ("raised", exception type names)."""
    handles: dict[int, object] = {}
    out = []
    for c in calls:
        ns = modset_for(c)
        try:
            args = _materialize(list(c.args), handles)
            kwargs = _materialize(dict(c.kwargs), handles)
            if c.handle is not None:
                fn = handles.get(c.handle.id)
                if fn is None:
                    out.append(("unknown", None))
                    continue
            else:
                fn = getattr(ns, c.module)
            for part in c.path.split("."):
                fn = getattr(fn, part)
            value = fn(*args, **kwargs)
            if isinstance(c.result, Handle):
                handles[c.result.id] = value
            out.append(("ok", value))
        except Exception as e:  # noqa: BLE001 - a mistake may raise; that is part of its behaviour
            out.append(("raised", [k.__name__ for k in type(e).__mro__]))
    return out


def _matches(call, replayed) -> bool:
    status, value = replayed
    if isinstance(call.problem, StudentCrashed) or status == "unknown":
        return False
    if isinstance(call.problem, StudentRaised):
        return status == "raised" and call.problem.phase == "call" and call.problem.type_name in value
    if status == "raised":
        return False
    return _same(call.result, value)


@functools.lru_cache(maxsize=4)
def _reference(root: Path):
    from autograder.reference import load_reference

    return load_reference(Path(root) / "solutions")


def explain(root: Path, calls) -> list:
    """The mistakes (records) that reproduce these calls, best first."""
    if not calls:
        return []
    ref = _reference(root)
    ref_replay = _replay(calls, lambda c: ref)
    if all(_matches(c, r) for c, r in zip(calls, ref_replay)):
        return []  # the student agrees with the reference everywhere: not an answer mistake
    bank = load_bank(root)
    involved = []
    for c in calls:
        mods = [c.module] if c.oracles else [m for m in bank]  # integrated calls: any of the modules
        for m in mods:
            if m not in involved:
                involved.append(m)
    found = []
    for module in involved:
        for mistake in bank.get(module, []):
            try:
                ns = mistake_modset(Path(root), module, mistake.id)
            except Exception:  # noqa: BLE001 - a broken bank entry is a kit test failure, not a crash here
                continue

            def modset_for(c, ns=ns, module=module):
                return ns if (c.module == module or not c.oracles) else ref

            rep = _replay(calls, modset_for)
            if all(_matches(c, r) for c, r in zip(calls, rep)):
                found.append(mistake.as_record())
    return found


def diagnose_outcomes(ctx, outcomes) -> dict:
    """check id -> {"id", "module", "name", "fix", "also": [...]} for failures a mistake explains."""
    out = {}
    for cid, o in outcomes.items():
        if o.passed or not o.calls:
            continue
        try:
            found = explain(Path(ctx.root), o.calls)
        except Exception:  # noqa: BLE001 - diagnosis is advice; it must never break a grade
            found = []
        if found:
            best = dict(found[0])
            best["also"] = [f["id"] for f in found[1:]]
            out[cid] = best
    return out
