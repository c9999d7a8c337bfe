"""The reference solutions, loaded in the trusted process to compute expected values."""

from __future__ import annotations

from pathlib import Path

from autograder.modset import folder_paths, load_modset


def load_reference(folder: Path):
    return load_modset(folder_paths(Path(folder)))
