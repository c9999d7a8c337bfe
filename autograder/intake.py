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
    notebooks: dict[str, str] = field(default_factory=dict)  # module file -> the notebook its code came from

    def to_dict(self) -> dict:
        d = {"accepted": sorted(self.files), "missing": self.missing, "rejected": self.rejected, "ignored": self.ignored[:50]}
        if self.notebooks:
            d["notebooks"] = dict(self.notebooks)
        return d


def read_submission(folder: Path, modules: list[str], max_bytes: int) -> Intake:
    from autograder.notebooks import NOTEBOOK_MAX_BYTES, NotebookError, notebook_to_module, submission_folder

    folder = submission_folder(Path(folder), modules)  # nbgrader: <student>/<assignment>/
    intake = Intake(str(folder))
    wanted = {f"{m}.py": m for m in modules}
    notebooks = {f"{m}.ipynb": m for m in modules}
    from_notebooks: dict[str, bytes] = {}
    try:
        names = sorted(os.listdir(folder))
    except OSError as e:
        for m in modules:
            intake.missing[m] = f"the submission folder could not be read ({e.strerror})"
        return intake
    for name in names:
        if name in notebooks:  # parsed as JSON only; its solution cells become <module>.py
            data, why = _read_regular(folder / name, NOTEBOOK_MAX_BYTES)
            if data is not None:
                try:
                    from_notebooks[f"{notebooks[name]}.py"] = notebook_to_module(data, max_bytes)
                except NotebookError as e:
                    why = str(e)
            if why:
                intake.rejected[name] = why
            continue
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
    for fname, code in from_notebooks.items():  # a notebook wins over a (possibly stale) .py next to it
        intake.files[fname] = code
        intake.notebooks[fname] = fname[:-3] + ".ipynb"
        intake.rejected.pop(fname, None)
    for fname, m in wanted.items():
        if fname not in intake.files:
            why = intake.rejected.get(fname) or intake.rejected.get(f"{m}.ipynb")
            intake.missing[m] = (f"{fname} was not accepted: {why}" if why else
                                 f"{fname} is missing: put a file named {fname} in your submission folder")
    return intake


def _read_regular(path: Path, max_bytes: int) -> tuple[bytes | None, str]:
    """The bytes of a regular file (no links, at most max_bytes), or None and the reason."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None, "not a regular file (links are not accepted)"
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None, "not a regular file"
        if st.st_size > max_bytes:
            return None, f"too large ({st.st_size // 1024} KiB; the limit is {max_bytes // 1024} KiB)"
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read(max_bytes + 1)
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        return None, f"too large (the limit is {max_bytes // 1024} KiB)"
    return data, ""
