"""Where a call goes: the sandbox (grading) or the student's own process (their laptop's checks)."""

from __future__ import annotations

import time
from pathlib import Path

from autograder.sandbox import Sandbox, SandboxFailure
from autograder.sandbox.agrt import wire
from autograder.student import StudentCrashed, decode_reply


class SandboxBackend:
    """Sends each call to the submission's sandbox; only validated data comes back."""

    def __init__(self, sandbox: Sandbox):
        self.sandbox = sandbox
        self.last_seconds = 0.0

    def request(self, header: dict, values: dict, encoder: wire.Encoder, timeout: float):
        frame = wire.encode_message(header, values, encoder)
        try:
            self.sandbox.ensure()  # starting the runtime is the kit's time, not the student's
            t0 = time.monotonic()
            try:
                reply, payload = self.sandbox.request(frame, timeout)
            finally:
                self.last_seconds = time.monotonic() - t0
        except SandboxFailure as e:
            kind = {"timeout": "timeout", "died": "crash", "protocol": "protocol", "startup": "crash"}.get(e.kind, "crash")
            detail = {
                "timeout": f"your code did not answer within {timeout:g} s (an endless loop, or much too slow)",
                "died": "the process running your code died",
                "protocol": "your code broke the grading protocol",
                "startup": "the sandbox could not start",
            }.get(e.kind, str(e))
            raise StudentCrashed(kind, detail) from None
        try:
            return reply, (decode_reply(reply, payload) if reply.get("ok") else {})
        except wire.WireError as e:
            raise StudentCrashed("protocol", f"malformed reply: {e}") from None

    def close(self) -> None:
        self.sandbox.close()


class LocalBackend:
    """Runs the student's code in this process: for a student's own checks, never for grading."""

    def __init__(self, folder: Path):
        self.folder = Path(folder).resolve()
        self.env = None
        self.key = None

    def request(self, header: dict, values: dict, encoder: wire.Encoder, timeout: float):
        from autograder.sandbox.agrt.executor import Env

        key = header.get("key", {})
        k = (key.get("module"), tuple(key.get("oracles", [])))
        if self.env is None or self.key != k:
            self.env = Env(str(self.folder), k[0], list(k[1]))
            # loads with the first request, which carries the oracle sources
            self.key = k
        frame = wire.encode_message({kk: v for kk, v in header.items() if kk not in ("op", "key")}, values, encoder)
        h, p = wire.unpack(frame)
        reply, payload = wire.unpack(self.env.execute(h, p))
        return reply, (decode_reply(reply, payload) if reply.get("ok") else {})

    def close(self) -> None:
        pass
