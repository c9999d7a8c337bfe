"""The nbgrader path, for real: release, generate_assignment, autograde, feedback, the kit's grades in the gradebook.

nbgrader runs as a subprocess with this environment's bin/ on PATH (it runs `alembic` from PATH).
Students hand in only the attention and mask notebooks (the kit grades with ``--only attention mask``)
to keep the run short: nbgrader autograde costs a kernel start and a torch import per notebook.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.notebooks import NOTEBOOK_MAX_BYTES, extract_code, is_solution_cell, parse_notebook, submission_folder
from autograder.release.stubs import solution_lines, strip_markers

BIN = str(Path(sys.executable).parent)
ENV = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""), PYTHONWARNINGS="ignore")
ONLY = ["attention", "mask"]
SEED = 424242

EXPLOIT = '''import json, os, numpy, torch
numpy.allclose = lambda *a, **k: True
torch.allclose = lambda *a, **k: True
numpy.testing.assert_allclose = lambda *a, **k: None
for p in ("results.json", "record.json", "../../../autograder-results/eve-exploit/record.json",
          "../../../autograder-results/eve-exploit/results.json"):
    try:
        os.makedirs(os.path.dirname(p) or ".", exist_ok=True)
        with open(p, "w") as f:
            json.dump({"score": 100.0, "max_score": 100.0, "submission": "eve-exploit", "components": []}, f)
    except OSError:
        pass
'''

FAKES = '''import torch


def softmax(x, dim=-1):
    return torch.ones_like(x) / x.shape[dim]


def attention_scores(q, k, scale=None):
    return torch.ones(*q.shape[:-1], k.shape[-2])


def attention_weights(q, k, mask=None, scale=None):
    return torch.ones(*q.shape[:-1], k.shape[-2]) / k.shape[-2]


def scaled_dot_product_attention(q, k, v, mask=None, scale=None):
    return torch.ones(*q.shape[:-1], v.shape[-1])
'''
EXPLOIT_CELL = EXPLOIT + "\n\n" + FAKES


def _run(cmd, cwd, timeout=900):
    r = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return r


def _secret_lines(root, course):
    s = set()
    for m in course.modules:
        s |= solution_lines((root / "solutions" / f"{m}.py").read_text())
    return s


def _hidden_source(root):
    public = {ln.strip() for f in (root / "tests" / "public").glob("*.py") for ln in f.read_text().splitlines()}
    return {ln.strip() for f in (root / "tests" / "hidden").glob("*.py") for ln in f.read_text().splitlines()
            if len(ln.strip()) > 30 and not ln.strip().startswith(("#", '"""', "from ", "import "))} - public


def _cell_text(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _fill(released: Path, source: Path, dest: Path, edit=None) -> str:
    """A student's notebook: the released notebook, its solution cells filled with the reference.

    Returns the module code a finished student file would hold (for the `autograder grade` twin)."""
    nb = json.loads(released.read_text())
    src = {c["metadata"]["nbgrader"]["grade_id"]: _cell_text(c) for c in json.loads(source.read_text())["cells"]
           if c["metadata"].get("nbgrader", {}).get("solution")}
    parts = []
    for c in nb["cells"]:
        if is_solution_cell(c):
            text = strip_markers(src[c["metadata"]["nbgrader"]["grade_id"]])
            if edit:
                text = edit(text)
            c["source"] = text
            parts.append(text)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(nb, indent=1))
    return "\n\n\n".join(parts)


# ------------------------------------------------------------------ fast: extraction and intake
def _nb(cells):
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}


def _c(src, **nbg):
    return {"cell_type": "code", "metadata": {"nbgrader": nbg} if nbg else {}, "source": src, "outputs": []}


def test_extract_code_takes_solution_cells_only_and_neutralises_magics():
    nb = _nb([
        {"cell_type": "markdown", "metadata": {}, "source": "# title"},
        _c("import sys\nsys.meta_path.clear()\n", locked=True, solution=False, grade=False, grade_id="setup"),
        _c(["import math\n", "%matplotlib inline\n", "raise NotImplementedError()\n"], solution=True, grade=False, grade_id="a"),
        _c("def f(x):\n    !ls\n    return math.sqrt(x)\n", solution=True, grade=False, grade_id="b"),
        _c("%%writefile other.py\nboom(\n", solution=True, grade=False, grade_id="c"),
        _c("assert f(4) == 2\n", grade=True, solution=False, locked=True, points=5, grade_id="t"),
        _c("print(f(9))\n"),  # a student's scratch cell: not part of the module
    ])
    code = extract_code(nb)
    ns: dict = {}
    exec(compile(code, "m.py", "exec"), ns)  # plain Python, no stub raise at module level
    assert ns["f"](9) == 3.0
    assert "meta_path" not in code and "assert f(4)" not in code and "print(f(9))" not in code and "boom" not in code
    plain = _nb([_c("x = 1\n"), _c("%time y = 2\n"), _c("assert x\n", grade=True, solution=False, points=1)])
    assert extract_code(plain).split() == ["x", "=", "1", "#", "(notebook", "magic,", "not", "run", "by", "the", "grader)", "%time", "y", "=", "2"]


def test_intake_reads_notebooks_in_nbgrader_layout_without_running_them(root, course, tmp_path):
    from autograder.intake import read_submission

    sub = tmp_path / "alice" / course.assignment
    sub.mkdir(parents=True)
    (sub / "mask.ipynb").write_text(json.dumps(_nb([_c("import torch\ndef causal_mask(q_len, k_len=None):\n    1/0\n", solution=True)])))
    (sub / "mask.py").write_text("stale = True\n")  # the notebook wins over a stale .py
    (sub / "attention.ipynb").write_text("{not json")
    (sub / "lm_head.ipynb").write_bytes(b" " * (NOTEBOOK_MAX_BYTES + 1))
    os.symlink(root / "solutions" / "decoding.py", sub / "decoding.ipynb")
    assert submission_folder(tmp_path / "alice", course.modules) == sub
    intake = read_submission(tmp_path / "alice", course.modules, course.limits.file_kb * 1024)
    assert intake.files["mask.py"].startswith(b"import torch\ndef causal_mask")
    assert intake.notebooks == {"mask.py": "mask.ipynb"}
    assert "JSON" in intake.rejected["attention.ipynb"] and "too large" in intake.rejected["lm_head.ipynb"]
    assert "link" in intake.rejected["decoding.ipynb"]
    assert "attention.py was not accepted" in intake.missing["attention"]
    assert set(intake.files) == {"mask.py"}


def test_release_nbgrader_writes_a_course_whose_notebooks_hold_the_reference(root, course, tmp_path):
    from autograder.release.nbgrader import _split_docstring, build_nbgrader_course

    out = build_nbgrader_course(root, course, tmp_path / "nb")
    cfg = (out / "nbgrader_config.py").read_text()
    assert "exclude_overwriting" in cfg and "ExecutePreprocessor.timeout" in cfg and repr(course.assignment) in cfg
    for m in course.modules:
        nb = parse_notebook((out / "source" / course.assignment / f"{m}.ipynb").read_bytes())
        grades = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade")]
        assert len(grades) == 1 and grades[0]["metadata"]["nbgrader"]["points"] == course.component(m).points
        text = "\n".join(_cell_text(c) for c in nb["cells"])
        assert "HIDDEN TESTS" not in text
        # the solution cells, markers stripped, are the reference module (its docstring is the markdown cell)
        doc, code = _split_docstring((root / "solutions" / f"{m}.py").read_text())
        got = strip_markers(extract_code(nb))
        compile(got, m, "exec")
        assert [ln for ln in got.splitlines() if ln.strip()] == [ln for ln in strip_markers(code).splitlines() if ln.strip()]
        assert doc.splitlines()[0] in text


# ------------------------------------------------------------------ slow: nbgrader for real
@pytest.fixture(scope="module")
def nbcourse(root, course, tmp_path_factory):
    if shutil.which("nbgrader", path=ENV["PATH"]) is None:
        pytest.skip("nbgrader is not installed")
    base = tmp_path_factory.mktemp("nbgrader")
    out = base / "course"
    _run([sys.executable, "-m", "autograder", "--course-root", str(root), "release", "nbgrader", "--out", str(out)], cwd=base)
    _run([os.path.join(BIN, "nbgrader"), "generate_assignment", course.assignment, "--force"], cwd=out)
    return out


def test_release_holds_no_solution_line_and_no_hidden_test(root, course, nbcourse):
    secret, hidden = _secret_lines(root, course), _hidden_source(root)
    rel = nbcourse / "release" / course.assignment
    assert sorted(p.stem for p in rel.glob("*.ipynb")) == sorted(course.modules)
    for f in rel.iterdir():
        text = f.read_text()
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text, f
        for nb_cell in json.loads(text)["cells"] if f.suffix == ".ipynb" else []:
            for line in _cell_text(nb_cell).splitlines():
                assert line.strip() not in secret, (f.name, line)
                assert line.strip() not in hidden, (f.name, line)


def test_autograde_then_kit_grades_are_the_gradebook_and_exploits_gain_nothing(root, course, nbcourse, tmp_path):
    from nbgrader.api import Gradebook

    from autograder.mistakes import apply_patch, load_bank

    a = course.assignment
    rel, src = nbcourse / "release" / a, nbcourse / "source" / a
    no_scaling = next(m for m in load_bank(root)["attention"] if m.id == "scores-no-scaling")
    plain = tmp_path / "plain"  # the same code as .py files, for `autograder grade`
    edits = {
        "ada-correct": {},
        "ben-buggy": {"attention": lambda t: apply_patch(t, no_scaling.patch) if no_scaling.patch[0][0] in t else t},
        "carl-broken": {"attention": lambda t: t + "\ndef broken(:\n    pass\n"},
    }
    for student, edit in edits.items():
        for m in ONLY:
            code = _fill(rel / f"{m}.ipynb", src / f"{m}.ipynb", nbcourse / "submitted" / student / a / f"{m}.ipynb", edit.get(m))
            (plain / student).mkdir(parents=True, exist_ok=True)
            (plain / student / f"{m}.py").write_text(code)
    # eve: smoke-test-passing fakes + monkeypatched allclose + forged result files; her mask is the untouched stub
    eve = nbcourse / "submitted" / "eve-exploit" / a
    nb = json.loads((rel / "attention.ipynb").read_text())
    sol = [c for c in nb["cells"] if is_solution_cell(c)]
    sol[0]["source"] = EXPLOIT_CELL
    for c in sol[1:]:
        c["source"] = ""
    eve.mkdir(parents=True)
    (eve / "attention.ipynb").write_text(json.dumps(nb))
    shutil.copyfile(rel / "mask.ipynb", eve / "mask.ipynb")
    (plain / "eve-exploit").mkdir()
    (plain / "eve-exploit" / "attention.py").write_text(EXPLOIT_CELL)
    (plain / "eve-exploit" / "mask.py").write_text(extract_code(json.loads((rel / "mask.ipynb").read_text())))
    shutil.copytree(plain / "eve-exploit", plain / "eve-honest")  # the control: the same fakes, no tricks
    (plain / "eve-honest" / "attention.py").write_text(FAKES)

    _run([os.path.join(BIN, "nbgrader"), "autograde", a, "--create", "--force"], cwd=nbcourse)
    _run([os.path.join(BIN, "nbgrader"), "generate_feedback", a, "--force"], cwd=nbcourse)
    with Gradebook(f"sqlite:///{nbcourse / 'gradebook.db'}", "") as gb:
        nb_auto = {s: gb.find_submission(a, s).score for s in [*edits, "eve-exploit"]}
    assert nb_auto["eve-exploit"] == course.component("attention").points  # nbgrader alone is fooled by the fakes

    common = ["--seed", str(SEED), "--only", *ONLY, "--unofficial"]
    _run([sys.executable, "-m", "autograder", "--course-root", str(root), "nbgrader-grade", str(nbcourse), *common], cwd=tmp_path)
    _run([sys.executable, "-m", "autograder", "--course-root", str(root), "grade", str(plain), "--out", str(tmp_path / "kit"), *common],
         cwd=tmp_path)

    kit = {s: json.loads((tmp_path / "kit" / s / "record.json").read_text()) for s in [*edits, "eve-exploit"]}
    with Gradebook(f"sqlite:///{nbcourse / 'gradebook.db'}", "") as gb:
        book = {s: gb.find_submission(a, s).score for s in kit}
        per = {s: {m: gb.find_grade(f"{m}_smoke", m, a, s).score for m in ONLY} for s in kit}
    for s, rec in kit.items():
        assert rec["seed"] == SEED
        assert book[s] == pytest.approx(rec["score"], abs=1e-6), (s, book[s], rec["score"])
        comps = {c["module"]: c["score"] for c in rec["components"]}
        assert per[s] == pytest.approx({m: comps[m] for m in ONLY}, abs=1e-6)
    full = sum(course.component(m).points for m in ONLY)
    assert book["ada-correct"] == pytest.approx(full)
    assert course.component("mask").points <= book["ben-buggy"] < full
    assert per["carl-broken"]["attention"] == 0 and per["carl-broken"]["mask"] == course.component("mask").points
    # the tricks gain nothing: eve scores what the same fake functions score without them, far below nbgrader's own 15
    honest = json.loads((tmp_path / "kit" / "eve-honest" / "record.json").read_text())
    assert kit["eve-exploit"]["score"] == honest["score"] < 0.1 * full
    assert per["eve-exploit"]["mask"] == 0
    # the kit's record for eve (nbgrader-grade's own output) is the real one, not her forged file
    eve_rec = json.loads((nbcourse / "autograder-results" / "eve-exploit" / "record.json").read_text())
    assert eve_rec["score"] == honest["score"] and eve_rec["seed"] == SEED and eve_rec["level"] == kit["ada-correct"]["level"]

    # nbgrader export shows the kit's scores
    _run([os.path.join(BIN, "nbgrader"), "export", "--to", str(tmp_path / "grades.csv")], cwd=nbcourse)
    rows = {r["student_id"]: float(r["score"]) for r in csv.DictReader((tmp_path / "grades.csv").open())}
    assert rows == pytest.approx(book)

    # feedback HTML holds no hidden test source
    hidden = _hidden_source(root)
    pages = list((nbcourse / "feedback").rglob("*.html"))
    assert pages
    for p in pages:
        text = p.read_text()
        assert "HIDDEN TESTS" not in text
        assert not [ln for ln in hidden if ln in text], p
