"""The pytest plugin that turns a pytest session into a grade's raw material.

It provides the fixtures the suites use (``student``, ``ref``, ``draw``), records every check's
outcome from the trusted side (the student's process never sees pytest), and keeps the calls each
check made so that diagnosis can replay them against the mistake bank.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from autograder import checks
from autograder.checks import CheckFailed, Draw
from autograder.student import COURSE_MODULES, Call, StudentCrashed, StudentRaised


@dataclass
class CheckSpec:
    """One check of the manifest: the instructor's denominator, fixed before any student code runs."""

    id: str
    component: str
    title: str
    weight: float = 1.0
    integration: bool = False
    suite: str = "hidden"


@dataclass
class Outcome:
    id: str
    passed: bool
    kind: str = "passed"
    message: str = ""
    details: dict = field(default_factory=dict)
    calls: list = field(default_factory=list)
    seconds: float = 0.0
    info: dict = field(default_factory=dict)  # what a check chose to show (e.g. the worked example's numbers)


def component_of(item) -> str | None:
    m = item.get_closest_marker("component")
    if m and m.args:
        return str(m.args[0])
    stem = Path(str(item.fspath)).stem
    for prefix in ("test_", "check_"):
        if stem.startswith(prefix) and stem[len(prefix):] in COURSE_MODULES:
            return stem[len(prefix):]
    return None


def spec_of(item, suite: str) -> CheckSpec:
    doc = (getattr(item, "function", None).__doc__ or "").strip().splitlines() if getattr(item, "function", None) else []
    title = doc[0].strip() if doc else item.name.replace("_", " ")
    w = item.get_closest_marker("weight")
    weight = float(w.args[0]) if w and w.args else 1.0
    return CheckSpec(id=item.nodeid, component=component_of(item) or "?", title=title, weight=weight,
                     integration=item.get_closest_marker("integration") is not None, suite=suite)


def configure_markers(config) -> None:
    config.addinivalue_line("markers", "component(name): the course module a check grades")
    config.addinivalue_line("markers", "weight(w): the check's share of its component's points (default 1)")
    config.addinivalue_line("markers", "integration: uses the student's own modules together (no oracles)")


class CollectPlugin:
    """Collects the manifest without running anything."""

    def __init__(self, suite: str):
        self.suite = suite
        self.specs: list[CheckSpec] = []
        self.errors: list[str] = []

    def pytest_configure(self, config):
        configure_markers(config)

    def pytest_collection_modifyitems(self, session, config, items):
        self.specs = [spec_of(i, self.suite) for i in items]

    def pytest_collectreport(self, report):
        if report.failed:
            self.errors.append(str(report.longrepr)[-2000:])


class GradingPlugin:
    """Runs the checks against one submission and records outcomes."""

    def __init__(self, student, seed: int, reference_dir: Path | None, tolerances: dict, suite: str = "hidden"):
        self._student = student
        self._seed = int(seed)
        self._reference_dir = reference_dir
        self._suite = suite
        self.outcomes: dict[str, Outcome] = {}
        self.specs: list[CheckSpec] = []
        self._ref = None
        checks.TOLERANCES.update(tolerances)
        self._t0: dict[str, float] = {}
        self._reports: dict[str, dict] = {}

    def pytest_configure(self, config):
        configure_markers(config)

    def pytest_collection_modifyitems(self, session, config, items):
        self.specs = [spec_of(i, self._suite) for i in items]

    # fixtures -------------------------------------------------------------
    @pytest.fixture
    def student(self):
        return self._student

    @pytest.fixture
    def draw(self, request):
        return Draw(self._seed, request.node.nodeid)

    @pytest.fixture
    def seed(self):
        return self._seed

    @pytest.fixture
    def report(self, request):
        """A dict a check may fill with numbers for the feedback (public checks only show them)."""
        return self._reports.setdefault(request.node.nodeid, {})

    @pytest.fixture
    def ref(self):
        if self._ref is None:
            from autograder.reference import load_reference

            self._ref = load_reference(self._reference_dir)
        return self._ref

    # outcomes -------------------------------------------------------------
    def pytest_runtest_setup(self, item):
        self._student.calls = []
        self._t0[item.nodeid] = time.monotonic()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        rep = yield
        report = rep.get_result()
        nodeid = item.nodeid
        if report.when == "call" or report.failed or report.skipped:
            prev = self.outcomes.get(nodeid)
            if prev is not None and not prev.passed:
                return  # the first failure is the one to explain
            out = self._outcome(nodeid, report, call)
            out.calls = list(self._student.calls)
            out.info = _plain_info(self._reports.get(nodeid, {}))
            out.seconds = time.monotonic() - self._t0.get(nodeid, time.monotonic())
            self.outcomes[nodeid] = out

    def _outcome(self, nodeid: str, report, call) -> Outcome:
        if report.passed:
            return Outcome(nodeid, True)
        if report.skipped:
            return Outcome(nodeid, False, "skipped", "this check was skipped")
        exc = call.excinfo.value if call.excinfo is not None else None
        if isinstance(exc, CheckFailed):
            d = dict(exc.details)
            if exc.safe != exc.message:
                d["safe_message"] = exc.safe
            return Outcome(nodeid, False, exc.kind, exc.message, d)
        if isinstance(exc, StudentRaised):
            d = {"type": exc.type_name, "traceback": exc.traceback, "phase": exc.phase}
            if exc.syntax:
                d["syntax"] = exc.syntax
            return Outcome(nodeid, False, exc.kind, exc.summary(), d)
        if isinstance(exc, StudentCrashed):
            return Outcome(nodeid, False, exc.kind, exc.detail or exc.kind)
        if isinstance(exc, AssertionError):
            first = (str(exc).strip().splitlines() or ["the check's condition does not hold"])[0]
            return Outcome(nodeid, False, "mismatch", first[:300])
        where = "setting up the check" if report.when == "setup" else "running the check"
        name = type(exc).__name__ if exc is not None else "error"
        return Outcome(nodeid, False, "kit-error", f"the grader hit {name} while {where}; tell your instructor", {"kit_error": str(exc)[:500]})


def _plain_info(d: dict) -> dict:
    """Only JSON-able numbers and strings go into the record."""
    import numpy as np

    def clean(v):
        if isinstance(v, (str, int, float, bool)) or v is None:
            return v
        if isinstance(v, np.ndarray):
            return v.astype(float).tolist() if v.dtype.kind in "fiub" else str(v)
        if hasattr(v, "tolist"):
            return clean(np.asarray(v.detach().cpu() if hasattr(v, "detach") else v))
        if isinstance(v, (list, tuple)):
            return [clean(x) for x in v]
        if isinstance(v, dict):
            return {str(k): clean(x) for k, x in v.items()}
        return str(v)[:200]

    return {str(k): clean(v) for k, v in d.items()}
