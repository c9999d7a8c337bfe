"""The sandbox's zygote: imports numpy and torch once, then forks a worker per (module, oracles).

Protocol: requests arrive as frames on stdin, replies leave as frames on stdout. Workers get
fresh pipes to the zygote, so a worker killed mid-frame can never corrupt the next reply. Student
output (fd 1 and 2 of a worker) goes to the capture fd, which the grader drains and caps. The
zygote never runs student code; if a worker hangs, the grader kills the whole sandbox.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import os
import signal
import sys

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_var] = "1"

import numpy  # noqa: E402,F401 - preloaded for every worker
import torch  # noqa: E402

from . import wire  # noqa: E402
from .executor import Env  # noqa: E402
from .limits import apply_rlimits, apply_seccomp, load_seccomp_module, vm_size  # noqa: E402

# Modules students commonly import: loaded here once, so a fork finds them ready.
import collections, functools, heapq, itertools, math, re, string, typing, unicodedata, dataclasses  # noqa: E401,E402,F401

PR_SET_DUMPABLE = 4
PR_SET_PDEATHSIG = 1


def _prctl(option: int, arg: int) -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(option, arg, 0, 0, 0)
    except Exception:  # noqa: BLE001 - not Linux: nothing to harden
        pass


class Zygote:
    def __init__(self, opts):
        self.opts = opts
        self.seccomp = load_seccomp_module() if opts.level >= 2 else None
        self.baseline = vm_size()
        self.worker = None  # (key, pid, to_worker_fd, from_worker_fd)

    def spawn(self, key: tuple) -> None:
        self.kill_worker()
        if self.opts.level >= 3:
            try:
                _wipe_private_dirs()  # nothing a previous worker wrote may reach the next one
            except Exception:  # noqa: BLE001 - hostile trees (deep, looping) must not kill the zygote
                pass
        req_r, req_w = os.pipe()
        resp_r, resp_w = os.pipe()
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:  # the worker
            try:
                os.close(req_w)
                os.close(resp_r)
                self._become_worker(key, req_r, resp_w)
            finally:
                os._exit(70)
        os.close(req_r)
        os.close(resp_w)
        self.worker = (key, pid, req_w, resp_r)

    def _become_worker(self, key, req_r, resp_w) -> None:
        cap = self.opts.capture_fd
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(cap, 1)
        os.dup2(cap, 2)
        for fd in (null, cap):
            if fd > 2:
                os.close(fd)
        # The worker stays in the sandbox's process group (one killpg ends everything) and dies with
        # the zygote: no orphan may outlive a grading, whatever the level.
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() == 1:
            os._exit(70)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        applied = []
        if self.opts.level >= 1:
            apply_rlimits(self.opts.mem_mb << 20, self.opts.cpu_seconds, self.baseline)
            applied.append("rlimits")
        if self.opts.level >= 2 and self.seccomp is not None:
            apply_seccomp(self.seccomp)
            applied.append("seccomp")
        module, oracles = key
        env = Env(self.opts.submission, module, list(oracles))  # loads with the first request
        while True:
            try:
                header, payload = wire.read_frame(req_r)
            except (EOFError, wire.WireError, OSError):
                os._exit(0)
            reply = env.execute(header, payload)
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            except BaseException:  # noqa: BLE001
                pass
            _write_all(resp_w, reply)

    def kill_worker(self) -> None:
        if self.worker is None:
            return
        _, pid, req_w, resp_r = self.worker
        self.worker = None
        for fd in (req_w, resp_r):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass

    def _crash_reply(self, pid: int) -> bytes:
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            status = 0
        self.worker = None
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            try:
                name = signal.Signals(sig).name
            except ValueError:
                name = str(sig)
            what = {"signal": name}
        else:
            what = {"exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None}
        return wire.pack({"ok": False, "phase": "crash", "crash": what})

    def call(self, header: dict, frame: bytes) -> bytes:
        key = header.get("key") or {}
        key = (str(key.get("module", "")), tuple(sorted(str(o) for o in key.get("oracles", []))))
        if self.worker is None or self.worker[0] != key or header.get("fresh"):
            self.spawn(key)
        _, pid, req_w, resp_r = self.worker
        try:
            for part in frame:
                _write_all(req_w, part)
            return wire.read_raw_frame(resp_r)
        except (EOFError, OSError):
            self._close_worker_fds()
            return self._crash_reply(pid)
        except wire.WireError as e:
            self.kill_worker()
            return wire.pack({"ok": False, "phase": "protocol", "crash": {"protocol": str(e)}})

    def _close_worker_fds(self) -> None:
        if self.worker is not None:
            for fd in self.worker[2:]:
                try:
                    os.close(fd)
                except OSError:
                    pass
            try:
                os.kill(self.worker[1], signal.SIGKILL)  # a worker that closed its pipe but lingers
            except OSError:
                pass

    def serve(self) -> None:
        _write_all(1, wire.pack({"ok": True, "ready": True, "pid": os.getpid(), "seccomp": self.seccomp is not None, "torch": torch.__version__}))
        while True:
            try:
                header, payload = _read_frame_zeroable(0)
            except (EOFError, OSError, wire.WireError):
                break
            op = header.get("op")
            if op == "quit":
                break
            if op == "call":
                # The payload carries oracle sources: relayed without copies, then wiped, so that no
                # later worker forked from this zygote finds them in its memory.
                head = wire.pack({k: v for k, v in header.items() if k not in ("op", "key", "fresh")})[wire.PREFIX_SIZE:]
                prefix = wire._HEAD.pack(wire.MAGIC, len(head), len(payload))
                _write_all(1, self.call(header, (prefix + head, payload)))
                payload[:] = bytes(len(payload))
            elif op == "ping":
                _write_all(1, wire.pack({"ok": True, "pong": True}))
            else:
                _write_all(1, wire.pack({"ok": False, "error": {"type": "KitError", "bases": [], "message": f"unknown op {op!r}", "traceback": ""}}))
        self.kill_worker()


def _wipe_private_dirs() -> None:
    """Empties the sandbox's own /tmp and /dev/shm (level 3 only: they are private tmpfs mounts)."""
    import shutil

    for d in ("/tmp", "/dev/shm"):
        try:
            entries = os.listdir(d)
        except OSError:
            continue
        for e in entries:
            p = os.path.join(d, e)
            try:
                if os.path.isdir(p) and not os.path.islink(p):
                    shutil.rmtree(p, ignore_errors=True)
                else:
                    os.unlink(p)
            except OSError:
                pass


def _read_frame_zeroable(fd: int) -> tuple[dict, bytearray]:
    """Reads a frame whose payload lands in a bytearray the zygote can wipe after relaying it."""
    hlen, plen = wire.split_frame_prefix(wire.read_exact(fd, wire.PREFIX_SIZE))
    header = wire.parse_header(wire.read_exact(fd, hlen))
    payload = bytearray(plen)
    view, got = memoryview(payload), 0
    while got < plen:
        n = os.readv(fd, [view[got:]])
        if n == 0:
            raise EOFError("stream closed")
        got += n
    return header, payload


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="agrt.zygote")
    ap.add_argument("--submission", required=True)
    ap.add_argument("--capture-fd", type=int, required=True)
    ap.add_argument("--level", type=int, default=0)
    ap.add_argument("--mem-mb", type=int, default=1024)
    ap.add_argument("--cpu-seconds", type=int, default=60)
    opts = ap.parse_args(argv)
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    _prctl(PR_SET_DUMPABLE, 0)
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # dies with the grader
    z = Zygote(opts)
    gc.collect()
    gc.freeze()
    z.serve()


if __name__ == "__main__":
    main()
