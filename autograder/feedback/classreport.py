"""The class report: how the class did per component, and which mistakes were most frequent."""

from __future__ import annotations

import html
import statistics
from pathlib import Path

from rich.console import Console
from rich.table import Table

from autograder.i18n import t


def analyse(records: list[dict], course) -> dict:
    comps = {}
    for c in course.components:
        scores = [next((x["score"] for x in r.get("components", []) if x["module"] == c.module), 0.0) for r in records]
        comps[c.module] = {
            "points": c.points,
            "scores": scores,
            "mean": statistics.fmean(scores) if scores else 0.0,
            "median": statistics.median(scores) if scores else 0.0,
            "full": sum(s >= c.points - 1e-6 for s in scores),
            "zero": sum(s <= 1e-9 for s in scores),
        }
    mistakes: dict[str, dict] = {}
    for r in records:
        seen = set()
        for ch in r.get("checks", []):
            m = ch.get("mistake")
            if m and not ch["passed"] and m["id"] not in seen:
                seen.add(m["id"])
                e = mistakes.setdefault(f"{m.get('module', ch['component'])}:{m['id']}", {"mistake": m, "students": 0, "component": ch["component"]})
                e["students"] += 1
    top = sorted(mistakes.values(), key=lambda e: (-e["students"], e["mistake"]["id"]))
    problems = [(r.get("submission"), r.get("grading_error")) for r in records if r.get("grading_error")]
    slow = sorted(((r.get("seconds", 0.0), r.get("submission")) for r in records), reverse=True)[:5]
    return {"n": len(records), "components": comps, "mistakes": top, "problems": problems, "slowest": slow}


def render(a: dict, con: Console, lang: str) -> None:
    con.print(f"[bold]{t('ui.class_title', lang, n=a['n'])}[/]")
    tab = Table(title=t("ui.class_distribution", lang), title_justify="left")
    for col in ("ui.col_component", "ui.class_mean", "ui.class_median", "ui.class_full", "ui.class_zero"):
        tab.add_column(t(col, lang), justify="right" if col != "ui.col_component" else "left")
    tab.add_column("")
    for m, c in a["components"].items():
        bar = "█" * int(round(20 * c["mean"] / c["points"])) if c["points"] else ""
        tab.add_row(m, f"{c['mean']:.1f} / {c['points']:g}", f"{c['median']:.1f}", str(c["full"]), str(c["zero"]), f"[cyan]{bar}[/]")
    con.print(tab)
    if a["mistakes"]:
        mt = Table(title=t("ui.class_mistakes", lang), title_justify="left")
        mt.add_column(t("ui.class_share", lang), justify="right")
        mt.add_column(t("ui.col_component", lang))
        mt.add_column(t("ui.class_mistake", lang))
        for e in a["mistakes"][:10]:
            share = 100 * e["students"] / max(a["n"], 1)
            mt.add_row(f"{share:.0f} % ({e['students']})", e["component"], e["mistake"]["name"].get(lang) or e["mistake"]["name"]["en"])
        con.print(mt)
    if a["problems"]:
        con.print(f"[bold red]{t('ui.class_problems', lang)}[/]")
        for name, why in a["problems"]:
            con.print(f"  {html.escape(str(name))}: {why}", markup=False)
    st = Table(title=t("ui.class_slowest", lang), title_justify="left")
    st.add_column("submission")
    st.add_column(t("ui.class_seconds", lang), justify="right")
    for secs, name in a["slowest"]:
        st.add_row(str(name), f"{secs:.1f}")
    con.print(st)


def _hist_svg(scores: list[float], points: float, bins: int = 10) -> str:
    counts = [0] * bins
    for s in scores:
        counts[min(bins - 1, int(bins * s / points)) if points else 0] += 1
    top = max(counts) or 1
    bars = "".join(
        f'<rect x="{i * 22}" y="{60 - 55 * c / top:.1f}" width="20" height="{55 * c / top:.1f}" fill="#4a7bd0"><title>{c}</title></rect>'
        for i, c in enumerate(counts))
    return f'<svg width="{bins * 22}" height="62" role="img">{bars}<line x1="0" y1="60.5" x2="{bins * 22}" y2="60.5" stroke="#888"/></svg>'


def to_html(a: dict, lang: str) -> str:
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(m)}</td><td>{c['mean']:.1f} / {c['points']:g}</td><td>{c['median']:.1f}</td><td>{c['full']}</td>"
        f"<td>{c['zero']}</td><td>{_hist_svg(c['scores'], c['points'])}</td></tr>" for m, c in a["components"].items())
    mist = "".join(
        f"<tr><td>{100 * x['students'] / max(a['n'], 1):.0f} % ({x['students']})</td><td>{e(x['component'])}</td>"
        f"<td>{e(x['mistake']['name'].get(lang) or x['mistake']['name']['en'])}</td></tr>" for x in a["mistakes"][:15])
    return f"""<!doctype html><html lang="{lang}"><meta charset="utf-8"><title>{e(t('ui.class_title', lang, n=a['n']))}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2em;color:#222}}table{{border-collapse:collapse;margin:1em 0}}
td,th{{border-bottom:1px solid #ddd;padding:.3em .8em;text-align:left}}h1{{font-size:1.4em}}</style>
<h1>{e(t('ui.class_title', lang, n=a['n']))}</h1>
<h2>{e(t('ui.class_distribution', lang))}</h2>
<table><tr><th>{e(t('ui.col_component', lang))}</th><th>{e(t('ui.class_mean', lang))}</th><th>{e(t('ui.class_median', lang))}</th>
<th>{e(t('ui.class_full', lang))}</th><th>{e(t('ui.class_zero', lang))}</th><th></th></tr>{rows}</table>
<h2>{e(t('ui.class_mistakes', lang))}</h2>
<table><tr><th>{e(t('ui.class_share', lang))}</th><th>{e(t('ui.col_component', lang))}</th><th>{e(t('ui.class_mistake', lang))}</th></tr>{mist}</table>
</html>"""


def run_report(args) -> int:
    from autograder.batch import write_atomic
    from autograder.cli_more import _root_course
    from autograder.errors import KitError
    from autograder.exporters.gradebook import load_records

    root, course = _root_course(args)
    recs = load_records(Path(args.results))
    if not recs:
        raise KitError(f"no graded submissions in {args.results}")
    lang = args.lang or course.language
    a = analyse(recs, course)
    render(a, Console(highlight=False), lang)
    dest = Path(args.html) if args.html else Path(args.results) / "class-report.html"
    write_atomic(dest, to_html(a, lang))
    print(f"HTML: {dest}")
    return 0
