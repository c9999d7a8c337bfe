import re
from pathlib import Path

import numpy as np
import pytest
import torch

from autograder.sandbox.agrt import wire
from autograder.student import BadValue, Handle, decode_reply


def _roundtrip(values):
    enc = wire.Encoder(to_array=lambda v: v.numpy() if isinstance(v, torch.Tensor) else None)
    h, p = wire.unpack(wire.encode_message({"ok": True}, values, enc))
    return decode_reply(h, p)


def test_plain_values_round_trip():
    v = {"r": [1, 2.5, "s", b"\x00\xff", (1, (2, 3)), {3: b"x", "k": None}, True]}
    assert _roundtrip(v) == v


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.int64, np.bool_])
def test_arrays_round_trip_exactly(dtype):
    a = (np.arange(24).reshape(2, 3, 4) % 5).astype(dtype)
    out = _roundtrip({"r": a})["r"]
    assert type(out) is np.ndarray and out.dtype == a.dtype and out.shape == a.shape and (out == a).all()


def test_unsupported_dtypes_become_bad_values():
    out = _roundtrip({"r": np.zeros(3, dtype=np.float16), "c": np.zeros(2, dtype=np.complex64)})
    assert isinstance(out["r"], BadValue) and isinstance(out["c"], BadValue)


def _frame(header, payload=b""):
    return wire.pack(header, [payload])


@pytest.mark.parametrize(
    "values, buffers, payload",
    [
        ({"r": {"$a": 0, "dtype": "float16", "shape": [2]}}, [4], b"\0" * 4),
        ({"r": {"$a": 0, "dtype": "float32", "shape": [3]}}, [8], b"\0" * 8),
        ({"r": {"$a": 1, "dtype": "float32", "shape": [1]}}, [4], b"\0" * 4),
        ({"r": {"$a": 0, "dtype": "float32", "shape": [-1]}}, [4], b"\0" * 4),
        ({"r": {"$a": 0, "dtype": "object", "shape": [1]}}, [8], b"\0" * 8),
        ({"r": {"$pickle": "gASV"}}, [], b""),
        ({"r": {"$b": 5}}, [], b""),
    ],
)
def test_malformed_replies_are_rejected(values, buffers, payload):
    h, p = wire.unpack(wire.pack({"ok": True, "values": values, "buffers": buffers}, [payload]))
    with pytest.raises(wire.WireError):
        decode_reply(h, p)


def test_frame_limits():
    with pytest.raises(wire.WireError):
        wire.unpack(b"XXXX" + b"\0" * 12)
    big = wire._HEAD.pack(wire.MAGIC, wire.MAX_HEADER + 1, 0)
    with pytest.raises(wire.WireError):
        wire.split_frame_prefix(big)


def test_handles_decode_as_inert_handles():
    out = _roundtrip.__wrapped__ if hasattr(_roundtrip, "__wrapped__") else None
    h, p = wire.unpack(wire.pack({"ok": True, "values": {"r": {"$h": 3, "type": "tokenizer.BPETokenizer"}}, "buffers": []}))
    r = decode_reply(h, p)["r"]
    assert isinstance(r, Handle) and r.id == 3


def test_nothing_in_the_kit_unpickles():
    """Nothing from the student side may be unpickled: no pickle, dill, marshal or torch.load in the kit."""
    pattern = re.compile(r"\b(import pickle|from pickle|cPickle|import dill|import marshal|marshal\.loads|torch\.load|pickle\.loads|cloudpickle|np\.load\(|allow_pickle=True)")
    offenders = []
    for f in Path(__file__).resolve().parents[2].joinpath("autograder").rglob("*.py"):
        for i, line in enumerate(f.read_text().splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{f.name}:{i}: {line.strip()}")
    assert offenders == []
