"""The same report as ANSI text (Gradescope's output_format "ansi"), plain text and self-contained HTML."""

from __future__ import annotations

import io

from rich.console import Console

from autograder.feedback.terminal import check_message, check_title, render_record


def _console(ansi: bool) -> Console:
    return Console(record=True, width=100, file=io.StringIO(), force_terminal=ansi, color_system="truecolor" if ansi else None,
                   highlight=False, emoji=False)


def render(record: dict, fmt: str, lang: str = "en", course=None) -> str:
    """fmt: ansi | text | html."""
    con = _console(ansi=fmt in ("ansi", "html"))
    render_record(record, con, lang=lang, course=course)
    if fmt == "html":
        return con.export_html(inline_styles=True, clear=False)
    return con.export_text(styles=(fmt == "ansi"), clear=False)


def test_messages(record: dict, lang: str, course=None) -> dict[str, str]:
    """Each check's own message for Gradescope's per-test output."""
    from autograder.feedback.terminal import _visibility
    from autograder.i18n import t

    out = {}
    for c in record.get("checks", []):
        if c["passed"]:
            out[c["id"]] = ""
            continue
        vis = _visibility(c, course)
        msg = check_message(c, lang, vis) if vis != "name" else ""
        m = c.get("mistake")
        if m and vis != "name":
            msg += "\n" + t("ui.likely_mistake", lang, name=m["name"].get(lang) or m["name"]["en"])
            msg += "\n" + t("ui.how_to_fix", lang, fix=m["fix"].get(lang) or m["fix"]["en"])
        out[c["id"]] = msg.strip()
    return out


def titles(record: dict, lang: str) -> dict[str, str]:
    return {c["id"]: check_title(c, lang) for c in record.get("checks", [])}
