"""Scoring: the instructor's manifest is the denominator; outcomes only fill it in.

A check missing from the outcomes, or recorded twice, counts as failed. Points per component come
from course.yml and are split over the component's checks by weight.
"""

from __future__ import annotations

from autograder.course import Course
from autograder.plugin import CheckSpec, Outcome


def score(course: Course, manifest: list[CheckSpec], outcomes: dict[str, Outcome]) -> dict:
    by_comp: dict[str, list[CheckSpec]] = {m: [] for m in course.modules}
    for spec in manifest:
        if spec.component in by_comp:
            by_comp[spec.component].append(spec)
    checks, components = [], []
    total = 0.0
    for comp in course.components:
        specs = by_comp[comp.module]
        wsum = sum(s.weight for s in specs) or 1.0
        got = 0.0
        passed = 0
        seconds = 0.0
        for s in specs:
            pts = comp.points * s.weight / wsum
            o = outcomes.get(s.id)
            if o is None:
                o = Outcome(s.id, False, "not-run", "this check did not run (the grading of your submission stopped early)")
            ok = bool(o.passed)
            got += pts if ok else 0.0
            passed += ok
            seconds += o.seconds
            checks.append({"id": s.id, "component": s.component, "title": s.title, "suite": s.suite, "weight": s.weight,
                           "integration": s.integration, "max_score": round(pts, 6), "score": round(pts if ok else 0.0, 6),
                           "passed": ok, "kind": o.kind, "message": o.message, "details": o.details, "info": o.info, "seconds": round(o.seconds, 4)})
        if not specs:
            got = 0.0
        total += got
        components.append({"module": comp.module, "title": comp.title, "points": comp.points, "score": round(got, 6),
                           "checks_passed": passed, "checks_total": len(specs), "seconds": round(seconds, 3)})
    return {"score": round(total, 6), "max_score": course.total_points, "components": components, "checks": checks}
