"""The student bundle: the assignment folder (stubs, public checks, README) as a folder and a zip."""

from __future__ import annotations

import shutil
from pathlib import Path

from autograder.release.assignment import build_assignment, hidden_counts


def build_student_bundle(root: Path, course, out: Path) -> Path:
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    build_assignment(root, course, out, hidden_counts(root))
    archive = shutil.make_archive(str(out), "zip", root_dir=out.parent, base_dir=out.name)
    return Path(archive)
