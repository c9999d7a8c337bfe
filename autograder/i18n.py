"""The message catalogue (messages.yml): every student-facing sentence, in English and Spanish."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

LANGS = ("en", "es")
CATALOGUE = Path(__file__).with_name("messages.yml")
CHECK_TITLES = Path(__file__).with_name("check_titles.yml")  # the "checks" section, kept beside the rest


@functools.lru_cache(maxsize=1)
def catalogue() -> dict:
    cat = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    if CHECK_TITLES.is_file():
        cat["checks"] = (yaml.safe_load(CHECK_TITLES.read_text(encoding="utf-8")) or {}).get("checks", {})
    return cat


class _Safe(dict):
    def __missing__(self, key):
        raise KeyError(key)


def t(key: str, lang: str = "en", **params) -> str:
    """``t("ui.total", "es")``; a missing placeholder value leaves the English fallback to the caller."""
    section, _, name = key.partition(".")
    entry = catalogue()[section][name]
    text = entry.get(lang) or entry["en"]
    return text.format_map(_Safe(params))


def has(key: str) -> bool:
    section, _, name = key.partition(".")
    return name in catalogue().get(section, {})


def missing_translations() -> list[str]:
    out = []
    for section, entries in catalogue().items():
        for name, entry in entries.items():
            for lang in LANGS:
                if not isinstance(entry, dict) or not str(entry.get(lang, "")).strip():
                    out.append(f"{section}.{name}: {lang}")
    return out
