"""Notebook intake: the module code of a Jupyter notebook, read as JSON only (never executed).

A course notebook (``<module>.ipynb``, e.g. from the nbgrader release) holds the student's module in
its *solution cells* (``metadata.nbgrader.solution == true``); a notebook without nbgrader metadata
contributes all its code cells. Test cells (``grade`` without ``solution``) and read-only cells
(``locked``) are never part of the module. IPython syntax is neutralised so the result is plain
Python: a cell that starts with a cell magic (``%%...``) is skipped and line magics / shell escapes
(``%...``, ``!...``) become comments. A bare top-level ``raise NotImplementedError()`` (nbgrader's
stub for an unfinished module-level region, e.g. optional private helpers) is turned into a comment:
at module level it could only make every function of the module fail at import.

The caller (``autograder.intake``) reads the notebook with a size cap; this module only parses.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

#: A notebook may hold outputs (plots): it is allowed to be larger than a module file.
NOTEBOOK_MAX_BYTES = 8 * 1024 * 1024

_STUB = re.compile(r"^raise NotImplementedError(\(\s*\))?\s*(#.*)?$")


class NotebookError(ValueError):
    """The file is not a notebook this kit can read (the message is for the student)."""


def cell_source(cell: dict) -> str:
    src = cell.get("source", "")
    if isinstance(src, list):
        if not all(isinstance(s, str) for s in src):
            raise NotebookError("a cell's source is not text")
        return "".join(src)
    if not isinstance(src, str):
        raise NotebookError("a cell's source is not text")
    return src


def _nbmeta(cell: dict) -> dict:
    meta = cell.get("metadata") or {}
    nb = meta.get("nbgrader") if isinstance(meta, dict) else None
    return nb if isinstance(nb, dict) else {}


def is_solution_cell(cell: dict) -> bool:
    return cell.get("cell_type") == "code" and _nbmeta(cell).get("solution") is True


def is_test_cell(cell: dict) -> bool:
    m = _nbmeta(cell)
    return bool(m.get("grade")) and not m.get("solution")


def is_locked_cell(cell: dict) -> bool:
    m = _nbmeta(cell)
    return bool(m.get("locked")) and not m.get("solution")


def parse_notebook(data: bytes | str) -> dict:
    """The notebook as a dict (JSON only; nbformat's structure checked just enough to extract code)."""
    try:
        nb = json.loads(data)
    except (ValueError, UnicodeDecodeError) as e:
        raise NotebookError(f"not a valid notebook (JSON): {e}") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise NotebookError("not a valid notebook: no list of cells (nbformat 4 is expected)")
    if not all(isinstance(c, dict) for c in nb["cells"]):
        raise NotebookError("not a valid notebook: a cell is not an object")
    return nb


def _plain_python(source: str) -> str | None:
    lines = source.splitlines()
    first = next((ln.strip() for ln in lines if ln.strip()), "")
    if first.startswith("%%"):
        return None
    out = []
    for ln in lines:
        s = ln.lstrip()
        if s.startswith(("%", "!")):
            ln = ln[: len(ln) - len(s)] + "# (notebook magic, not run by the grader) " + s
        elif ln == s and _STUB.match(s.rstrip()):
            ln = "# " + ln + "  (nbgrader stub at module level, ignored by the grader)"
        out.append(ln)
    return "\n".join(out)


def code_cells(nb: dict) -> list[dict]:
    """The cells that make up the module, in order."""
    cells = [c for c in nb["cells"] if c.get("cell_type") == "code"]
    if any(is_solution_cell(c) for c in cells):
        return [c for c in cells if is_solution_cell(c)]
    return [c for c in cells if not is_test_cell(c) and not is_locked_cell(c)]


def extract_code(nb: dict) -> str:
    """The module source held by a parsed notebook ('' when it holds no code)."""
    parts = []
    for c in code_cells(nb):
        text = _plain_python(cell_source(c))
        if text is not None and text.strip():
            parts.append(text.rstrip("\n"))
    return ("\n\n\n".join(parts) + "\n") if parts else ""


def notebook_to_module(data: bytes, max_bytes: int) -> bytes:
    """Module source (UTF-8 bytes) from notebook bytes; raises NotebookError with a student-facing reason."""
    code = extract_code(parse_notebook(data))
    if not code.strip():
        raise NotebookError("the notebook holds no code in its solution cells")
    raw = code.encode("utf-8")
    if len(raw) > max_bytes:
        raise NotebookError(f"its code is too large ({len(raw) // 1024} KiB; the limit is {max_bytes // 1024} KiB)")
    return raw


def submission_folder(folder: Path, modules: list[str]) -> Path:
    """Where the modules are: the folder itself, or its only sub-folder holding them.

    nbgrader keeps a student's work in ``submitted/<student>/<assignment>/``: grading
    ``submitted/<student>`` reads the assignment folder inside (when there is exactly one)."""
    folder = Path(folder)

    def holds(p: Path) -> bool:
        return any(os.path.lexists(p / f"{m}{ext}") for m in modules for ext in (".py", ".ipynb"))

    try:
        if holds(folder):
            return folder
        subs = [p for p in sorted(folder.iterdir()) if not p.name.startswith(".") and not p.is_symlink() and p.is_dir() and holds(p)]
    except OSError:
        return folder
    return subs[0] if len(subs) == 1 else folder
