"""The batch runner: many submissions, N at a time, resumable, one crash never stops the batch.

Each submission is graded in its own trusted child process (forked from a forkserver that already
imported torch and pytest), so a kit failure on one submission is recorded and the rest go on.
Every result file is written atomically; a finished submission is skipped on re-run unless forced.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from autograder.course import CONTRACT_MODULES

RECORD = "record.json"
RESULTS = "results.json"


def discover(paths: list[Path]) -> list[Path]:
    """Each path is a submission (it holds a course module) or a folder of submissions."""
    subs: list[Path] = []
    for p in paths:
        p = Path(p)
        if not p.is_dir():
            continue
        if _is_submission(p):
            subs.append(p)
        else:
            for child in sorted(p.iterdir()):
                if child.is_dir() and not child.name.startswith("."):
                    subs.append(child)
    seen, out = set(), []
    for s in subs:
        r = s.resolve()
        if r not in seen:
            seen.add(r)
            out.append(s)
    return out


def _is_submission(p: Path) -> bool:
    return any((p / f"{m}.py").exists() or (p / f"{m}.py").is_symlink() for m in CONTRACT_MODULES) or any(p.glob("*.ipynb"))


def write_atomic(path: Path, data: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def slot_name(sub: Path, taken: set[str]) -> str:
    name = sub.name or "submission"
    base, i = name, 2
    while name in taken:
        name = f"{base}-{i}"
        i += 1
    taken.add(name)
    return name


def write_record(out_dir: Path, record: dict, course=None, lang: str | None = None) -> None:
    """record.json (the kit's detail), results.json (Gradescope) and the feedback as HTML and text.

    record.json is written last: its presence marks the submission as finished (resume)."""
    from autograder.exporters.gradescope import to_gradescope
    from autograder.feedback.export import render

    lang = lang or (course.language if course is not None else "en")
    d = out_dir / record["submission"]
    write_atomic(d / RESULTS, json.dumps(to_gradescope(record, lang, course), indent=2, ensure_ascii=False))
    write_atomic(d / "feedback.html", render(record, "html", lang, course))
    write_atomic(d / "feedback.txt", render(record, "text", lang, course))
    write_atomic(d / RECORD, json.dumps(record, indent=2, ensure_ascii=False, default=str))


def failed_record(ctx, sub: Path, name: str, why: str) -> dict:
    """What is recorded when grading itself failed: every check failed, with the reason."""
    from autograder.plugin import Outcome
    from autograder.scoring import score

    outcomes = {s.id: Outcome(s.id, False, "kit-error", why) for s in ctx.manifest}
    return {"kit_version": "", "submission": name, "folder": str(sub), "seed": ctx.seed, "suite": ctx.suite, "level": ctx.level,
            "level_name": "", "graded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "seconds": 0.0,
            **score(ctx.course, ctx.manifest, outcomes), "intake": {}, "output": {"kept": "", "total_bytes": 0},
            "sandbox": {}, "grading_error": why}


def _child(ctx, sub: str, name: str, out_dir: str) -> None:
    from autograder.runner import grade_submission

    try:
        record = grade_submission(Path(sub), ctx, name=name)
    except BaseException as e:  # noqa: BLE001 - recorded, never raised into the batch
        record = failed_record(ctx, Path(sub), name, f"the grader failed on this submission: {type(e).__name__}: {e}")
        record["grading_traceback"] = traceback.format_exc()[-4000:]
    try:
        write_record(Path(out_dir), record, ctx.course, ctx.lang)
    except BaseException as e:  # noqa: BLE001 - a feedback problem must not lose the grade
        record["feedback_error"] = f"{type(e).__name__}: {e}"
        write_atomic(Path(out_dir) / name / RECORD, json.dumps(record, indent=2, ensure_ascii=False, default=str))


@dataclass
class BatchResult:
    graded: list[str]
    skipped: list[str]
    failed: list[str]
    seconds: float


def _context():
    ctx = mp.get_context("forkserver")
    try:
        ctx.set_forkserver_preload(["torch", "numpy", "pytest", "autograder.runner", "autograder.checks", "autograder.exporters.gradescope"])
    except (AttributeError, ValueError):
        pass
    return ctx


def run_batch(ctx, subs: list[Path], out_dir: Path, jobs: int = 2, force: bool = False, progress=None) -> BatchResult:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    todo, skipped = [], []
    for s in subs:
        name = slot_name(s, taken)
        if not force and (out_dir / name / RECORD).is_file() and (out_dir / name / RESULTS).is_file():
            skipped.append(name)
        else:
            todo.append((s, name))
    t0 = time.monotonic()
    mpctx = _context()
    hard_limit = ctx.course.limits.submission_seconds + 120 + 30 * 8
    running: list[tuple] = []
    graded, failed = [], []
    queue = list(todo)
    while queue or running:
        while queue and len(running) < max(1, jobs):
            s, name = queue.pop(0)
            p = mpctx.Process(target=_child, args=(ctx, str(s), name, str(out_dir)), daemon=True)
            p.start()
            running.append((p, s, name, time.monotonic()))
        time.sleep(0.02)
        for item in list(running):
            p, s, name, started = item
            if p.is_alive() and time.monotonic() - started < hard_limit:
                continue
            if p.is_alive():
                p.kill()
            p.join()
            running.remove(item)
            if not (out_dir / name / RECORD).is_file() or p.exitcode not in (0, None):
                if not (out_dir / name / RECORD).is_file():
                    write_record(out_dir, failed_record(ctx, s, name, f"grading stopped unexpectedly (exit code {p.exitcode})"), ctx.course, ctx.lang)
                failed.append(name)
            graded.append(name)
            if progress:
                progress(name)
    return BatchResult(graded, skipped, failed, time.monotonic() - t0)
