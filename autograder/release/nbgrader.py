"""The nbgrader path: a course folder for nbgrader, and the kit's grades written into its gradebook.

``autograder release nbgrader --out DIR`` writes ``DIR/nbgrader_config.py`` and one notebook per
component in ``DIR/source/<assignment>/``, generated from ``solutions/<module>.py``:

1. a markdown cell: the component's title and the module docstring (the teaching text);
2. a read-only setup cell that lets a notebook import the modules written in its sibling notebooks
   (``from attention import softmax`` reads the solution cells of ``attention.ipynb``);
3. the solution cell(s) (``solution=true``, unlocked): the module's code with nbgrader's
   ``### BEGIN SOLUTION`` / ``### END SOLUTION`` markers (a module-level region, e.g. private
   helpers, ends its cell, so the stub ``raise NotImplementedError()`` never hides later code);
4. a read-only "try it" cell and one autograded smoke-test cell (``grade=true``, the component's
   points) that only calls the functions on a tiny input.

No hidden test goes into a notebook (no ``### BEGIN HIDDEN TESTS``): nbgrader would restore it at
autograde and show its source in the feedback HTML. The grade of record comes from the kit's
sandboxed engine: ``autograder nbgrader-grade DIR`` grades every ``submitted/<student>/<assignment>/``
(the notebooks' solution cells become the modules, see ``autograder.notebooks``) and writes each
component's score into nbgrader's gradebook as the manual score of that notebook's grade cell, so
formgrader and ``nbgrader export`` show the kit's scores.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import stat
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from autograder.course import Course
from autograder.release.stubs import BEGIN, END, solution_regions

NBFORMAT = 4
NBFORMAT_MINOR = 5
SCHEMA = 3

#: Per component: (the read-only "try it" cell, the autograded smoke test). Light on purpose.
LIGHT: dict[str, tuple[str, str]] = {
    "tokenizer": (
        'tok = BPETokenizer.train("low lower lowest newer wider", 262)\n'
        'print(pretokenize("low lower"))\n'
        'print(tok.encode("lower"), repr(tok.decode(tok.encode("lower"))))',
        'tok = BPETokenizer.train("low lower lowest newer wider", 262)\n'
        'ids = tok.encode("lower newest")\n'
        'assert all(isinstance(i, int) for i in ids)\n'
        'assert isinstance(tok.decode(ids), str)\n'
        'assert isinstance(pretokenize("a b"), list)',
    ),
    "positional_encoding": (
        'table = torch.arange(12, dtype=torch.float32).reshape(4, 3)\n'
        'print(embed(torch.tensor([2, 0]), table))\n'
        'print(sinusoidal_positional_encoding(3, 4))',
        'table = torch.arange(12, dtype=torch.float32).reshape(4, 3)\n'
        'assert tuple(embed(torch.tensor([2, 0]), table).shape) == (2, 3)\n'
        'assert tuple(sinusoidal_positional_encoding(3, 4).shape) == (3, 4)\n'
        'embed_with_positions(torch.tensor([1, 3, 0]), torch.ones(4, 6))',
    ),
    "attention": (
        'print(softmax(torch.tensor([0.889, 1.2])))  # ~ [0.4229, 0.5771]\n'
        'q = torch.tensor([[0.22, 0.64, 0.73]])\n'
        'k = torch.tensor([[0.54, 0.36, 0.74], [0.10, 0.20, 0.30]])\n'
        'v = torch.tensor([[0.12, 0.84, 0.51], [0.62, 0.24, 0.33]])\n'
        'print(attention_scores(q, k, scale=1.0))\n'
        'print(scaled_dot_product_attention(q, k, v, scale=1.0))',
        'q, k, v = torch.ones(2, 3, 4), torch.ones(2, 5, 4), torch.ones(2, 5, 6)\n'
        'assert softmax(torch.tensor([1.0, 2.0])).shape == (2,)\n'
        'assert attention_scores(q, k).shape == (2, 3, 5)\n'
        'assert attention_weights(q, k).shape == (2, 3, 5)\n'
        'assert scaled_dot_product_attention(q, k, v).shape == (2, 3, 6)',
    ),
    "mask": (
        'print(causal_mask(3))\nprint(causal_mask(2, 4))',
        'assert tuple(causal_mask(3).shape) == (3, 3)\nassert tuple(causal_mask(2, 4).shape) == (2, 4)',
    ),
    "multi_head_attention": (
        'x = torch.arange(8, dtype=torch.float32).reshape(2, 4)\n'
        'print(split_heads(x, 2).shape, merge_heads(split_heads(x, 2)).shape)',
        'x = torch.ones(3, 4)\nw = torch.eye(4)\n'
        'assert tuple(split_heads(x, 2).shape) == (2, 3, 2)\n'
        'assert tuple(merge_heads(split_heads(x, 2)).shape) == (3, 4)\n'
        'assert tuple(multi_head_attention(x, w, w, w, w, 2).shape) == (3, 4)',
    ),
    "feed_forward": (
        'print(relu(torch.tensor([-1.0, 0.5])), gelu(torch.tensor([-1.0, 0.5])))',
        'x = torch.ones(2, 3)\n'
        'out = feed_forward(x, torch.ones(3, 5), torch.zeros(5), torch.ones(5, 3), torch.zeros(3))\n'
        'assert tuple(out.shape) == (2, 3)\n'
        'assert relu(torch.tensor([-1.0])).shape == (1,) and gelu(torch.tensor([1.0])).shape == (1,)',
    ),
    "lm_head": (
        'logits = lm_head(torch.ones(2, 3), torch.eye(3))\n'
        'print(logits)\nprint(next_token_probs(torch.tensor([1.0, 2.0, 3.0])))',
        'assert tuple(lm_head(torch.ones(2, 3), torch.ones(3, 5)).shape) == (2, 5)\n'
        'assert tuple(next_token_probs(torch.tensor([1.0, 2.0, 3.0])).shape) == (3,)\n'
        'assert len(top_tokens(torch.tensor([0.2, 0.5, 0.3]), 2)) == 2',
    ),
    "decoding": (
        'print(greedy(torch.tensor([0.1, 2.0, 0.3])))\n'
        'print(top_p_filter(torch.tensor([0.5, 0.3, 0.2]), 0.7))',
        'assert isinstance(greedy(torch.tensor([0.1, 2.0, 0.3])), int)\n'
        'assert tuple(top_p_filter(torch.tensor([0.5, 0.3, 0.2]), 0.7).shape) == (3,)\n'
        'out = generate(lambda ids: torch.tensor([0.0, 1.0, 0.0]), [0], 2)\n'
        'assert isinstance(out, list) and len(out) == 3',
    ),
}

SETUP = '''# Setup (read-only). Lets this notebook import what you write in the other notebooks of this
# folder: `from attention import softmax` runs the solution cells of attention.ipynb.
# After editing another notebook, save it and restart this kernel.
import importlib.abc, importlib.util, json, os, re, sys


class _CourseNotebooks(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    names = {names!r}

    def find_spec(self, name, path=None, target=None):
        if name in self.names and os.path.isfile(name + ".ipynb"):
            return importlib.util.spec_from_loader(name, self)
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        with open(module.__name__ + ".ipynb", encoding="utf-8") as f:
            cells = json.load(f)["cells"]
        parts = []
        for c in cells:
            if c.get("cell_type") == "code" and c.get("metadata", {{}}).get("nbgrader", {{}}).get("solution"):
                src = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                if not src.lstrip().startswith("%%"):
                    parts.append(re.sub(r"(?m)^(\\s*[%!]|raise NotImplementedError\\(\\)[ \\t]*$)", r"# \\1", src))
        exec(compile("\\n\\n".join(parts), module.__name__ + ".ipynb", "exec"), module.__dict__)


sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "_CourseNotebooks"]
sys.meta_path.insert(0, _CourseNotebooks())
'''

CONFIG = '''# nbgrader configuration for "{title}" (generated by `autograder release nbgrader`).
# Grades of record come from the autograder kit: after `nbgrader autograde {assignment}`, run
#     autograder nbgrader-grade {{this folder}} --assignment {assignment}
# which grades submitted/<student>/{assignment}/ in the kit's sandbox and writes the scores into
# gradebook.db (formgrader and `nbgrader export` then show them). The notebooks' autograded
# cells are smoke tests only; no hidden test is ever part of a notebook.
import os

c = get_config()  # noqa: F821

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.db_assignments = [dict(name={assignment!r})]
# The students' own module files are theirs: autograde must not replace them with instructor copies.
c.Autograde.exclude_overwriting = {{{assignment!r}: {py_files!r}}}
# Per-cell time limit at autograde (seconds).
c.ExecutePreprocessor.timeout = {timeout}
c.ExecutePreprocessor.interrupt_on_timeout = True
'''

README = '''# nbgrader course: {title}

Generated by `autograder release nbgrader`; the notebooks come from the kit's `solutions/`.

```bash
cd {here}
nbgrader generate_assignment {assignment}          # release/{assignment}/ for students
# ... students fill the solution cells; collect them into submitted/<student>/{assignment}/
nbgrader autograde {assignment}                    # nbgrader's own run (smoke tests only)
autograder nbgrader-grade . --assignment {assignment}   # the grades of record, into gradebook.db
nbgrader generate_feedback {assignment}
nbgrader export                                    # grades.csv with the kit's scores
```
The kit's detailed per-student feedback is in `autograder-results/<student>/feedback.html`.
'''


def _md(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def _code(text: str, nbgrader: dict | None = None) -> dict:
    meta = {"nbgrader": {"schema_version": SCHEMA, **nbgrader}} if nbgrader else {}
    return {"cell_type": "code", "execution_count": None, "metadata": meta, "outputs": [], "source": text}


def _split_docstring(source: str) -> tuple[str, str]:
    """(module docstring, the rest of the module without it)."""
    tree = ast.parse(source)
    doc = ast.get_docstring(tree, clean=True) or ""
    if doc and tree.body and isinstance(tree.body[0], ast.Expr):
        lines = source.splitlines()
        rest = "\n".join(lines[tree.body[0].end_lineno:])
        return doc, rest.strip("\n") + "\n"
    return doc, source


def solution_chunks(code: str) -> list[str]:
    """The module code cut after each module-level solution region (each chunk holds markers)."""
    lines = code.splitlines()
    regions = solution_regions(code)
    cuts = [e + 1 for b, e in regions if not lines[b][:1].isspace()]
    chunks, start = [], 0
    for cut in cuts:
        chunks.append("\n".join(lines[start:cut]))
        start = cut
    tail = "\n".join(lines[start:])
    if tail.strip():
        if BEGIN in tail or not chunks:
            chunks.append(tail)
        else:  # no region in the tail: it must stay with solution code (a marker-less solution cell is wiped)
            chunks[-1] = chunks[-1] + "\n" + tail
    return [c.strip("\n") + "\n" for c in chunks if c.strip()]


def component_notebook(root: Path, course: Course, module: str, number: int) -> dict:
    comp = course.component(module)
    source = (Path(root) / "solutions" / f"{module}.py").read_text(encoding="utf-8")
    doc, code = _split_docstring(source)
    others = sorted(m for m in course.modules if m != module)
    pts = f"{comp.points:g}"
    cells = [
        _md(f"# {number}. {comp.title} (`{module}`, {pts} points)\n\n{doc}\n"),
        _md("Run the setup cell, then write your code where the cells below say `raise NotImplementedError()`: "
            "keep the names and signatures. A cell that holds only `raise NotImplementedError()` at the top level is "
            "for optional private helpers: replace it with your helpers, or leave it.\n\n"
            "**Grading.** The autograded cell at the end is a smoke test only (your functions run on a tiny input). "
            "Your grade comes from the course's hidden checks, run on the code of this notebook's solution cells "
            "by the course's autograder in a sandbox."),
        _code(SETUP.format(names=others), {"grade": False, "solution": False, "locked": True, "grade_id": f"{module}_setup"}),
    ]
    for i, chunk in enumerate(solution_chunks(code)):
        gid = f"{module}_code" if i == 0 else f"{module}_code_{i + 1}"
        cells.append(_code(chunk, {"grade": False, "solution": True, "locked": False, "grade_id": gid, "task": False}))
    demo, smoke = LIGHT.get(module, ("", "pass"))
    imports = "import torch\n\n" if "torch" in demo + smoke else ""
    cells.append(_md("## Try it\n\nThe cell below runs your functions on the worked examples (read-only; add your own cells to experiment)."))
    cells.append(_code(f"{imports}{demo}\n", {"grade": False, "solution": False, "locked": True, "grade_id": f"{module}_try"}))
    cells.append(_md("## Smoke test\n\nRuns your functions on tiny inputs. Passing it is a good sign, not a grade."))
    cells.append(_code(f"# Smoke test (read-only): the functions run on tiny inputs.\n{imports}{smoke}\nprint('smoke test passed')\n",
                       {"grade": True, "solution": False, "locked": True, "grade_id": smoke_cell_id(module), "points": comp.points}))
    for j, c in enumerate(cells):  # nbformat 4.5 cell ids
        c["id"] = f"{module}-{j}"
    return {
        "cells": cells,
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                     "language_info": {"name": "python"}},
        "nbformat": NBFORMAT,
        "nbformat_minor": NBFORMAT_MINOR,
    }


def smoke_cell_id(module: str) -> str:
    return f"{module}_smoke"


def build_nbgrader_course(root: Path, course: Course, out: Path, modules: list[str] | None = None) -> Path:
    """Writes the nbgrader course into ``out`` (source notebooks, config, README); returns ``out``.

    ``modules`` limits the notebooks to some components (all by default)."""
    import nbformat

    root, out = Path(root), Path(out).resolve()
    modules = [m for m in course.modules if modules is None or m in modules]
    src = out / "source" / course.assignment
    src.mkdir(parents=True, exist_ok=True)
    for old in src.glob("*.ipynb"):
        old.unlink()
    for i, m in enumerate(course.modules, 1):
        if m not in modules:
            continue
        nb = nbformat.from_dict(component_notebook(root, course, m, i))
        nbformat.validate(nb)
        nbformat.write(nb, str(src / f"{m}.ipynb"))
    timeout = int(max(30, course.limits.call_seconds * 6))
    (out / "nbgrader_config.py").write_text(CONFIG.format(title=course.title, assignment=course.assignment,
                                                          py_files=[f"{m}.py" for m in course.modules], timeout=timeout))
    (out / "README.md").write_text(README.format(title=course.title, assignment=course.assignment, here=out))
    return out


# ------------------------------------------------------------------ grades into nbgrader's gradebook
@dataclass
class NbgraderGrades:
    results: Path
    students: dict[str, dict] = field(default_factory=dict)  # student -> {"kit": total, "gradebook": total, "components": {...}}
    skipped: dict[str, str] = field(default_factory=dict)  # student or module -> why


def _coursedir(course_dir: Path):
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    cfg = Config()
    if (course_dir / "nbgrader_config.py").is_file():
        cfg = PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config()
    cd = CourseDirectory(config=cfg)
    cd.root = str(course_dir)
    return cd


def _stage(src: Path, dest: Path, max_bytes: int) -> None:
    """Copies the regular files of a submission (no links, size-capped) for grading."""
    dest.mkdir(parents=True)
    for p in sorted(src.iterdir()):
        if p.suffix not in (".py", ".ipynb") or p.name.startswith("."):
            continue
        st = os.lstat(p)
        if stat.S_ISREG(st.st_mode) and st.st_size <= max_bytes:
            shutil.copyfile(p, dest / p.name, follow_symlinks=False)


def grade_nbgrader_course(ctx, course_dir: Path, assignment: str, out: Path, jobs: int = 2, force: bool = True,
                          db_url: str | None = None, progress=None) -> NbgraderGrades:
    """Grades ``submitted/<student>/<assignment>/`` with the kit and writes the scores into the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    from autograder.batch import RECORD, run_batch
    from autograder.errors import KitError
    from autograder.notebooks import NOTEBOOK_MAX_BYTES

    course_dir, out = Path(course_dir).resolve(), Path(out).resolve()
    cd = _coursedir(course_dir)
    submitted = course_dir / "submitted"
    students = sorted(p.name for p in submitted.iterdir() if p.is_dir() and not p.name.startswith(".")
                      and (p / assignment).is_dir()) if submitted.is_dir() else []
    if not students:
        raise KitError(f"no submissions in {submitted}/<student>/{assignment}/")
    result = NbgraderGrades(out)
    stage = Path(tempfile.mkdtemp(prefix="nbgrader-stage-"))
    try:
        for s in students:
            _stage(submitted / s / assignment, stage / s, NOTEBOOK_MAX_BYTES)
        run_batch(ctx, [stage / s for s in students], out, jobs=jobs, force=force, progress=progress)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    graded_modules = {spec.component for spec in ctx.manifest}
    with Gradebook(db_url or cd.db_url, cd.course_id) as gb:
        try:
            notebooks = {nb.name: nb for nb in gb.find_assignment(assignment).notebooks}
        except MissingEntry:
            raise KitError(f"assignment {assignment!r} is not in the gradebook {db_url or cd.db_url}: "
                           f"run `nbgrader generate_assignment {assignment}` first") from None
        for module in ctx.course.modules:
            if module in graded_modules and module not in notebooks:
                result.skipped[module] = "no notebook of that name in the assignment"
        for s in students:
            rec_path = out / s / RECORD
            if not rec_path.is_file():
                result.skipped[s] = "the kit wrote no record"
                continue
            rec = json.loads(rec_path.read_text(encoding="utf-8"))
            gb.update_or_create_student(s)
            try:
                gb.find_submission(assignment, s)
            except MissingEntry:
                gb.add_submission(assignment, s)
            comps = {}
            for c in rec.get("components", []):
                m = c["module"]
                if m not in graded_modules or m not in notebooks:
                    continue
                cells = [g.name for g in notebooks[m].grade_cells]
                cell = smoke_cell_id(m) if smoke_cell_id(m) in cells else (cells[0] if len(cells) == 1 else None)
                if cell is None:
                    result.skipped[m] = f"notebook {m} has {len(cells)} grade cells and none named {smoke_cell_id(m)}"
                    continue
                grade = gb.find_grade(cell, m, assignment, s)
                maxs = grade.max_score or 0.0
                pts = float(c["score"]) * (maxs / c["points"] if c["points"] else 0.0)
                grade.manual_score = round(pts, 6)
                grade.needs_manual_grade = False
                comps[m] = grade.manual_score
            gb.db.commit()
            total = gb.find_submission(assignment, s).score
            result.students[s] = {"kit": rec.get("score", 0.0), "gradebook": total, "components": comps,
                                  "level": rec.get("level"), "seed": rec.get("seed")}
    return result


def run_nbgrader_grade(args) -> int:
    """``autograder nbgrader-grade COURSE_DIR``: the kit's grades of record into nbgrader's gradebook."""
    from rich.console import Console
    from rich.table import Table

    from autograder.cli import _root
    from autograder.course import load_course
    from autograder.errors import KitError
    from autograder.runner import GradeContext, collect_manifest, new_seed
    from autograder.sandbox import LEVEL_NAMES, best_level

    root = _root(args)
    course = load_course(root / "course.yml")
    course_dir = Path(args.course_dir).resolve()
    if not course_dir.is_dir():
        raise KitError(f"nbgrader course folder not found: {course_dir}")
    available = best_level()
    level = available if args.level is None else args.level
    if level > available:
        raise KitError(f"sandbox level {level} is not available on this machine (best: {LEVEL_NAMES[available]})")
    if level < course.sandbox.min_level and not args.unofficial:
        raise KitError(f"this machine offers {LEVEL_NAMES[level]}, below the course's minimum ({LEVEL_NAMES[course.sandbox.min_level]}) "
                       "for official grading; install bubblewrap, or pass --unofficial to grade anyway")
    seed = new_seed() if args.seed is None else args.seed
    out = Path(args.out).resolve() if args.out else course_dir / "autograder-results"
    manifest = collect_manifest(root, "hidden", only=args.only)
    ctx = GradeContext(course=course, root=root, seed=seed, level=level, manifest=manifest, out_dir=out, lang=args.lang)
    con = Console(highlight=False)
    assignment = args.assignment or course.assignment
    con.print(f"[bold]{course.title}[/]: grading {course_dir}/submitted/*/{assignment} with {len(manifest)} checks at {LEVEL_NAMES[level]}")
    res = grade_nbgrader_course(ctx, course_dir, assignment, out, jobs=args.jobs, force=not args.resume, db_url=args.db)
    t = Table("student", "kit score", "gradebook total", title=f"{assignment}: grades of record written to nbgrader's gradebook")
    for s, r in res.students.items():
        t.add_row(s, f"{r['kit']:g}", f"{r['gradebook']:g}")
    con.print(t)
    for what, why in res.skipped.items():
        con.print(f"[yellow]skipped {what}[/]: {why}")
    con.print(f"kit records and feedback: {out}")
    return 0
