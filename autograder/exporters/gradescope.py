"""Gradescope's results.json, from the kit's record."""

from __future__ import annotations


def to_gradescope(record: dict, feedback_text: str | None = None, output_format: str = "text") -> dict:
    tests = []
    for n, c in enumerate(record.get("checks", []), start=1):
        msg = c.get("student_message") or c.get("message") or ""
        mistake = c.get("mistake")
        if mistake and not c["passed"]:
            msg += f"\nLikely mistake: {mistake.get('name', '')}. {mistake.get('fix', '')}"
        tests.append({
            "name": f"{c['component']}: {c['title']}",
            "score": c["score"],
            "max_score": c["max_score"],
            "status": "passed" if c["passed"] else "failed",
            "output": msg.strip(),
            "output_format": "text",
            "visibility": "visible",
            "tags": [c["component"]],
            "number": str(n),
        })
    out = {
        "score": record.get("score", 0.0),
        "output": feedback_text if feedback_text is not None else _summary(record),
        "output_format": output_format,
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "execution_time": record.get("seconds", 0.0),
        "tests": tests,
    }
    return out


def _summary(record: dict) -> str:
    lines = [f"Score: {record.get('score', 0):g} / {record.get('max_score', 0):g}"]
    for c in record.get("components", []):
        lines.append(f"  {c['module']}: {c['score']:g}/{c['points']:g} ({c['checks_passed']}/{c['checks_total']} checks)")
    if record.get("grading_error"):
        lines.append(f"Grading problem: {record['grading_error']}")
    return "\n".join(lines)
