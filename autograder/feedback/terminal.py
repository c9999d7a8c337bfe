"""The rich terminal report."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table


def render_record(rec: dict, con, lang: str = "en", course=None, public: bool = False, hidden_counts=None, only=None) -> None:
    t = Table(title=f"{escape(rec.get('submission', ''))}: {rec.get('score', 0):.1f} / {rec.get('max_score', 0):g}")
    for col in ("component", "points", "checks", "time"):
        t.add_column(col)
    for c in rec.get("components", []):
        t.add_row(c["module"], f"{c['score']:.1f}/{c['points']:g}", f"{c['checks_passed']}/{c['checks_total']}", f"{c['seconds']:.2f}s")
    con.print(t)
    for c in rec.get("checks", []):
        if not c["passed"]:
            con.print(f"[red]✗[/] {escape(c['component'])}: {escape(c['title'])} — {escape(c['message'])}")
            if c.get("mistake"):
                con.print(f"   [yellow]likely mistake:[/] {escape(c['mistake'].get('name', ''))}")
