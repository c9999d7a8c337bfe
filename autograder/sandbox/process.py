"""The grader's side of one sandbox: start it, send a call, wait with a deadline, kill it.

Time limits live here, outside the student's process: a call that overruns costs a SIGKILL of the
whole sandbox (its process group, and with bubblewrap its pid namespace), and the next call starts
a fresh one. Student output is drained on threads and capped.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder.sandbox import levels
from autograder.sandbox.agrt import wire


class SandboxFailure(Exception):
    """The sandbox could not answer (timeout, crash of the runtime, protocol violation)."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail


class OutputSink:
    """Drains a pipe on a thread; keeps the first ``keep`` bytes, counts the rest."""

    def __init__(self, fd: int, keep: int):
        self.fd, self.keep = fd, keep
        self.data = bytearray()
        self.total = 0
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            try:
                b = os.read(self.fd, 65536)
            except OSError:
                break
            if not b:
                break
            self.total += len(b)
            room = self.keep - len(self.data)
            if room > 0:
                self.data += b[:room]
        try:
            os.close(self.fd)
        except OSError:
            pass

    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")


@dataclass
class SandboxConfig:
    level: int
    call_seconds: float = 10.0
    mem_mb: int = 1024
    cpu_seconds: int = 120
    output_bytes: int = 64 * 1024
    hide: list[Path] = field(default_factory=list)
    startup_seconds: float = 60.0


class Sandbox:
    """One submission's sandbox. Started lazily; restarted after a kill."""

    def __init__(self, submission: Path, config: SandboxConfig):
        self.submission = Path(submission)
        self.config = config
        self.proc: subprocess.Popen | None = None
        self.log_sink: OutputSink | None = None
        self.starts = 0
        self.kills = 0
        self.info: dict = {}
        self._sinks: list[OutputSink] = []
        self._lock = threading.Lock()
        self._ready = False

    def warm_up(self) -> None:
        """Starts the runtime now without waiting for it: its torch import overlaps the grader's start.

        Spawned from the calling thread on purpose: bubblewrap's --die-with-parent (and the
        zygote's own parent-death signal) follow the thread that forked, so no helper thread."""
        with self._lock:
            if self.proc is None:
                self._spawn()

    # ------------------------------------------------------------ lifecycle
    def _spawn(self) -> None:
        cfg = self.config
        cap_r, cap_w = os.pipe()
        if cfg.level >= 3:
            inner = levels.inner_command("/submission", cap_w, cfg.level, cfg.mem_mb, cfg.cpu_seconds, "/opt/agrt")
            cmd = levels.bwrap_command(self.submission, cfg.hide, inner, [cap_w])
        else:
            inner = levels.inner_command(str(self.submission), cap_w, cfg.level, cfg.mem_mb, cfg.cpu_seconds, str(levels.AGRT_DIR.parent))
            cmd = inner
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": tempfile.gettempdir(), "OMP_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1"}
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            pass_fds=[cap_w], start_new_session=True, env=env, cwd=tempfile.gettempdir(),
        )
        os.close(cap_w)
        self.starts += 1
        self._ready = False
        self._sinks.append(OutputSink(cap_r, self.config.output_bytes))
        self.log_sink = OutputSink(os.dup(self.proc.stderr.fileno()), 16 * 1024)
        self.proc.stderr.close()

    def _await_ready(self) -> None:
        header, _ = self._read(self.config.startup_seconds)
        if not header.get("ready"):
            self.kill()
            raise SandboxFailure("startup", "the sandbox runtime did not start")
        self.info = header
        self._ready = True

    def start(self) -> None:
        with self._lock:
            self._spawn()
            self._await_ready()

    def ensure(self) -> None:
        with self._lock:
            if self.proc is not None and self.proc.poll() is not None:
                self.kill()
            if self.proc is None:
                self._spawn()
            if not self._ready:
                self._await_ready()

    def kill(self) -> None:
        p, self.proc = self.proc, None
        if p is None:
            return
        self.kills += 1
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            p.kill()
        except OSError:
            pass
        for s in (p.stdin, p.stdout):
            try:
                s.close()
            except (OSError, ValueError):
                pass
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.proc.stdin.write(wire.pack({"op": "quit"}))
                self.proc.stdin.flush()
                self.proc.wait(timeout=2)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                pass
        self.kill()
        for s in self._sinks:
            s.thread.join(timeout=2)

    # ------------------------------------------------------------ I/O
    def _read(self, timeout: float) -> tuple[dict, bytes]:
        assert self.proc is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout

        def read(_fd, n):
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            r, _, _ = select.select([fd], [], [], left)
            if not r:
                raise TimeoutError
            return os.read(fd, n)

        try:
            prefix = wire.read_exact(fd, wire.PREFIX_SIZE, read)
            hlen, plen = wire.split_frame_prefix(prefix)
            head = wire.read_exact(fd, hlen, read)
            payload = wire.read_exact(fd, plen, read) if plen else b""
            return wire.parse_header(head), payload
        except TimeoutError:
            self.kill()
            raise SandboxFailure("timeout", f"no answer within {timeout:g} s") from None
        except EOFError:
            log = self.log_sink.text()[-2000:] if self.log_sink else ""
            self.kill()
            raise SandboxFailure("died", log) from None
        except wire.WireError as e:
            self.kill()
            raise SandboxFailure("protocol", str(e)) from None

    def request(self, frame: bytes, timeout: float) -> tuple[dict, bytes]:
        self.ensure()
        try:
            self.proc.stdin.write(frame)
            self.proc.stdin.flush()
        except (OSError, ValueError):
            self.kill()
            raise SandboxFailure("died", "the sandbox closed its input") from None
        return self._read(timeout)

    # ------------------------------------------------------------ output
    def output(self) -> tuple[str, int]:
        kept = "".join(s.text() for s in self._sinks)
        total = sum(s.total for s in self._sinks)
        return kept[: self.config.output_bytes], total


def private_copy(files: dict[str, bytes]) -> Path:
    """The submission as the sandbox sees it: only the accepted modules, in a fresh folder."""
    d = Path(tempfile.mkdtemp(prefix="agsub-"))
    os.chmod(d, 0o755)
    for name, data in files.items():
        p = d / name
        p.write_bytes(data)
        os.chmod(p, 0o644)
    return d


def remove_copy(d: Path) -> None:
    shutil.rmtree(d, ignore_errors=True)
