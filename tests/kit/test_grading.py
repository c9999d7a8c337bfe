"""End to end: the CLI grades the bundled examples; scores, messages, files and resume are right."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.sandbox import best_level

SEED = 12345


def _run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "autograder", *args], cwd=cwd, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def graded(root, tmp_path_factory):
    out = tmp_path_factory.mktemp("results")
    r = _run("grade", "examples/submissions", "--out", str(out), "--seed", str(SEED), "--unofficial", cwd=root)
    assert r.returncode == 0, r.stderr
    return out, r


def _record(out, name):
    return json.loads((out / name / "record.json").read_text())


def test_correct_submission_gets_full_marks(graded, course):
    out, _ = graded
    rec = _record(out, "ada-correct")
    assert rec["score"] == pytest.approx(course.total_points), [c["message"] for c in rec["checks"] if not c["passed"]][:3]
    assert rec["level"] == best_level() and rec["seed"] == SEED


def test_mistakes_lose_points_on_their_components_and_are_named(graded, course):
    out, _ = graded
    rec = _record(out, "ben-mistakes")
    comps = {c["module"]: c for c in rec["components"]}
    for m in ("attention", "feed_forward", "decoding"):
        assert comps[m]["score"] < course.component(m).points
    for m in ("tokenizer", "positional_encoding", "mask", "multi_head_attention", "lm_head"):
        assert comps[m]["score"] == pytest.approx(course.component(m).points), m
    named = {c["component"]: c["mistake"]["id"] for c in rec["checks"] if not c["passed"] and c.get("mistake")}
    assert set(named) == {"attention", "feed_forward", "decoding"}
    assert "scal" in named["attention"] and "tanh" in named["feed_forward"] and "tie" in named["decoding"]


def test_broken_submission_gets_clear_messages(graded):
    out, _ = graded
    rec = _record(out, "carl-broken")
    att = [c for c in rec["checks"] if c["component"] == "attention"]
    assert all(c["kind"] == "import-error" and c["details"]["syntax"]["line"] for c in att)
    dec = [c for c in rec["checks"] if c["component"] == "decoding"]
    assert all(c["kind"] == "missing" and "decoding.py is missing" in c["message"] for c in dec)
    assert "notes.txt" in rec["intake"]["ignored"]
    comps = {c["module"]: c["score"] for c in rec["components"]}
    assert comps["multi_head_attention"] == 0 and comps["lm_head"] == 0 and comps["tokenizer"] > 0


def test_gradescope_results_schema(graded):
    out, _ = graded
    for name in ("ada-correct", "ben-mistakes", "carl-broken"):
        res = json.loads((out / name / "results.json").read_text())
        assert {"score", "output", "output_format", "visibility", "stdout_visibility", "execution_time", "tests"} <= set(res)
        assert res["output_format"] == "ansi"
        total = 0.0
        for i, t in enumerate(res["tests"], 1):
            assert {"name", "score", "max_score", "status", "output", "output_format", "visibility", "tags", "number"} <= set(t)
            assert t["status"] in ("passed", "failed") and len(t["tags"]) == 1 and t["number"] == str(i)
            total += t["score"]
        assert total == pytest.approx(res["score"], abs=1e-3)
        assert name in (out / name / "feedback.html").read_text()


def test_resume_skips_finished_submissions(graded, root):
    out, _ = graded
    r = _run("grade", "examples/submissions", "--out", str(out), "--seed", str(SEED), "--unofficial", cwd=root)
    assert r.returncode == 0 and "skipped 3" in r.stdout


def test_hidden_messages_do_not_leak_expected_values(graded):
    out, _ = graded
    rec = _record(out, "ben-mistakes")
    res = json.loads((out / "ben-mistakes" / "results.json").read_text())
    for t in res["tests"]:
        assert "expected [" not in t["output"] and ", expected " not in t["output"]
    assert "test_" not in res["output"]  # no test source or test names


def test_misuse_is_a_clear_error(root, tmp_path):
    r = _run("grade", str(tmp_path / "nope"), "--out", str(tmp_path / "o"), cwd=root)
    assert r.returncode == 2 and "not found" in r.stderr and "Traceback" not in r.stderr
    r = _run("--help", cwd=root)
    for cmd in ("grade", "check", "feedback", "selftest", "release"):
        assert cmd in r.stdout


def test_grader_process_never_imports_student_code(root, course, tmp_path):
    """Grade in this very process: no module of the submission may appear in sys.modules."""
    import tempfile

    from autograder.runner import GradeContext, collect_manifest, grade_submission

    sub = tmp_path / "sub"
    sub.mkdir()
    for m in course.modules:
        (sub / f"{m}.py").write_text((root / "examples" / "submissions" / "ada-correct" / f"{m}.py").read_text())
    manifest = collect_manifest(root, "hidden", only=["mask"])
    ctx = GradeContext(course=course, root=root, seed=1, level=0, manifest=manifest, diagnose=False)
    rec = grade_submission(sub, ctx)
    assert rec["components"][3]["score"] == course.component("mask").points
    tmp = tempfile.gettempdir()
    for name, mod in list(sys.modules.items()):
        f = getattr(mod, "__file__", None) or ""
        assert not f.startswith(str(sub)) and "agsub-" not in f, name


def test_same_seed_same_verdicts_different_seed_different_inputs(root, course):
    from autograder.checks import Draw

    assert (Draw(5, "t::a").normal(4, 4) == Draw(5, "t::a").normal(4, 4)).all()
    assert not (Draw(5, "t::a").normal(4, 4) == Draw(6, "t::a").normal(4, 4)).all()
    assert not (Draw(5, "t::a").normal(4, 4) == Draw(5, "t::b").normal(4, 4)).all()


def test_same_seed_replays_the_grade(root, tmp_path):
    outs = []
    for i in range(2):
        out = tmp_path / f"o{i}"
        r = _run("grade", "examples/submissions/ben-mistakes", "--out", str(out), "--seed", "777", "--only", "attention", "decoding",
                 "--unofficial", cwd=root)
        assert r.returncode == 0, r.stderr
        rec = _record(out, "ben-mistakes")
        outs.append([(c["id"], c["passed"], c["message"]) for c in rec["checks"]])
    assert outs[0] == outs[1]


def test_student_check_runs_public_checks_through_the_engine(root, tmp_path):
    import shutil

    folder = tmp_path / "mywork"
    shutil.copytree(root / "assignments" / "transformer", folder)
    shutil.copyfile(root / "examples/submissions/ada-correct/mask.py", folder / "mask.py")
    r = _run("check", "mask", "--folder", str(folder), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "public checks pass" in r.stdout and "hidden checks still run" in r.stdout
    r = _run("check", "attention", "--folder", str(folder), cwd=tmp_path)  # the stub: fails cleanly
    assert r.returncode == 0 and "NotImplementedError" in r.stdout and "Traceback (most recent call last)" not in r.stdout
