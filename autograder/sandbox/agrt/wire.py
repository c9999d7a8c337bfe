"""Frames: a small JSON header plus raw byte buffers. The only thing that crosses the boundary.

A frame is ``MAGIC | u32 header length | u64 payload length | header JSON | payload``. Arrays are
described in the header (dtype from a short whitelist, shape) and their bytes sit in the payload,
so the trusted side rebuilds them with ``np.frombuffer``: nothing is unpickled, no method of a
student object ever runs on the trusted side.

Values in a header are JSON, with tagged objects for what JSON lacks:
``{"$a": i, "dtype", "shape", "kind"}`` array i of the payload (kind: torch | numpy),
``{"$b": base64}`` bytes, ``{"$t": [...]}`` tuple, ``{"$d": [[k, v], ...]}`` dict,
``{"$h": n}`` a handle on an object kept in the sandbox, ``{"$gen": seed}`` a torch.Generator,
``{"$model": spec}`` a model callable defined by data, ``{"$bad": "what"}`` a value that cannot
cross (the trusted side reports it as a wrong type).
"""

from __future__ import annotations

import base64
import json
import math
import struct

import numpy as np

MAGIC = b"AGW1"
_HEAD = struct.Struct("<4sIQ")
MAX_HEADER = 8 * 1024 * 1024
MAX_PAYLOAD = 256 * 1024 * 1024
MAX_DEPTH = 32
MAX_ITEMS = 1_000_000
DTYPES = {"float32": np.float32, "float64": np.float64, "int32": np.int32, "int64": np.int64, "bool": np.bool_}


class WireError(Exception):
    """A frame or value that does not follow the protocol."""


# ---------------------------------------------------------------- frames
def pack(header: dict, buffers: list[bytes] | tuple = ()) -> bytes:
    head = json.dumps(header, separators=(",", ":"), allow_nan=True).encode("utf-8")
    payload = b"".join(bytes(b) for b in buffers)
    return _HEAD.pack(MAGIC, len(head), len(payload)) + head + payload


def read_exact(fd: int, n: int, read=None) -> bytes:
    import os

    read = read or os.read
    chunks, got = [], 0
    while got < n:
        b = read(fd, min(n - got, 1 << 20))
        if not b:
            raise EOFError(f"stream closed after {got} of {n} bytes")
        chunks.append(b)
        got += len(b)
    return b"".join(chunks)


def split_frame_prefix(prefix: bytes) -> tuple[int, int]:
    magic, hlen, plen = _HEAD.unpack(prefix)
    if magic != MAGIC:
        raise WireError("bad frame magic")
    if hlen > MAX_HEADER or plen > MAX_PAYLOAD:
        raise WireError(f"frame too large (header {hlen} bytes, payload {plen} bytes)")
    return hlen, plen


PREFIX_SIZE = _HEAD.size


def read_frame(fd: int) -> tuple[dict, bytes]:
    hlen, plen = split_frame_prefix(read_exact(fd, PREFIX_SIZE))
    head = read_exact(fd, hlen)
    payload = read_exact(fd, plen) if plen else b""
    return parse_header(head), payload


def read_raw_frame(fd: int) -> bytes:
    """Reads one whole frame without interpreting it (the zygote relays frames)."""
    prefix = read_exact(fd, PREFIX_SIZE)
    hlen, plen = split_frame_prefix(prefix)
    return prefix + read_exact(fd, hlen + plen)


def parse_header(head: bytes) -> dict:
    try:
        obj = json.loads(head.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise WireError(f"header is not JSON: {type(e).__name__}") from None
    if not isinstance(obj, dict):
        raise WireError("header is not an object")
    return obj


def unpack(frame: bytes) -> tuple[dict, bytes]:
    if len(frame) < PREFIX_SIZE:
        raise WireError("short frame")
    hlen, plen = split_frame_prefix(frame[:PREFIX_SIZE])
    if len(frame) != PREFIX_SIZE + hlen + plen:
        raise WireError("frame length does not match its prefix")
    return parse_header(frame[PREFIX_SIZE : PREFIX_SIZE + hlen]), frame[PREFIX_SIZE + hlen :]


# ---------------------------------------------------------------- values
class Encoder:
    """Turns a value into JSON plus buffers. ``to_array`` adapts tensors (sandbox side only)."""

    def __init__(self, to_array=None, keep=None):
        self.buffers: list[bytes] = []
        self._offset = 0
        self.to_array = to_array
        self.keep = keep  # callable(obj) -> handle id, for objects that stay in the sandbox

    def array(self, a: np.ndarray, kind: str) -> dict:
        name = str(a.dtype)
        if name not in DTYPES:
            return {"$bad": f"{kind} of dtype {name}"}
        a = np.ascontiguousarray(a).reshape(a.shape)  # ascontiguousarray makes 0-d arrays 1-d
        if a.dtype.byteorder == ">":
            a = a.astype(a.dtype.newbyteorder("<"))
        data = a.tobytes()
        self.buffers.append(data)
        return {"$a": len(self.buffers) - 1, "dtype": name, "shape": list(a.shape), "kind": kind}

    def encode(self, v, depth: int = 0):
        if depth > MAX_DEPTH:
            return {"$bad": "value nested too deeply"}
        t = type(v)
        if v is None or t is bool or t is str:
            return v
        if t is int:
            return v if abs(v) < 2**63 else {"$bad": "integer too large"}
        if t is float:
            return v
        if t is bytes:
            return {"$b": base64.b64encode(v).decode("ascii")}
        if t is list:
            return [self.encode(x, depth + 1) for x in v]
        if t is tuple:
            return {"$t": [self.encode(x, depth + 1) for x in v]}
        if t is dict:
            return {"$d": [[self.encode(k, depth + 1), self.encode(x, depth + 1)] for k, x in v.items()]}
        if t is np.ndarray:
            return self.array(v, "numpy")
        if isinstance(v, (np.integer,)) and type(v).__module__ == "numpy":
            return int(v)
        if isinstance(v, (np.floating,)) and type(v).__module__ == "numpy":
            return float(v)
        if isinstance(v, np.bool_):
            return bool(v)
        if self.to_array is not None:
            conv = self.to_array(v)
            if conv is not None:
                return conv if isinstance(conv, dict) else self.array(conv, "torch")
        if isinstance(v, Spec):
            return v.encode(self)
        if self.keep is not None:
            h = self.keep(v)
            if h is not None:
                return {"$h": h}
        return {"$bad": f"object of type {_type_name(v)}"}


def _type_name(v) -> str:
    t = type(v)
    mod = getattr(t, "__module__", "") or ""
    qn = getattr(t, "__qualname__", t.__name__)
    return f"{mod}.{qn}" if mod and mod != "builtins" else qn


class Spec:
    """A trusted-side description of something the sandbox builds itself (generator, model, handle)."""

    def encode(self, enc: Encoder):  # pragma: no cover - interface
        raise NotImplementedError


class Decoder:
    """Rebuilds plain values from a header value and the payload. Strict: anything odd is WireError."""

    def __init__(self, header_arrays_payload: bytes, array_hook=None, tag_hook=None):
        self.payload = memoryview(header_arrays_payload)
        self.items = 0
        self.array_hook = array_hook  # turns a numpy array into what the caller wants (torch side)
        self.tag_hook = tag_hook  # handles $h / $gen / $model / $bad

    def decode(self, v, layout: list[tuple[int, int]], depth: int = 0):
        self.items += 1
        if self.items > MAX_ITEMS:
            raise WireError("too many items")
        if depth > MAX_DEPTH + 2:
            raise WireError("value nested too deeply")
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, int):
            return v
        if isinstance(v, float):
            return v
        if isinstance(v, list):
            return [self.decode(x, layout, depth + 1) for x in v]
        if not isinstance(v, dict) or len(v) == 0:
            raise WireError("unexpected JSON object")
        if "$a" in v:
            return self._array(v, layout)
        if "$b" in v:
            if not isinstance(v["$b"], str):
                raise WireError("bad bytes")
            try:
                return base64.b64decode(v["$b"], validate=True)
            except ValueError:
                raise WireError("bad base64") from None
        if "$t" in v:
            if not isinstance(v["$t"], list):
                raise WireError("bad tuple")
            return tuple(self.decode(x, layout, depth + 1) for x in v["$t"])
        if "$d" in v:
            pairs = v["$d"]
            if not isinstance(pairs, list) or not all(isinstance(p, list) and len(p) == 2 for p in pairs):
                raise WireError("bad dict")
            out = {}
            for k, x in pairs:
                key = self.decode(k, layout, depth + 1)
                if not isinstance(key, (int, str, bytes, bool, type(None), float)):
                    raise WireError("unhashable dict key")
                out[key] = self.decode(x, layout, depth + 1)
            return out
        if self.tag_hook is not None:
            return self.tag_hook(v, self, layout, depth)
        raise WireError(f"unknown tag {sorted(v)[:3]}")

    def _array(self, v, layout):
        idx, dtype, shape = v.get("$a"), v.get("dtype"), v.get("shape")
        if type(idx) is not int or not (0 <= idx < len(layout)):
            raise WireError("array index out of range")
        if dtype not in DTYPES:
            raise WireError(f"dtype {dtype!r} not allowed")
        if not isinstance(shape, list) or len(shape) > 16 or not all(type(s) is int and 0 <= s < 2**31 for s in shape):
            raise WireError("bad shape")
        start, length = layout[idx]
        n = math.prod(shape)
        if n * np.dtype(DTYPES[dtype]).itemsize != length:
            raise WireError("array byte length does not match its shape")
        arr = np.frombuffer(self.payload[start : start + length], dtype=np.dtype(DTYPES[dtype]).newbyteorder("<"))
        arr = arr.astype(DTYPES[dtype], copy=True).reshape(shape)
        kind = v.get("kind", "numpy")
        if kind not in ("torch", "numpy"):
            raise WireError("bad array kind")
        return self.array_hook(arr, kind) if self.array_hook else arr


def encode_message(header: dict, values: dict, enc: Encoder) -> bytes:
    """Packs ``header`` plus encoded ``values`` (name -> value) into one frame."""
    body = {k: enc.encode(v) for k, v in values.items()}
    lengths = [len(b) for b in enc.buffers]
    return pack({**header, "values": body, "buffers": lengths}, enc.buffers)


def decode_message(header: dict, payload: bytes, dec_factory) -> dict:
    lengths = header.get("buffers", [])
    if not isinstance(lengths, list) or not all(type(n) is int and n >= 0 for n in lengths):
        raise WireError("bad buffer table")
    if sum(lengths) != len(payload):
        raise WireError("payload length does not match the buffer table")
    layout, pos = [], 0
    for n in lengths:
        layout.append((pos, n))
        pos += n
    values = header.get("values", {})
    if not isinstance(values, dict):
        raise WireError("bad values")
    dec = dec_factory(payload)
    return {k: dec.decode(v, layout) for k, v in values.items()}
