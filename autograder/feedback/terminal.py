"""The rich report a student reads: summary, then what to fix, check by check.

Everything the student supplied (messages, tracebacks, printed output) is shown as plain text:
never parsed as rich markup, and stripped of terminal control characters.
"""

from __future__ import annotations

import math
import re

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from autograder.i18n import t

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MAX_DETAILED_PER_COMPONENT = 3


def clean(s) -> str:
    """Student text made inert: no escape sequences, bounded length."""
    s = _CONTROL.sub("?", str(s))
    return s if len(s) <= 3000 else s[:3000] + " ..."


def _fmt(v) -> str:
    if isinstance(v, float):
        if math.isinf(v):
            return "-inf" if v < 0 else "inf"
        if math.isnan(v):
            return "nan"
        return f"{v:.4g}"
    return str(v)


def _visibility(check: dict, course) -> str:
    if course is None:
        return "message" if check.get("suite") == "hidden" else "full"
    return course.visibility.public if check.get("suite") == "public" else course.visibility.hidden


def check_title(check: dict, lang: str) -> str:
    from autograder.i18n import catalogue

    entry = title_entry(check["id"], check.get("suite", "hidden"))
    if entry and entry.get(lang):
        return entry[lang]
    return check["title"]


def title_entry(cid: str, suite: str) -> dict | None:
    from autograder.i18n import catalogue

    titles = catalogue().get("checks", {})
    key = _short_id(cid)
    return (titles.get(f"public/{key}") if suite == "public" else None) or titles.get(key)


def _short_id(cid: str) -> str:
    path, _, name = cid.partition("::")
    return f"{path.rsplit('/', 1)[-1].removesuffix('.py').removeprefix('test_')}::{name}"


def check_message(check: dict, lang: str, vis: str) -> str:
    """The sentence that says what went wrong, in the student's language, never leaking hidden values."""
    d = check.get("details") or {}
    kind = check.get("kind", "mismatch")
    raw = d.get("safe_message", check.get("message", "")) if check.get("suite") == "hidden" else check.get("message", "")
    if kind in ("raised", "import-error", "missing", "missing-name"):
        if d.get("syntax"):
            s = d["syntax"]
            return t("ui.syntax_error", lang, file=s.get("file"), line=s.get("line"), msg=clean(s.get("msg")))
        if lang == "en" and kind == "missing":
            return clean(raw)
        return t(f"kinds.{kind}", lang, message=clean(raw))
    if kind in ("timeout", "crash", "budget", "protocol", "kit-error", "not-run", "skipped"):
        return t(f"kinds.{kind}", lang, detail=clean(check.get("message", "")))
    if lang == "en":
        return clean(raw)
    try:
        return t(f"kinds.{kind}", lang, **d)
    except (KeyError, IndexError, ValueError):
        return clean(raw)


def _region_table(d: dict, lang: str) -> Table | None:
    got, exp = d.get("got_region"), d.get("expected_region")
    if not got or not exp:
        return None
    start = d.get("region_start") or []
    tab = Table(title=t("ui.first_region", lang, start=start), title_justify="left", show_edge=False, pad_edge=False)
    tab.add_column(t("ui.index", lang), justify="right")
    tab.add_column(t("ui.expected", lang), justify="right", style="green")
    tab.add_column(t("ui.received", lang), justify="right", style="red")
    tab.add_column(t("ui.difference", lang), justify="right")
    base = list(start)
    for i, (e, g) in enumerate(zip(exp, got)):
        idx = base[:-1] + [base[-1] + i] if base else [i]
        diff = "" if (isinstance(e, float) and math.isinf(e)) or (isinstance(g, float) and math.isinf(g)) else _fmt(abs(g - e))
        mark = "" if diff == "" or abs(g - e) <= (d.get("atol", 1e-5) + d.get("rtol", 1e-4) * abs(e)) else " ←"
        tab.add_row(str(idx), _fmt(e), _fmt(g), diff + mark)
    return tab


def heatmap(m: list, title: str = "") -> Text:
    """A matrix as coloured cells: -inf (blocked) dark, 0 white, weights in blue shades."""
    txt = Text(title + "\n" if title else "")
    flat = [v for row in m for v in row if isinstance(v, (int, float)) and math.isfinite(v)]
    lo, hi = (min(flat), max(flat)) if flat else (0.0, 1.0)
    span = (hi - lo) or 1.0
    for row in m:
        for v in row:
            if isinstance(v, float) and math.isinf(v):
                txt.append("░░", style="grey37")
            else:
                level = int(40 + 200 * (v - lo) / span)
                txt.append("██", style=f"rgb({255 - level},{255 - level // 2},255)")
        txt.append("\n")
    return txt


def _heatmaps(d: dict, lang: str):
    g, e = d.get("got_matrix"), d.get("expected_matrix")
    if not g or not e or not isinstance(g[0], list):
        return None
    grid = Table.grid(padding=(0, 4))
    grid.add_row(heatmap(e), heatmap(g))
    return Group(Text(t("ui.heatmap_title", lang, what=clean(d.get("what", "")))), grid)


def walkthrough(info: dict, lang: str) -> Panel:
    w = info["walkthrough"]
    tab = Table(show_edge=False)
    tab.add_column(t("ui.walkthrough_step", lang))
    tab.add_column(t("ui.walkthrough_notes", lang), justify="right", style="green")
    tab.add_column(t("ui.walkthrough_yours", lang), justify="right")

    def f(v):
        if isinstance(v, list):
            return "[" + ", ".join(_fmt(x) if not isinstance(x, float) else f"{x:.2f}" for x in v) + "]"
        return f"{v:.3f}" if isinstance(v, float) else clean(v)

    tab.add_row(t("ui.walk_score", lang), "0.889", f(w.get("score", "?")))
    tab.add_row(t("ui.walk_weights", lang), "[0.42, 0.58]", f(w.get("weights", "?")))
    tab.add_row(t("ui.walk_output", lang), "[0.41, 0.49, 0.41]", f(w.get("output", "?")))
    return Panel(Group(Text(t("ui.walkthrough_intro", lang)), tab), title=t("ui.walkthrough_title", lang), border_style="cyan")


def check_panel(check: dict, lang: str, course, record: dict) -> Panel:
    vis = _visibility(check, course)
    d = check.get("details") or {}
    body: list = []
    if vis != "name":
        body.append(Text(check_message(check, lang, vis)))
        if vis == "full" or check.get("suite") == "public":
            if check.get("kind") == "mismatch" and "n_bad" in d:
                try:
                    body.append(Text(t("ui.differ_count", lang, **d), style="dim"))
                except (KeyError, ValueError):
                    pass
        if check.get("suite") == "public":
            reg = _region_table(d, lang)
            if reg is not None:
                body.append(reg)
            hm = _heatmaps(d, lang)
            if hm is not None:
                body.append(hm)
        m = check.get("mistake")
        if m:
            body.append(Text(t("ui.likely_mistake", lang, name=m["name"].get(lang) or m["name"].get("en", "")), style="bold yellow"))
            body.append(Text(t("ui.how_to_fix", lang, fix=m["fix"].get(lang) or m["fix"].get("en", "")), style="yellow"))
        tb = d.get("traceback")
        if tb and vis in ("message", "full"):
            body.append(Text(t("ui.your_traceback", lang) + ":", style="dim"))
            body.append(Text(clean(tb).rstrip(), style="dim"))
        if check.get("integration"):
            others = [c["module"] for c in record.get("components", [])
                      if c["module"] != check["component"] and c["checks_passed"] < c["checks_total"]]
            own = [c for c in record.get("checks", []) if c["component"] == check["component"] and not c.get("integration")]
            if others:
                body.append(Text(t("ui.other_component", lang, others=", ".join(others)), style="magenta"))
            elif own and all(c["passed"] for c in own):
                body.append(Text(t("ui.integration_only", lang, component=check["component"]), style="magenta"))
    label = t("ui.hidden" if check.get("suite") == "hidden" else "ui.public", lang)
    title = Text.assemble(("✗ ", "bold red"), (check["component"], "bold"), " · ", clean(check_title(check, lang)), (f"  ({label})", "dim"))
    return Panel(Group(*body) if body else Text(""), title=title, title_align="left", border_style="red")


def summary_table(rec: dict, lang: str, only=None) -> Table:
    tab = Table(title=t("ui.report_title", lang, submission=clean(rec.get("submission", "")), score=f"{rec.get('score', 0):.1f}",
                        max=f"{rec.get('max_score', 0):g}"), title_style="bold")
    tab.add_column(t("ui.col_component", lang))
    tab.add_column(t("ui.col_points", lang), justify="right")
    tab.add_column(t("ui.col_checks", lang), justify="right")
    tab.add_column(t("ui.col_time", lang), justify="right")
    for c in rec.get("components", []):
        if only and c["module"] not in only:
            continue
        ok = c["checks_passed"] == c["checks_total"] and c["checks_total"] > 0
        style = "green" if ok else ("red" if c["checks_passed"] == 0 else "yellow")
        tab.add_row(Text(c["module"], style=style), f"{c['score']:.1f} / {c['points']:g}", f"{c['checks_passed']} / {c['checks_total']}", f"{c['seconds']:.2f} s")
    return tab


def render_record(rec: dict, con, lang: str = "en", course=None, public: bool = False, hidden_counts=None, only=None) -> None:
    con.print(summary_table(rec, lang, only))
    if rec.get("grading_error"):
        con.print(Text(t("ui.grading_problem", lang, why=clean(rec["grading_error"])), style="bold red"))
    intake = rec.get("intake") or {}
    for f, why in (intake.get("rejected") or {}).items():
        con.print(Text(t("ui.intake_rejected", lang, file=clean(f), why=clean(why)), style="yellow"))
    if intake.get("ignored"):
        con.print(Text(t("ui.intake_ignored", lang, files=", ".join(clean(x) for x in intake["ignored"][:10])), style="dim"))
    checks = [c for c in rec.get("checks", []) if not only or c["component"] in only]
    for c in checks:
        if c.get("info", {}).get("walkthrough") and (c.get("suite") == "public" or not c["passed"]):
            con.print(walkthrough(c["info"], lang))
            break
    failing = [c for c in checks if not c["passed"]]
    if failing:
        con.print(Text(t("ui.to_fix", lang), style="bold underline"))
    shown: dict[str, int] = {}
    for c in failing:
        n = shown.get(c["component"], 0)
        shown[c["component"]] = n + 1
        if n < MAX_DETAILED_PER_COMPONENT:
            con.print(check_panel(c, lang, course, rec))
    for comp, n in shown.items():
        if n > MAX_DETAILED_PER_COMPONENT:
            con.print(Text(t("ui.more_failures", lang, n=n - MAX_DETAILED_PER_COMPONENT, component=comp), style="dim"))
    out = rec.get("output") or {}
    if out.get("total_bytes"):
        kept = clean(out.get("kept", ""))
        lines = kept.splitlines()[:8]
        note = t("ui.output_note", lang, total=out["total_bytes"])
        if "Warning" in kept:
            note = t("ui.warnings_note", lang) + " " + note
        con.print(Panel(Text("\n".join(lines)), title=note, title_align="left", border_style="dim"))
    if public:
        hidden = sum((hidden_counts or {}).get(c["module"], 0) for c in rec.get("components", []) if not only or c["module"] in only)
        if not failing:
            con.print(Text(t("ui.public_all_passed", lang, n=len(checks), hidden=hidden), style="bold green"))
        else:
            con.print(Text(t("ui.public_some_failed", lang, failed=len(failing), n=len(checks), hidden=hidden), style="bold"))
    elif not failing:
        con.print(Text(t("ui.all_passed", lang), style="bold green"))
