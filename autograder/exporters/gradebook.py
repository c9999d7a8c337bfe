"""Gradebooks: one CSV row per student (a column per component and the total), and a JSON summary."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from autograder.batch import RECORD


def load_records(out_dir: Path) -> list[dict]:
    recs = []
    for f in sorted(Path(out_dir).glob(f"*/{RECORD}")):
        try:
            recs.append(json.loads(f.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return recs


def to_csv(records: list[dict], modules: list[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["student", *modules, "total", "max", "sandbox_level", "graded_at", "problem"])
    for r in records:
        comps = {c["module"]: c["score"] for c in r.get("components", [])}
        w.writerow([r.get("submission", ""), *[f"{comps.get(m, 0.0):.2f}" for m in modules], f"{r.get('score', 0.0):.2f}",
                    f"{r.get('max_score', 0.0):g}", r.get("level", ""), r.get("graded_at", ""), r.get("grading_error", "")])
    return buf.getvalue()


def summary(records: list[dict], modules: list[str]) -> dict:
    return {
        "students": len(records),
        "grades": {r.get("submission", ""): {"total": r.get("score", 0.0), **{c["module"]: c["score"] for c in r.get("components", [])}}
                   for r in records},
        "mean": {m: (sum(next((c["score"] for c in r.get("components", []) if c["module"] == m), 0.0) for r in records) / len(records)
                     if records else 0.0) for m in modules},
    }
