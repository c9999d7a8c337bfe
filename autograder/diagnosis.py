"""Diagnosis: when a failing output is exactly what a known mistake produces, name the mistake."""

from __future__ import annotations


def diagnose_outcomes(ctx, outcomes) -> dict:
    return {}
