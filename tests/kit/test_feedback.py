"""Feedback: both languages everywhere, student text made inert, exports self-contained."""

import csv
import io
import json

from rich.console import Console

from autograder.feedback.export import render
from autograder.feedback.terminal import clean, render_record
from autograder.i18n import LANGS, catalogue, missing_translations


def test_every_message_exists_in_both_languages():
    assert missing_translations() == []


def test_every_mistake_is_named_and_explained_in_both_languages(root):
    from autograder.mistakes import load_bank

    bank = load_bank(root)
    assert sum(len(v) for v in bank.values()) >= 100
    for module, mistakes in bank.items():
        assert len(mistakes) >= 8, module
        ids = [m.id for m in mistakes]
        assert len(ids) == len(set(ids)), module
        for m in mistakes:
            for lang in LANGS:
                assert m.name.get(lang, "").strip() and m.fix.get(lang, "").strip(), f"{module}:{m.id}:{lang}"


def test_every_mistake_patch_applies(root):
    from autograder.mistakes import load_bank, mistake_source

    for mistakes in load_bank(root).values():
        for m in mistakes:
            src = mistake_source(root, m)
            compile(src, m.id, "exec")


def test_every_check_has_a_title_in_both_languages(root):
    from autograder.feedback.terminal import title_entry
    from autograder.runner import collect_manifest

    missing = []
    for suite in ("hidden", "public"):
        for s in collect_manifest(root, suite):
            entry = title_entry(s.id, suite) or {}
            if not all(str(entry.get(lang, "")).strip() for lang in LANGS) or entry.get("en") != s.title:
                missing.append(s.id)
    assert missing == []


def _record(msg="boom", tb=""):
    return {
        "submission": "x", "score": 1.0, "max_score": 2.0, "seconds": 1.0, "intake": {"ignored": ["a.txt"], "rejected": {}},
        "components": [{"module": "attention", "title": "A", "points": 2, "score": 1.0, "checks_passed": 1, "checks_total": 2, "seconds": 0.1}],
        "checks": [
            {"id": "tests/hidden/test_attention.py::test_a", "component": "attention", "title": "A check", "suite": "hidden",
             "passed": True, "score": 1.0, "max_score": 1.0, "kind": "passed", "message": "", "details": {}, "info": {}},
            {"id": "tests/hidden/test_attention.py::test_b", "component": "attention", "title": "B check", "suite": "hidden",
             "passed": False, "score": 0.0, "max_score": 1.0, "kind": "raised", "message": msg, "details": {"traceback": tb}, "info": {},
             "mistake": {"id": "m", "name": {"en": "a mistake", "es": "un error"}, "fix": {"en": "fix it", "es": "corrígelo"}}},
        ],
        "output": {"kept": "hello\x1b[2J", "total_bytes": 11},
    }


def test_student_text_is_inert():
    hostile = "[bold red]FULL MARKS[/] \x1b[2J\x1b]0;title\x07"
    con = Console(record=True, width=100, file=io.StringIO())
    render_record(_record(hostile, hostile), con, lang="en")
    text = con.export_text()
    assert "[bold red]FULL MARKS[/]" in text and "\x1b" not in text
    assert "\x1b" not in clean("\x1b[31m")


def test_report_in_spanish_names_the_mistake():
    text = render(_record(), "text", "es")
    assert "Error probable: un error" in text and "Cómo corregirlo: corrígelo" in text


def test_html_export_is_self_contained():
    page = render(_record(), "html", "en")
    assert page.lstrip().lower().startswith("<!doctype html") and "<script src" not in page and "stylesheet" not in page


def test_csv_gradebook(tmp_path, course):
    from autograder.exporters.gradebook import load_records, to_csv

    for name, s in (("a", 3.0), ("b,c", 0.0)):
        d = tmp_path / name
        d.mkdir()
        (d / "record.json").write_text(json.dumps({"submission": name, "score": s, "max_score": 100,
                                                   "components": [{"module": "mask", "score": s}]}))
    rows = list(csv.reader(io.StringIO(to_csv(load_records(tmp_path), course.modules))))
    assert rows[0][0] == "student" and rows[0][-5] == "total" and len(rows) == 3
    assert rows[2][0] == "b,c" and rows[1][course.modules.index("mask") + 1] == "3.00"
