"""Grades one submission: intake, sandbox, the pytest suites in this (trusted) process, a record.

Student code never runs here: the suites reach it only through the ``student`` proxy, whose calls
execute in the submission's sandbox.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder import __version__
from autograder.course import Course
from autograder.intake import read_submission
from autograder.plugin import CheckSpec, CollectPlugin, GradingPlugin
from autograder.sandbox import LEVEL_NAMES, Sandbox, SandboxConfig, private_copy, remove_copy
from autograder.scoring import score
from autograder.student import Student


@dataclass
class GradeContext:
    """Everything a grading run shares across its submissions."""

    course: Course
    root: Path  # the course repository (solutions/, tests/)
    seed: int
    level: int
    suite: str = "hidden"  # hidden | public
    manifest: list[CheckSpec] = field(default_factory=list)
    out_dir: Path | None = None
    diagnose: bool = True
    checks_dir: Path | None = None  # where the suite lives (default: root/tests/<suite>)
    lang: str | None = None  # feedback language (default: course.yml)

    @property
    def suite_dir(self) -> Path:
        return Path(self.checks_dir) if self.checks_dir else self.root / "tests" / self.suite

    @property
    def reference_dir(self) -> Path:
        return self.root / "solutions"


def new_seed() -> int:
    return secrets.randbits(31)


def _pytest_args(paths: list[str], rootdir: Path) -> list[str]:
    return [*paths, "-p", "no:cacheprovider", "-p", "no:terminal", "-p", "no:anyio", "-p", "no:randomly",
            "-p", "no:stepwise", "--noconftest", "--import-mode=importlib", "--rootdir", str(rootdir), "-o", "addopts=", "-o", "python_files=test_*.py",
            "-W", "ignore"]


def collect_manifest(root: Path, suite: str = "hidden", only: list[str] | None = None, suite_dir: Path | None = None) -> list[CheckSpec]:
    """The checks of a suite, collected once per run in the trusted process (the denominator)."""
    import pytest

    plugin = CollectPlugin(suite)
    suite_dir = Path(suite_dir) if suite_dir else Path(root) / "tests" / suite
    rootdir = Path(root) if suite_dir.is_relative_to(root) else suite_dir.parent
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        pytest.main(_pytest_args([str(suite_dir)], rootdir) + ["--collect-only"], plugins=[plugin])
    if plugin.errors:
        from autograder.errors import KitError

        raise KitError(f"the suites in {suite_dir} do not collect:\n{plugin.errors[0]}")
    specs = plugin.specs
    if only:
        specs = [s for s in specs if s.component in only]
    return specs


def grade_submission(folder: Path, ctx: GradeContext, name: str | None = None) -> dict:
    """Grades one folder and returns the kit's detailed record (also the source of results.json)."""
    import pytest

    t0 = time.monotonic()
    course = ctx.course
    folder = Path(folder)
    intake = read_submission(folder, course.modules, course.limits.file_kb * 1024)
    private = private_copy(intake.files)
    hide = [ctx.root, folder.resolve().parent, ctx.suite_dir]
    if ctx.out_dir is not None:
        hide.append(Path(ctx.out_dir))
    cfg = SandboxConfig(level=ctx.level, call_seconds=course.limits.call_seconds, mem_mb=course.limits.memory_mb,
                        cpu_seconds=int(course.limits.submission_seconds) + 10, output_bytes=course.limits.output_kb * 1024, hide=hide)
    sandbox = Sandbox(private, cfg)
    if intake.files:
        sandbox.warm_up()
    from autograder.backends import SandboxBackend

    student = Student(SandboxBackend(sandbox), course.limits.submission_seconds, course.limits.call_seconds, intake.missing)
    plugin = GradingPlugin(student, ctx.seed, ctx.reference_dir, {"rtol": course.tolerances.rtol, "atol": course.tolerances.atol}, ctx.suite)
    wanted = {s.id for s in ctx.manifest}
    rootdir = ctx.root if ctx.suite_dir.is_relative_to(ctx.root) else ctx.suite_dir.parent
    files = sorted({str(rootdir / s.id.split("::")[0]) for s in ctx.manifest}) or [str(ctx.suite_dir)]
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            pytest.main(_pytest_args(files, rootdir), plugins=[plugin])
    finally:
        sandbox.close()
        remove_copy(private)
    outcomes = {k: v for k, v in plugin.outcomes.items() if k in wanted}
    diagnoses = {}
    if ctx.diagnose:
        from autograder.diagnosis import diagnose_outcomes

        diagnoses = diagnose_outcomes(ctx, outcomes)
    scored = score(course, ctx.manifest, outcomes)
    for c in scored["checks"]:
        if c["id"] in diagnoses:
            c["mistake"] = diagnoses[c["id"]]
    kept, total_out = sandbox.output()
    return {
        "kit_version": __version__,
        "submission": name or folder.name,
        "folder": str(folder),
        "seed": ctx.seed,
        "suite": ctx.suite,
        "level": ctx.level,
        "level_name": LEVEL_NAMES[ctx.level],
        "graded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "seconds": round(time.monotonic() - t0, 3),
        **scored,
        "intake": intake.to_dict(),
        "output": {"kept": kept, "total_bytes": total_out},
        "sandbox": {"starts": sandbox.starts, "kills": sandbox.kills, "student_seconds": round(student.used, 3)},
    }
