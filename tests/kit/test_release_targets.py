"""Release targets: the student bundle and the Gradescope package, checked for real."""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from autograder.release.stubs import solution_lines


def _secret_lines(root, course):
    s = set()
    for m in course.modules:
        s |= solution_lines((root / "solutions" / f"{m}.py").read_text())
    return s


def test_student_bundle_holds_no_solution_hidden_test_or_reference(root, course, tmp_path):
    from autograder.release.bundle import build_student_bundle

    archive = build_student_bundle(root, course, tmp_path / "bundle")
    secret = _secret_lines(root, course)
    hidden_names = {f.name for f in (root / "tests" / "hidden").glob("test_*.py")}
    hidden_src = {line.strip() for f in (root / "tests" / "hidden").glob("*.py") for line in f.read_text().splitlines()
                  if len(line.strip()) > 30 and not line.strip().startswith(("#", "\"\"\"", "from ", "import "))}
    public_src = {line.strip() for f in (root / "tests" / "public").glob("*.py") for line in f.read_text().splitlines()}
    hidden_src -= public_src
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        assert any(n.endswith("checks/test_attention.py") for n in names) or not (root / "tests/public/test_attention.py").exists()
        for n in names:
            assert "solutions/" not in n and "tests/hidden" not in n and "mistakes" not in n
            data = z.read(n).decode("utf-8", "replace")
            for line in data.splitlines():
                assert line.strip() not in secret, (n, line)
                assert line.strip() not in hidden_src, (n, line)
    assert not any(Path(n).name in hidden_names and "checks/" not in n for n in names)


def test_gradescope_zip_runs_against_a_fake_autograder_root(root, course, tmp_path):
    from autograder.release.gradescope import build_gradescope_zip

    z = build_gradescope_zip(root, course, tmp_path / "autograder.zip")
    ag = tmp_path / "ag"
    with zipfile.ZipFile(z) as zz:
        zz.extractall(ag)
        assert {"setup.sh", "run_autograder"} <= set(zz.namelist())
    sub = ag / "submission" / "nested"
    sub.mkdir(parents=True)
    (ag / "results").mkdir()
    for m in ("mask", "feed_forward"):
        (sub / f"{m}.py").write_text((root / "examples/submissions/ada-correct" / f"{m}.py").read_text())
    (ag / "source" / "tests" / "hidden").is_dir()
    env = dict(os.environ, AUTOGRADER_ROOT=str(ag), PYTHON=sys.executable)
    r = subprocess.run(["bash", str(ag / "run_autograder")], env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr
    res = json.loads((ag / "results" / "results.json").read_text())
    assert res["output_format"] == "ansi" and res["tests"], res.get("output")
    by = {}
    for t in res["tests"]:
        assert {"name", "score", "max_score", "status", "output", "tags", "number", "visibility"} <= set(t)
        by.setdefault(t["tags"][0], []).append(t)
    assert all(t["status"] == "passed" for t in by["mask"]) and all(t["status"] == "passed" for t in by["feed_forward"])
    assert all(t["status"] == "failed" for t in by["attention"])
    assert res["score"] == sum(course.component(m).points for m in ("mask", "feed_forward"))
