"""Intake: what of a student's folder is accepted for grading.

Only the course's module names, regular files (no links: a link could point at the reference),
at most the size limit, valid UTF-8. Everything else is ignored and listed.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Intake:
    folder: str
    files: dict[str, bytes] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)  # module -> message for the student
    rejected: dict[str, str] = field(default_factory=dict)  # file -> reason
    ignored: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"accepted": sorted(self.files), "missing": self.missing, "rejected": self.rejected, "ignored": self.ignored[:50]}


def read_submission(folder: Path, modules: list[str], max_bytes: int) -> Intake:
    folder = Path(folder)
    intake = Intake(str(folder))
    wanted = {f"{m}.py": m for m in modules}
    try:
        names = sorted(os.listdir(folder))
    except OSError as e:
        for m in modules:
            intake.missing[m] = f"the submission folder could not be read ({e.strerror})"
        return intake
    for name in names:
        if name not in wanted:
            if not name.startswith(".") and name != "__pycache__":
                intake.ignored.append(name)
            continue
        path = folder / name
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            intake.rejected[name] = "not a regular file (links are not accepted)"
            continue
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                intake.rejected[name] = "not a regular file"
                continue
            if st.st_size > max_bytes:
                intake.rejected[name] = f"too large ({st.st_size // 1024} KiB; the limit is {max_bytes // 1024} KiB)"
                continue
            with os.fdopen(os.dup(fd), "rb") as f:
                data = f.read(max_bytes + 1)
        finally:
            os.close(fd)
        if len(data) > max_bytes:
            intake.rejected[name] = f"too large (the limit is {max_bytes // 1024} KiB)"
            continue
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as e:
            intake.rejected[name] = f"not valid UTF-8 text (byte {e.start})"
            continue
        intake.files[name] = data
    for fname, m in wanted.items():
        if fname not in intake.files:
            why = intake.rejected.get(fname)
            intake.missing[m] = (f"{fname} was not accepted: {why}" if why else
                                 f"{fname} is missing: put a file named {fname} in your submission folder")
    return intake
