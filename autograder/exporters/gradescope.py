"""Gradescope's results.json, from the kit's record: the whole report as ANSI, each test its message."""

from __future__ import annotations


def to_gradescope(record: dict, lang: str = "en", course=None) -> dict:
    from autograder.feedback.export import render, test_messages, titles

    messages = test_messages(record, lang, course)
    names = titles(record, lang)
    tests = []
    for n, c in enumerate(record.get("checks", []), start=1):
        tests.append({
            "name": f"{c['component']}: {names.get(c['id'], c['title'])}",
            "score": c["score"],
            "max_score": c["max_score"],
            "status": "passed" if c["passed"] else "failed",
            "output": messages.get(c["id"], ""),
            "output_format": "text",
            "visibility": "visible",
            "tags": [c["component"]],
            "number": str(n),
        })
    return {
        "score": round(float(record.get("score", 0.0)), 4),
        "output": render(record, "ansi", lang, course),
        "output_format": "ansi",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "execution_time": round(float(record.get("seconds", 0.0)), 3),
        "tests": tests,
    }
