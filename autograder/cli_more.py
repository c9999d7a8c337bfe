"""Instructor commands beyond grading: release, selftest, export, report."""

from __future__ import annotations


def register(sub) -> None:
    pass
