"""Runs one request against a student's modules and encodes the reply as data.

Shared by the sandbox worker and by the in-process backend a student uses on their own laptop, so
that both give the same answers for the same code.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import sys
import traceback
from pathlib import Path

import numpy as np

from . import wire
from .models import build_model

COURSE_MODULES = (
    "tokenizer",
    "positional_encoding",
    "attention",
    "mask",
    "multi_head_attention",
    "feed_forward",
    "lm_head",
    "decoding",
)
MAX_TEXT = 4000
MAX_TRACE = 8000


def _torch():
    import torch

    return torch


def _clip(s: str, n: int) -> str:
    s = str(s)
    return s if len(s) <= n else s[: n - 20] + f"... [{len(s) - n + 20} more characters]"


def describe_exception(e: BaseException, submission: str) -> dict:
    """The student's exception as data: type names, message and the student's own frames."""
    try:
        bases = [c.__name__ for c in type(e).__mro__][:12]
    except Exception:  # noqa: BLE001 - a hostile metaclass
        bases = ["BaseException"]
    try:
        message = _clip(str(e), MAX_TEXT)
    except BaseException:  # noqa: BLE001 - a hostile __str__
        message = "<the exception's message could not be printed>"
    frames = []
    try:
        for fr in traceback.extract_tb(e.__traceback__):
            if fr.filename.startswith(submission):
                frames.append(fr)
        trace = "".join(traceback.format_list(frames))
    except BaseException:  # noqa: BLE001
        trace = ""
    out = {"type": type(e).__name__, "bases": bases, "message": message, "traceback": _clip(trace, MAX_TRACE)}
    if isinstance(e, SyntaxError):
        out["syntax"] = {
            "file": os.path.basename(str(e.filename or "")),
            "line": e.lineno if isinstance(e.lineno, int) else None,
            "text": _clip((e.text or "").rstrip("\n"), 400),
            "msg": _clip(e.msg or "", 400),
        }
    return out


class Env:
    """One student module loaded, with oracles standing in for the listed course modules."""

    def __init__(self, submission: str, module: str, oracles: list[str]):
        self.submission = str(Path(submission))
        self.module_name = module
        self.oracles = list(oracles)
        self.module = None
        self.import_error: dict | None = None
        self.handles: dict[int, object] = {}
        self.loaded = False

    def load(self, oracle_sources: dict | None = None) -> None:
        """Imports the student's module, with oracles standing in for the other course modules.

        Oracle sources arrive with the first request (never from a file the sandbox can read), and
        only those of *other* modules: student code never shares a process with the oracle of the
        component it is graded on."""
        self.loaded = True
        oracle_sources = oracle_sources or {}
        for name in COURSE_MODULES:
            sys.modules.pop(name, None)
        if self.submission not in sys.path:
            sys.path.insert(0, self.submission)
        importlib.invalidate_caches()
        try:
            for name in self.oracles:
                if name == self.module_name:
                    continue
                src = oracle_sources.get(name)
                if not isinstance(src, str):
                    raise LookupError(f"no oracle source for {name}")
                mod = importlib.util.module_from_spec(importlib.util.spec_from_loader(name, loader=None))
                sys.modules[name] = mod
                exec(compile(src, f"<oracle {name}>", "exec"), mod.__dict__)
        except BaseException as e:  # noqa: BLE001 - an oracle must never fail; report it as the kit's fault
            self.import_error = {"type": "KitError", "bases": ["KitError"], "message": f"oracle failed: {e!r}", "traceback": ""}
            return
        path = Path(self.submission) / f"{self.module_name}.py"
        if not path.is_file():
            self.import_error = {"type": "ModuleNotFound", "bases": ["ModuleNotFound"], "message": f"{self.module_name}.py is missing", "traceback": ""}
            return
        try:
            self.module = importlib.import_module(self.module_name)
        except BaseException as e:  # noqa: BLE001 - the student's import may raise anything
            self.import_error = describe_exception(e, self.submission)

    # -------------------------------------------------------------- values
    def _keep(self, obj) -> int:
        n = len(self.handles) + 1
        self.handles[n] = obj
        return n

    def encoder(self) -> wire.Encoder:
        torch = _torch()

        def to_array(v):
            if type(v) is torch.Tensor:
                try:
                    return v.detach().cpu().resolve_conj().resolve_neg().numpy()
                except Exception as e:  # noqa: BLE001
                    return {"$bad": f"torch tensor that cannot be read ({type(e).__name__}: {_clip(str(e), 200)})"}
            if isinstance(v, torch.Tensor):
                return {"$bad": f"subclass of torch.Tensor ({type(v).__name__})"}
            if isinstance(v, np.ndarray):
                return {"$bad": f"subclass of numpy.ndarray ({type(v).__name__})"}
            return None

        return wire.Encoder(to_array=to_array)

    def decoder(self, payload: bytes, models: list):
        torch = _torch()

        def array_hook(arr, kind):
            return torch.from_numpy(arr) if kind == "torch" else arr

        def tag_hook(v, dec, layout, depth):
            if "$h" in v:
                h = v["$h"]
                if h not in self.handles:
                    raise wire.WireError(f"unknown handle {h!r}")
                return self.handles[h]
            if "$src" in v:
                i = v["$src"]
                if type(i) is not int or not 0 <= i < len(layout):
                    raise wire.WireError("bad source index")
                start, length = layout[i]
                return bytes(dec.payload[start : start + length])
            if "$gen" in v:
                g = torch.Generator()
                g.manual_seed(int(v["$gen"]))
                return g
            if "$model" in v:
                m = build_model(v["$model"], lambda a: dec.decode(a, layout, depth + 1))
                models.append(m)
                return m
            raise wire.WireError("unknown tag")

        return wire.Decoder(payload, array_hook=array_hook, tag_hook=tag_hook)

    # -------------------------------------------------------------- calls
    def execute(self, header: dict, payload: bytes) -> bytes:
        """Runs one call; always returns one reply frame."""
        models: list = []
        try:
            values = wire.decode_message(header, payload, lambda p: self.decoder(p, models))
        except Exception as e:  # noqa: BLE001
            return wire.pack({"ok": False, "error": {"type": "KitError", "bases": ["KitError"], "message": f"bad request: {e}", "traceback": ""}})
        if not self.loaded:
            srcs = values.get("oracles") if isinstance(values.get("oracles"), dict) else {}
            self.load({k: v.decode("utf-8") if isinstance(v, bytes) else v for k, v in srcs.items() if k != self.module_name})
        if self.import_error is not None:
            return wire.pack({"ok": False, "phase": "import", "error": self.import_error})
        args, kwargs = values.get("args", []), values.get("kwargs", {})
        target = header.get("target", {})
        try:
            if "handle" in target:
                obj = self.handles.get(target["handle"])
                if obj is None:
                    raise LookupError("unknown handle")
            else:
                obj = self.module
            fn = obj
            for part in str(target.get("path", "")).split("."):
                fn = getattr(fn, part)
        except BaseException as e:  # noqa: BLE001
            return wire.pack({"ok": False, "phase": "lookup", "error": describe_exception(e, self.submission)})
        before = _digests(args, kwargs)
        try:
            result = fn(*args, **kwargs)
        except BaseException as e:  # noqa: BLE001 - KeyboardInterrupt and SystemExit included: the call failed
            return wire.pack({"ok": False, "phase": "call", "error": describe_exception(e, self.submission), "mutated": _mutated(before, args, kwargs)})
        return self._reply(result, before, args, kwargs, models)

    def _reply(self, result, before, args, kwargs, models) -> bytes:
        enc = self.encoder()
        try:
            value = enc.encode(result)
            if isinstance(value, dict) and str(value.get("$bad", "")).startswith("object of type"):
                # Objects that are not data (a tokenizer instance) stay here and travel as handles.
                value = {"$h": self._keep(result), "type": wire._type_name(result)}
        except BaseException as e:  # noqa: BLE001 - hostile objects may raise while being read
            value = {"$bad": f"a value that could not be read ({type(e).__name__})"}
        return wire.pack(
            {
                "ok": True,
                "values": {"result": value},
                "buffers": [len(b) for b in enc.buffers],
                "mutated": _mutated(before, args, kwargs),
                "model_calls": [m.calls for m in models],
            },
            enc.buffers,
        )


def _tensor_args(args, kwargs):
    torch = _torch()
    out = []
    for v in list(args) + [kwargs[k] for k in sorted(kwargs)]:
        if isinstance(v, (torch.Tensor, np.ndarray)):
            out.append(v)
    return out


def _digest(v) -> str:
    torch = _torch()
    try:
        a = v.detach().cpu().numpy() if isinstance(v, torch.Tensor) else np.asarray(v)
        return hashlib.sha1(np.ascontiguousarray(a).tobytes() + str(a.shape).encode()).hexdigest()
    except Exception:  # noqa: BLE001
        return "unreadable"


def _digests(args, kwargs) -> list[str]:
    return [_digest(v) for v in _tensor_args(args, kwargs)]


def _mutated(before, args, kwargs) -> list[int]:
    after = _digests(args, kwargs)
    return [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
