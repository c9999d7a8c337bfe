"""Sandbox levels, detected by trying them, and the bubblewrap command for level 3.

L0 protocol only (a separate process and a data-only boundary; works on any laptop),
L1 + resource limits, L2 + seccomp, L3 + bubblewrap (namespaces, uid 65534, read-only runtime,
a private /tmp, and of the course only the submission visible).
"""

from __future__ import annotations

import functools
import os
import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

AGRT_DIR = Path(__file__).resolve().parent / "agrt"
LEVEL_NAMES = {0: "L0 protocol", 1: "L1 rlimits", 2: "L2 seccomp", 3: "L3 bubblewrap"}


@functools.lru_cache(maxsize=None)
def _bwrap_path() -> str | None:
    return shutil.which("bwrap")


def _runtime_paths() -> list[str]:
    """What the sandboxed interpreter must read: its prefix and its site-packages, nothing else."""
    cands = {sys.prefix, sys.base_prefix, sys.exec_prefix, sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    try:
        cands.update(site.getsitepackages())
    except AttributeError:
        pass
    exe = Path(sys.executable).resolve()
    cands.add(str(exe.parent))
    out = []
    for c in sorted(cands, key=len):
        p = Path(c).resolve()
        if not p.exists() or str(p) in ("/", "/usr"):
            continue
        if any(str(p).startswith(o.rstrip("/") + "/") or str(p) == o for o in out):
            continue
        out.append(str(p))
    return out


def bwrap_command(submission: Path, hide: list[Path], inner: list[str], extra_fds: list[int]) -> list[str]:
    cmd = [_bwrap_path() or "bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
           "--uid", "65534", "--gid", "65534", "--tmpfs", "/tmp", "--proc", "/proc", "--dev", "/dev"]
    for d in ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin"):
        if os.path.islink(d):
            cmd += ["--symlink", os.readlink(d), d]
        elif os.path.isdir(d):
            cmd += ["--ro-bind", d, d]
    for f in ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/localtime"):
        if os.path.exists(f):
            cmd += ["--ro-bind", f, f]
    for p in _runtime_paths():
        if not p.startswith("/usr/"):
            cmd += ["--ro-bind", p, p]
    # Anything of the course that sits below a mounted runtime path is covered again.
    for h in hide:
        h = h.resolve()
        if any(str(h).startswith(p.rstrip("/") + "/") for p in _runtime_paths()) and h.exists():
            cmd += ["--tmpfs", str(h)]
    # The oracles are not mounted: their sources travel with each request, and only to workers of
    # other modules (a student must never find the answer key of their own component on disk).
    cmd += ["--ro-bind", str(AGRT_DIR), "/opt/agrt/agrt", "--tmpfs", "/opt/agrt/agrt/oracles", "--ro-bind", str(submission), "/submission",
            "--setenv", "HOME", "/tmp", "--setenv", "LANG", "C.UTF-8", "--setenv", "PATH", "/usr/bin:/bin",
            "--chdir", "/tmp"]
    cmd += ["--"] + inner
    return cmd


def inner_command(submission: str, capture_fd: int, level: int, mem_mb: int, cpu_seconds: int, agrt_parent: str) -> list[str]:
    boot = f"import sys; sys.path.insert(0, {agrt_parent!r}); from agrt.zygote import main; main()"
    return [sys.executable, "-I", "-c", boot, "--submission", submission, "--capture-fd", str(capture_fd),
            "--level", str(level), "--mem-mb", str(mem_mb), "--cpu-seconds", str(cpu_seconds)]


@functools.lru_cache(maxsize=None)
def bwrap_works() -> bool:
    if _bwrap_path() is None:
        return False
    probe = Path(AGRT_DIR)
    cmd = bwrap_command(probe, [], [sys.executable, "-I", "-c", "import numpy, sys; sys.exit(7)"], [])
    try:
        r = subprocess.run(cmd, capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return r.returncode == 7


@functools.lru_cache(maxsize=None)
def seccomp_works() -> bool:
    try:
        import pyseccomp  # noqa: F401

        pyseccomp.SyscallFilter(pyseccomp.ALLOW)
        return True
    except Exception:  # noqa: BLE001
        return False


def rlimits_work() -> bool:
    try:
        import resource  # noqa: F401

        return sys.platform.startswith("linux")
    except ImportError:
        return False


def best_level() -> int:
    """The highest level this machine supports, found by trying each one."""
    if not rlimits_work():
        return 0
    if not seccomp_works():
        return 1
    return 3 if bwrap_works() else 2
