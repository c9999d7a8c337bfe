"""Gradescope's autograder zip: setup.sh installs the kit, run_autograder grades one submission.

Gradescope runs every submission in its own container: ``run_autograder`` grades
``/autograder/submission`` with the sandboxed engine and always writes
``/autograder/results/results.json`` (a failure still gets a result that says what went wrong).
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path

SETUP_SH = """#!/usr/bin/env bash
# Gradescope image setup (Ubuntu): Python, bubblewrap (sandbox level 3 where the container allows it), the kit.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq python3 python3-pip python3-venv bubblewrap >/dev/null
python3 -m venv /opt/kit
/opt/kit/bin/pip install -q torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu || /opt/kit/bin/pip install -q torch==2.13.0
/opt/kit/bin/pip install -q -e /autograder/source
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Grades /autograder/submission; always leaves /autograder/results/results.json behind.
set -u
AG="${AUTOGRADER_ROOT:-/autograder}"
PY="${PYTHON:-/opt/kit/bin/python}"
[ -x "$PY" ] || PY=python3
cd "$AG/source" || exit 0
"$PY" -m autograder --course-root "$AG/source" gradescope-run --autograder-root "$AG"
exit 0
"""

INCLUDE = ["autograder", "solutions", "tests/hidden", "tests/mistakes", "course.yml", "pyproject.toml", "README.md"]


def build_gradescope_zip(root: Path, course, out: Path) -> Path:
    out = Path(out)
    if out.suffix != ".zip":
        out = out / "autograder.zip"
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "source"
        src.mkdir()
        for item in INCLUDE:
            p = Path(root) / item
            dest = src / item
            if p.is_dir():
                shutil.copytree(p, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            elif p.is_file():
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(p, dest)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, text in (("setup.sh", SETUP_SH), ("run_autograder", RUN_AUTOGRADER)):
                info = zipfile.ZipInfo(name)
                info.external_attr = 0o755 << 16
                z.writestr(info, text)
            for f in sorted(src.rglob("*")):
                if f.is_file():
                    z.write(f, "source/" + str(f.relative_to(src)))
    return out


def find_submission_folder(sub: Path, modules: list[str]) -> Path:
    """Gradescope uploads may nest the files in a folder: take the folder holding most module files."""
    best, best_n = sub, -1
    for d in [sub, *[p for p in sub.rglob("*") if p.is_dir()]]:
        n = sum((d / f"{m}.py").is_file() or (d / f"{m}.ipynb").is_file() for m in modules)
        if n > best_n:
            best, best_n = d, n
    return best


def gradescope_run(root: Path, ag_root: Path) -> int:
    import json

    from autograder.batch import RESULTS, write_atomic
    from autograder.course import load_course
    from autograder.exporters.gradescope import to_gradescope
    from autograder.runner import GradeContext, collect_manifest, grade_submission, new_seed
    from autograder.sandbox import best_level

    results = Path(ag_root) / "results" / RESULTS
    try:
        course = load_course(Path(root) / "course.yml")
        sub = find_submission_folder(Path(ag_root) / "submission", course.modules)
        ctx = GradeContext(course=course, root=Path(root), seed=new_seed(), level=best_level(),
                           manifest=collect_manifest(Path(root), "hidden"), out_dir=results.parent)
        record = grade_submission(sub, ctx, name="submission")
        write_atomic(results.parent / "record.json", json.dumps(record, indent=1, default=str))
        write_atomic(results, json.dumps(to_gradescope(record, course.language, course), indent=1, ensure_ascii=False))
    except Exception as e:  # noqa: BLE001 - Gradescope must always get a results.json
        write_atomic(results, json.dumps({"score": 0.0, "output": f"The autograder failed: {type(e).__name__}: {e}. Tell your instructor.",
                                          "output_format": "text", "visibility": "visible", "stdout_visibility": "hidden", "tests": []}))
    return 0
