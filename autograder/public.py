"""Public checks on a student's machine: plain ``pytest`` in the assignment folder, or ``autograder check``.

The assignment folder's conftest imports the fixtures below, so the same check files run under
plain pytest (calls go straight into the student's modules, in-process: it is their own machine)
and under ``autograder check`` (calls go through the sandbox, as at grading).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from autograder.checks import Draw
from autograder.student import Student


@pytest.fixture(scope="session")
def _local_student(request):
    from autograder.backends import LocalBackend

    return Student(LocalBackend(Path(request.config.rootpath)), budget_seconds=float("inf"), call_seconds=float("inf"))


@pytest.fixture
def student(_local_student):
    _local_student.calls = []
    return _local_student


@pytest.fixture
def draw(request):
    return Draw(0, request.node.nodeid)


@pytest.fixture
def seed():
    return 0


@pytest.fixture
def report():
    return {}


def _checks_dir(folder: Path, root: Path | None) -> Path:
    for cand in (folder / "checks", (root / "tests" / "public") if root else None):
        if cand is not None and cand.is_dir():
            return cand
    from autograder.errors import KitError

    raise KitError(f"no public checks found: expected a 'checks' folder in {folder}")


def run_check(args) -> int:
    """``autograder check [component]``: the public checks, graded by the engine, with feedback."""
    from rich.console import Console

    from autograder.course import load_course, Course
    from autograder.errors import KitError
    from autograder.feedback.terminal import render_record
    from autograder.runner import GradeContext, collect_manifest, grade_submission
    from autograder.sandbox import best_level

    folder = Path(args.folder).resolve()
    if not folder.is_dir():
        raise KitError(f"assignment folder not found: {folder}")
    root = None
    for p in [folder, *folder.parents]:
        if (p / "course.yml").is_file():
            root = p
            break
    course_file = (folder / "course.yml") if (folder / "course.yml").is_file() else (root / "course.yml" if root else None)
    if course_file is None:
        raise KitError(f"no course.yml found in {folder} or above")
    course: Course = load_course(course_file)
    checks = _checks_dir(folder, root)
    only = [args.component] if args.component else None
    if args.component and args.component not in course.modules:
        raise KitError(f"unknown component {args.component!r}; choose one of: {', '.join(course.modules)}")
    manifest = collect_manifest(checks.parent, "public", only=only, suite_dir=checks)
    level = best_level() if args.level is None else args.level
    ctx = GradeContext(course=course, root=root or folder, seed=0, level=level, suite="public", manifest=manifest,
                       diagnose=False, checks_dir=checks)
    record = grade_submission(folder, ctx, name=folder.name)
    if only:
        record["components"] = [c for c in record["components"] if c["module"] in only]
        record["score"] = sum(c["score"] for c in record["components"])
        record["max_score"] = sum(c["points"] for c in record["components"])
    hidden = _hidden_counts(folder, root)
    con = Console(highlight=False)
    render_record(record, con, lang=args.lang or course.language, course=course, public=True, hidden_counts=hidden, only=only)
    return 0


def _hidden_counts(folder: Path, root: Path | None) -> dict:
    f = folder / "hidden_checks.json"
    if f.is_file():
        try:
            return json.loads(f.read_text())
        except ValueError:
            return {}
    if root is not None and (root / "tests" / "hidden").is_dir():
        from autograder.runner import collect_manifest

        counts: dict[str, int] = {}
        for s in collect_manifest(root, "hidden"):
            counts[s.component] = counts.get(s.component, 0) + 1
        return counts
    return {}
