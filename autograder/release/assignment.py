"""The student's assignment folder: stubs, public checks, the glue that runs them, a README.

``autograder release stubs`` writes it into ``assignments/<assignment>/`` (committed, so students can
clone the course), and ``autograder release student`` into any folder (and a zip). Both come from
the same function, and a kit test fails when the committed copy is stale.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from autograder.course import Course
from autograder.release.stubs import stub_files

CONFTEST = '''"""Lets plain `pytest` run the public checks in checks/ on your modules (generated; do not edit)."""

from autograder.public import _local_student, draw, report, seed, student  # noqa: F401
'''

PYTEST_INI = """[pytest]
testpaths = checks
addopts = -p no:cacheprovider -q
"""


def student_readme(course: Course) -> str:
    rows = "\n".join(f"| {i} | `{c.module}.py` | {c.title} | {c.points:g} |" for i, c in enumerate(course.components, 1))
    return f"""# {course.title}: the assignment

You implement eight modules, in this order. Each function says what to compute in its docstring,
and a `raise NotImplementedError("...")` marks the part you write.

| # | file | what | points |
|---|------|------|--------|
{rows}

## Checking your work
- `autograder check attention` runs the public checks of one component (or all, without a name),
  the way the grader runs them (in a sandbox), and explains each failure.
- `pytest` in this folder runs the same public checks directly.

Passing the public checks is a good sign, not a grade: more (hidden) checks run at grading, with
other inputs and shapes. Test your code on your own inputs too.

## Rules that the grader relies on (see the course contract)
- Keep the names and signatures. Inputs are torch tensors (float32, ids int64); you may compute
  with NumPy and return an `np.ndarray`.
- Never modify an input in place. Raise `ValueError` naming the argument for invalid arguments.
- Modules import each other by name: `from attention import softmax`.
- Hand in this folder's eight `.py` files as one flat folder.
"""


def build_assignment(root: Path, course: Course, dest: Path, hidden_counts: dict | None = None) -> list[Path]:
    root, dest = Path(root), Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in stub_files(root / "solutions", course.modules).items():
        (dest / name).write_text(text, encoding="utf-8")
        written.append(dest / name)
    checks = dest / "checks"
    if checks.exists():
        shutil.rmtree(checks)
    checks.mkdir()
    for f in sorted((root / "tests" / "public").glob("test_*.py")):
        if f.stem[5:] in course.modules:
            shutil.copyfile(f, checks / f.name)
            written.append(checks / f.name)
    for name, text in (("conftest.py", CONFTEST), ("pytest.ini", PYTEST_INI), ("README.md", student_readme(course))):
        (dest / name).write_text(text, encoding="utf-8")
        written.append(dest / name)
    shutil.copyfile(root / "course.yml", dest / "course.yml")
    written.append(dest / "course.yml")
    if hidden_counts is not None:
        (dest / "hidden_checks.json").write_text(json.dumps(hidden_counts, indent=1, sort_keys=True) + "\n")
        written.append(dest / "hidden_checks.json")
    return written


def hidden_counts(root: Path) -> dict:
    from autograder.runner import collect_manifest

    counts: dict[str, int] = {}
    for s in collect_manifest(root, "hidden"):
        counts[s.component] = counts.get(s.component, 0) + 1
    return counts
