"""The sandbox: calls come back as data; timeouts, crashes and hostile code cost one call only."""

import textwrap
import time
from pathlib import Path

import pytest
import torch

from autograder.backends import SandboxBackend
from autograder.sandbox import Sandbox, SandboxConfig, private_copy, remove_copy
from autograder.student import StudentCrashed, StudentRaised, Student

from conftest import require_l3

ATTENTION = textwrap.dedent('''
    import os, sys, time, socket, ctypes
    import torch
    print("imported")
    def softmax(x, dim=-1):
        e = (x - x.max(dim=dim, keepdim=True).values).exp()
        return e / e.sum(dim=dim, keepdim=True)
    def loop():
        while True:
            pass
    def sleep():
        time.sleep(60)
    def leave():
        os._exit(0)
    def segfault():
        ctypes.string_at(0)
    def fork():
        return os.fork()
    def listdir(p):
        return sorted(os.listdir(p))
    def read(p):
        return open(p).read()
    def net():
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(2)
        s.connect(("127.0.0.1", 22))
        return "connected"
    def interrupt():
        raise KeyboardInterrupt
    def flood():
        sys.stdout.write("x" * 5_000_000)
        return 1
    def mutate(x):
        x += 1
        return x
    def subclass():
        class T(torch.Tensor):
            pass
        return torch.zeros(2).as_subclass(T)
    def half():
        return torch.zeros(2, dtype=torch.float16)
    def memory():
        return len(bytearray(8 << 30))
''')


def _student(level: int, tmp_path: Path):
    folder = private_copy({"attention.py": ATTENTION.encode()})
    sb = Sandbox(folder, SandboxConfig(level=level, call_seconds=2.0, mem_mb=512, output_bytes=4096, hide=[Path(__file__).parents[2]]))
    st = Student(SandboxBackend(sb), budget_seconds=60, call_seconds=2.0)
    return st, sb, folder


@pytest.fixture(scope="module", params=[0, 3], ids=["L0", "L3"])
def sandboxed(request, tmp_path_factory):
    if request.param == 3:
        require_l3()
    st, sb, folder = _student(request.param, tmp_path_factory.mktemp("sb"))
    yield st, request.param
    sb.close()
    remove_copy(folder)


def test_calls_return_plain_data(sandboxed):
    st, _ = sandboxed
    x = torch.tensor([[1.0, 2.0, 3.0]])
    out = st.attention.softmax(x)
    assert type(out).__name__ == "ndarray" and out.dtype.name == "float32" and abs(out.sum() - 1) < 1e-6


def test_timeout_costs_one_call(sandboxed):
    st, _ = sandboxed
    t = time.monotonic()
    with pytest.raises(StudentCrashed) as e:
        st.attention.loop()
    assert e.value.kind == "timeout"
    with pytest.raises(StudentCrashed):
        st.attention.sleep()
    assert st.attention.softmax(torch.zeros(1, 2)).shape == (1, 2)
    st.backend.sandbox.close()
    time.sleep(0.5)
    assert _processes_of(st.backend.sandbox.submission) == [], "a killed sandbox left processes behind"


def _processes_of(folder) -> list[int]:
    import os

    found = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/cmdline", "rb") as f:
                    cmd = f.read().decode(errors="replace")
                with open(f"/proc/{d}/stat") as f:
                    state = f.read().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if str(folder) in cmd and state != "Z":
                found.append(int(d))
    return found


@pytest.mark.parametrize("fn", ["leave", "segfault"])
def test_crash_costs_one_call(sandboxed, fn):
    st, _ = sandboxed
    with pytest.raises(StudentCrashed) as e:
        getattr(st.attention, fn)()
    assert e.value.kind == "crash"
    assert st.attention.softmax(torch.zeros(1, 2)).shape == (1, 2)


def test_exceptions_come_back_as_data(sandboxed):
    st, _ = sandboxed
    with pytest.raises(StudentRaised) as e:
        st.attention.interrupt()
    assert e.value.type_name == "KeyboardInterrupt"
    with pytest.raises(StudentRaised) as e:
        st.attention.softmax("not a tensor")
    assert e.value.phase == "call"


def test_wrong_types_do_not_cross(sandboxed):
    st, _ = sandboxed
    from autograder.student import BadValue

    assert isinstance(st.attention.subclass(), BadValue)
    assert isinstance(st.attention.half(), BadValue)


def test_mutation_is_reported(sandboxed):
    st, _ = sandboxed
    st.attention.mutate(torch.zeros(3))
    assert st.last_call.mutated == [0]


def test_output_is_capped(sandboxed):
    st, _ = sandboxed
    assert st.attention.flood() == 1
    kept, total = st.backend.sandbox.output()
    assert len(kept) <= 4096 and total >= 5_000_000


def test_level3_isolation(tmp_path):
    require_l3()
    st, sb, folder = _student(3, tmp_path)
    try:
        root = Path(__file__).parents[2]
        assert st.attention.listdir("/submission") == ["attention.py"]
        assert st.attention.listdir("/opt/agrt/agrt/oracles") == []  # oracle sources never sit on disk in the sandbox
        with pytest.raises(StudentRaised):
            st.attention.listdir(str(root / "solutions"))
        with pytest.raises(StudentRaised):
            st.attention.read(str(root / "tests" / "kit" / "test_sandbox.py"))
        with pytest.raises(StudentRaised) as e:
            st.attention.fork()
        assert e.value.type_name in ("PermissionError", "OSError", "BlockingIOError")
        with pytest.raises(StudentRaised):
            st.attention.net()
        with pytest.raises((StudentRaised, StudentCrashed)):
            st.attention.memory()
        assert st.attention.softmax(torch.zeros(1, 2)).shape == (1, 2)
    finally:
        sb.close()
        remove_copy(folder)
