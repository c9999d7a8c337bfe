"""The student proxy: how a hidden test reaches a submission.

``student.attention.softmax(x)`` sends the call to the submission's sandbox and returns validated
plain data (numpy arrays, Python scalars, strings, bytes, lists, tuples, dicts, handles). Nothing
the sandbox sends is unpickled and no method of a student object ever runs here. Every call is
recorded (inputs, what came back) so that a failing check can be diagnosed afterwards by replaying
the same calls against the bank of known mistakes.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograder.sandbox.agrt import wire

COURSE_MODULES = (
    "tokenizer", "positional_encoding", "attention", "mask",
    "multi_head_attention", "feed_forward", "lm_head", "decoding",
)
#: Modules that have a trusted stand-in (built from PyTorch built-ins) inside the sandbox.
ORACLE_MODULES = ("positional_encoding", "attention", "mask", "multi_head_attention", "feed_forward", "lm_head")


# ------------------------------------------------------------------ what can go wrong
class StudentProblem(Exception):
    """A call into student code did not produce a value."""

    kind = "error"


class StudentRaised(StudentProblem):
    """The student's code raised an exception (or failed to import)."""

    def __init__(self, info: dict, phase: str):
        self.info = info if isinstance(info, dict) else {}
        self.phase = phase
        self.type_name = str(self.info.get("type", "Exception"))
        bases = self.info.get("bases", [])
        self.bases = [str(b) for b in bases] if isinstance(bases, list) else []
        self.message = str(self.info.get("message", ""))
        self.traceback = str(self.info.get("traceback", ""))
        self.syntax = self.info.get("syntax") if isinstance(self.info.get("syntax"), dict) else None
        super().__init__(self.summary())

    @property
    def kind(self) -> str:  # type: ignore[override]
        return {"import": "import-error", "missing": "missing", "lookup": "missing-name"}.get(self.phase, "raised")

    def is_a(self, name: str) -> bool:
        return name == self.type_name or name in self.bases

    def summary(self) -> str:
        if self.phase == "missing":
            return self.message
        if self.syntax:
            s = self.syntax
            return f"SyntaxError in {s.get('file')} line {s.get('line')}: {s.get('msg')}"
        where = {"import": "while importing your module", "lookup": "looking up the function", "call": ""}.get(self.phase, "")
        return f"{self.type_name}{' ' + where if where else ''}: {self.message}".strip()


class StudentCrashed(StudentProblem):
    """The worker died, overran its time, or the submission's time budget ran out."""

    def __init__(self, kind: str, detail: str = ""):
        self.kind = kind  # timeout | crash | budget | protocol
        self.detail = detail
        super().__init__(f"{kind}: {detail}" if detail else kind)


class BadValue:
    """Stands for a value that could not cross the boundary (wrong type, unsupported dtype)."""

    def __init__(self, what: str):
        self.what = str(what)[:300]

    def __repr__(self) -> str:
        return f"<{self.what}>"


# ------------------------------------------------------------------ specs the sandbox builds
class OracleSource(wire.Spec):
    """An oracle's source, sent as raw bytes in the payload (never as a file inside the sandbox)."""

    def __init__(self, name: str):
        self.name = name

    def encode(self, enc):
        enc.buffers.append(oracle_source(self.name))
        return {"$src": len(enc.buffers) - 1}


@functools.lru_cache(maxsize=None)
def oracle_source(name: str) -> bytes:
    from pathlib import Path

    return (Path(__file__).resolve().parent / "sandbox" / "agrt" / "oracles" / f"{name}.py").read_bytes()


class Generator(wire.Spec):
    """A seeded ``torch.Generator``, built fresh on each side of the boundary."""

    def __init__(self, seed: int):
        self.seed = int(seed)

    def encode(self, enc):
        return {"$gen": self.seed}

    def make(self):
        import torch

        g = torch.Generator()
        g.manual_seed(self.seed)
        return g

    def __repr__(self) -> str:
        return f"Generator(seed={self.seed})"


class ContextModel(wire.Spec):
    """A next-token model defined by data: logits = last[ctx[-1]] + first[ctx[0]] + length[len % P].

    The sandbox builds the same model (``agrt.models``) and reports the contexts it was given.
    """

    def __init__(self, last, first, length):
        import torch

        self.last = torch.as_tensor(last, dtype=torch.float32)
        self.first = torch.as_tensor(first, dtype=torch.float32)
        self.length = torch.as_tensor(length, dtype=torch.float32)
        self.calls: list[list[int]] = []

    def encode(self, enc):
        return {"$model": {"kind": "context", "last": enc.encode(self.last), "first": enc.encode(self.first), "length": enc.encode(self.length)}}

    def make(self):
        from autograder.sandbox.agrt.models import ContextModel as Built

        return Built(self.last, self.first, self.length)

    def __repr__(self) -> str:
        return f"ContextModel(vocab={self.last.shape[-1]})"


@dataclass
class Handle(wire.Spec):
    """An object that lives in the sandbox (a trained tokenizer); its methods are remote calls."""

    student: Any
    module: str
    id: int
    type_name: str
    oracles: tuple = ()
    integrated: bool = False

    def encode(self, enc):
        return {"$h": self.id}

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return Remote(self.student, self.module, name, handle=self)

    def __repr__(self) -> str:
        return f"<{self.type_name} in the sandbox>"


# ------------------------------------------------------------------ the call record
@dataclass
class Call:
    module: str
    path: str
    args: tuple
    kwargs: dict
    handle: Handle | None = None
    result: Any = None
    problem: StudentProblem | None = None
    mutated: list = field(default_factory=list)
    model_calls: list = field(default_factory=list)
    seconds: float = 0.0
    oracles: tuple = ()

    @property
    def name(self) -> str:
        return f"{self.module}.{self.path}" if self.handle is None else f"{self.handle.type_name}.{self.path}"


def _trusted_encoder() -> wire.Encoder:
    import torch

    def to_array(v):
        if isinstance(v, torch.Tensor):
            return v.detach().cpu().numpy()
        return None

    return wire.Encoder(to_array=to_array)


class Student:
    """The submission, as the hidden tests see it. One per submission; ``view`` makes per-test views."""

    def __init__(self, backend, budget_seconds: float, call_seconds: float, missing: dict[str, str] | None = None):
        self.backend = backend
        self.budget = budget_seconds
        self.call_seconds = call_seconds
        self.used = 0.0
        self.missing = dict(missing or {})
        self.calls: list[Call] = []
        self.integrated = False

    @property
    def last_call(self) -> Call | None:
        return self.calls[-1] if self.calls else None

    # views ------------------------------------------------------------
    def own_modules(self) -> "StudentView":
        """The student's modules used together, without oracles (integration checks)."""
        return StudentView(self, integrated=True)

    def __getattr__(self, name: str):
        return getattr(StudentView(self, integrated=False), name)

    # calls ------------------------------------------------------------
    def _oracles(self, module: str, integrated: bool) -> tuple:
        if integrated:
            return ()
        return tuple(m for m in ORACLE_MODULES if m != module)

    def call(self, module: str, path: str, args: tuple, kwargs: dict, handle: Handle | None = None, integrated: bool = False):
        oracles = handle.oracles if handle is not None else self._oracles(module, integrated)
        rec = Call(module, path, args, dict(kwargs), handle=handle, oracles=oracles)
        self.calls.append(rec)
        if module in self.missing:
            rec.problem = StudentRaised({"type": "ModuleNotFound", "message": self.missing[module]}, "missing")
            raise rec.problem
        left = self.budget - self.used
        if left <= 0:
            rec.problem = StudentCrashed("budget", f"the submission used its whole time budget of {self.budget:g} s")
            raise rec.problem
        timeout = min(self.call_seconds, left)
        header = {"op": "call", "key": {"module": module, "oracles": list(oracles)}}
        header["target"] = {"handle": handle.id, "path": path} if handle is not None else {"path": path}
        t0 = time.monotonic()
        try:
            values_out = {"args": list(args), "kwargs": dict(kwargs), "oracles": {o: OracleSource(o) for o in oracles if o != module}}
            reply, values = self.backend.request(header, values_out, _trusted_encoder(), timeout)
        except StudentCrashed as e:
            rec.problem = e
            raise
        finally:
            rec.seconds = getattr(self.backend, "last_seconds", None) or (time.monotonic() - t0)
            self.used += rec.seconds
        rec.mutated = [i for i in reply.get("mutated", []) if type(i) is int] if isinstance(reply.get("mutated"), list) else []
        mc = reply.get("model_calls", [])
        rec.model_calls = _clean_model_calls(mc)
        if not reply.get("ok"):
            phase = str(reply.get("phase", "call"))
            if phase in ("crash", "protocol"):
                crash = reply.get("crash") if isinstance(reply.get("crash"), dict) else {}
                if "signal" in crash:
                    detail = f"your code was killed by {crash['signal']}"
                elif "exit" in crash:
                    detail = f"your code ended the process (exit code {crash['exit']})"
                else:
                    detail = "your code broke the grading protocol"
                rec.problem = StudentCrashed("crash", detail)
            else:
                rec.problem = StudentRaised(reply.get("error", {}), phase)
            raise rec.problem
        result = values.get("result")
        rec.result = _attach(result, self, module, integrated)
        return rec.result


def _clean_model_calls(mc) -> list:
    if not isinstance(mc, list):
        return []
    out = []
    for calls in mc[:8]:
        if isinstance(calls, list):
            out.append([[int(i) for i in ctx if type(i) is int] for ctx in calls[:10000] if isinstance(ctx, list)])
    return out


def _attach(v, student, module, integrated):
    if isinstance(v, Handle):
        v.student = student
        v.module = module
        v.oracles = student._oracles(module, integrated)
        v.integrated = integrated
    return v


class StudentView:
    def __init__(self, student: Student, integrated: bool):
        self._student = student
        self._integrated = integrated

    def own_modules(self) -> "StudentView":
        return StudentView(self._student, True)

    def __getattr__(self, module: str):
        if module.startswith("_") or module not in COURSE_MODULES:
            raise AttributeError(f"{module!r} is not a module of the course")
        return Remote(self._student, module, "", integrated=self._integrated)


class Remote:
    """A name inside a student module (or on a handle), callable across the boundary."""

    def __init__(self, student, module: str, path: str, handle: Handle | None = None, integrated: bool = False):
        self._student, self._module, self._path, self._handle, self._integrated = student, module, path, handle, integrated

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        path = f"{self._path}.{name}" if self._path else name
        return Remote(self._student, self._module, path, self._handle, self._integrated)

    def __call__(self, *args, **kwargs):
        integrated = self._integrated or bool(getattr(self._handle, "integrated", False))
        return self._student.call(self._module, self._path, args, kwargs, handle=self._handle, integrated=integrated)


# ------------------------------------------------------------------ decoding replies
def decode_reply(header: dict, payload: bytes) -> dict:
    """Validates a reply's values: arrays of whitelisted dtypes, handles, bad-value markers."""

    def tag_hook(v, dec, layout, depth):
        if "$h" in v:
            h = v["$h"]
            if type(h) is not int:
                raise wire.WireError("bad handle")
            return Handle(None, "", h, str(v.get("type", "object"))[:200])
        if "$bad" in v:
            return BadValue(v["$bad"])
        raise wire.WireError("unexpected tag in a reply")

    return wire.decode_message(header, payload, lambda p: wire.Decoder(p, array_hook=lambda a, kind: a, tag_hook=tag_hook))


def as_array(v) -> np.ndarray | None:
    return v if type(v) is np.ndarray else None
