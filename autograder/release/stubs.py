"""Student stubs from the reference: every marked region becomes a TODO that raises.

A region inside a function becomes ``raise NotImplementedError("<TODO text>")`` at the region's
indentation, the text taken from the ``# TODO:`` line just above it; a region at module level
(private helpers) is removed. The markers are nbgrader's own.
"""

from __future__ import annotations

import re
from pathlib import Path

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
_TODO = re.compile(r"^\s*#\s*TODO:\s*(.*)$")


class MarkerError(Exception):
    pass


def solution_regions(source: str) -> list[tuple[int, int]]:
    """(begin line index, end line index) of each marked region."""
    lines = source.splitlines()
    out, start = [], None
    for i, line in enumerate(lines):
        s = line.strip()
        if s == BEGIN:
            if start is not None:
                raise MarkerError(f"line {i + 1}: {BEGIN} inside another region")
            start = i
        elif s == END:
            if start is None:
                raise MarkerError(f"line {i + 1}: {END} without {BEGIN}")
            out.append((start, i))
            start = None
    if start is not None:
        raise MarkerError(f"line {start + 1}: {BEGIN} is never closed")
    return out


def solution_lines(source: str) -> set[str]:
    """The meaningful lines inside the regions (what a release must never contain)."""
    lines = source.splitlines()
    found = set()
    for b, e in solution_regions(source):
        for line in lines[b + 1 : e]:
            s = line.strip()
            if len(s) >= 12 and not s.startswith("#") and s not in ("return out", "return result", "else:", "continue", "pass"):
                found.add(s)
    return found


def make_stub(source: str, todo_overrides: dict[int, str] | None = None) -> str:
    lines = source.splitlines()
    regions = solution_regions(source)
    out: list[str] = []
    pos = 0
    for b, e in regions:
        out.extend(lines[pos:b])
        indent = lines[b][: len(lines[b]) - len(lines[b].lstrip())]
        if indent:
            todo = ""
            if out and _TODO.match(out[-1]):
                todo = _TODO.match(out[-1]).group(1).strip()
            if todo_overrides and b in todo_overrides:
                todo = todo_overrides[b]
            out.append(f"{indent}raise NotImplementedError({todo or 'TODO'!r})")
        else:
            while out and not out[-1].strip():
                out.pop()
            out.append("")
        pos = e + 1
    out.extend(lines[pos:])
    text = "\n".join(out).rstrip("\n") + "\n"
    return re.sub(r"\n{4,}", "\n\n\n", text)


def stub_files(solutions: Path, modules: list[str]) -> dict[str, str]:
    return {f"{m}.py": make_stub((Path(solutions) / f"{m}.py").read_text(encoding="utf-8")) for m in modules}


def strip_markers(source: str) -> str:
    """The reference without markers or TODO lines: what a finished student file looks like."""
    regions = solution_regions(source)
    lines = source.splitlines()
    drop = set()
    for b, e in regions:
        drop.update((b, e))
        if b > 0 and _TODO.match(lines[b - 1]):
            drop.add(b - 1)
    return "\n".join(line for i, line in enumerate(lines) if i not in drop).rstrip("\n") + "\n"
