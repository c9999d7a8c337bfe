"""The command line: ``autograder grade | check | feedback | selftest | release | export | report``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # the trusted side needs no threads; forks stay safe

from autograder.errors import KitError  # noqa: E402


def _root(args) -> Path:
    root = Path(args.course_root).resolve() if getattr(args, "course_root", None) else _find_root()
    if not (root / "course.yml").is_file():
        raise KitError(f"no course.yml in {root}: run from the course repository or pass --course-root")
    return root


def _find_root() -> Path:
    here = Path.cwd().resolve()
    for p in [here, *here.parents]:
        if (p / "course.yml").is_file():
            return p
    pkg_root = Path(__file__).resolve().parent.parent
    return pkg_root


def _console():
    from rich.console import Console

    return Console(stderr=False, highlight=False)


# ---------------------------------------------------------------- grade
def cmd_grade(args) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from autograder.batch import discover, run_batch
    from autograder.course import load_course
    from autograder.runner import GradeContext, collect_manifest, new_seed
    from autograder.sandbox import LEVEL_NAMES, best_level

    root = _root(args)
    course = load_course(root / "course.yml")
    missing = [p for p in args.submissions if not Path(p).exists()]
    if missing:
        raise KitError(f"submission folder not found: {', '.join(missing)}")
    subs = discover([Path(p) for p in args.submissions])
    if not subs:
        raise KitError("no submissions found: pass a folder holding the course modules, or a folder of such folders")
    level = best_level() if args.level is None else args.level
    available = best_level()
    if level > available:
        raise KitError(f"sandbox level {level} is not available on this machine (best: {LEVEL_NAMES[available]})")
    if level < course.sandbox.min_level and not args.unofficial:
        raise KitError(f"this machine offers {LEVEL_NAMES[level]}, below the course's minimum ({LEVEL_NAMES[course.sandbox.min_level]}) "
                       "for official grading; install bubblewrap, or pass --unofficial to grade anyway")
    seed = new_seed() if args.seed is None else args.seed
    manifest = collect_manifest(root, "hidden", only=args.only)
    ctx = GradeContext(course=course, root=root, seed=seed, level=level, manifest=manifest, out_dir=Path(args.out).resolve(), lang=args.lang)
    con = _console()
    con.print(f"[bold]{course.title}[/]: grading {len(subs)} submission(s) with {len(manifest)} checks at {LEVEL_NAMES[level]}, {args.jobs} at a time")
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("ETA"),
                  TimeRemainingColumn(), console=con, transient=False, disable=not con.is_terminal and not args.progress) as prog:
        task = prog.add_task("grading", total=len(subs))
        result = run_batch(ctx, subs, Path(args.out), jobs=args.jobs, force=args.force, progress=lambda name: prog.advance(task))
    con.print(f"graded {len(result.graded)}, skipped {len(result.skipped)} already graded (use --force to redo), "
              f"{len(result.failed)} with grading problems, in {result.seconds:.1f} s -> {args.out}")
    if args.feedback:
        from autograder.feedback.terminal import render_record
        from autograder.batch import RECORD
        import json

        for name in result.graded + result.skipped:
            rec = json.loads((Path(args.out) / name / RECORD).read_text())
            render_record(rec, con, lang=args.lang or course.language, course=course)
    return 0


# ---------------------------------------------------------------- feedback
def cmd_feedback(args) -> int:
    import json

    from autograder.batch import RECORD
    from autograder.course import load_course
    from autograder.feedback.terminal import render_record

    root = _root(args)
    course = load_course(root / "course.yml")
    con = _console()
    for d in args.results:
        p = Path(d)
        p = p / RECORD if p.is_dir() else p
        if not p.is_file():
            raise KitError(f"no grading record at {p}")
        render_record(json.loads(p.read_text()), con, lang=args.lang or course.language, course=course)
    return 0


# ---------------------------------------------------------------- check (students)
def cmd_check(args) -> int:
    from autograder.public import run_check

    return run_check(args)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="autograder", description="Autograder kit for a 'Transformers from scratch' course.")
    ap.add_argument("--course-root", help="the course repository (default: the nearest folder with course.yml)")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")

    g = sub.add_parser("grade", help="grade submissions with the hidden suites (sandboxed)")
    g.add_argument("submissions", nargs="+", metavar="SUB", help="a submission folder, or a folder of submission folders")
    g.add_argument("--out", required=True, help="results folder: OUT/<submission>/results.json and record.json")
    g.add_argument("--jobs", type=int, default=2, help="submissions graded at once (default 2)")
    g.add_argument("--seed", type=int, help="replay a grading run bit for bit (default: a fresh secret seed)")
    g.add_argument("--force", action="store_true", help="grade again submissions that already have results")
    g.add_argument("--level", type=int, choices=[0, 1, 2, 3], help="sandbox level (default: the best this machine offers)")
    g.add_argument("--unofficial", action="store_true", help="allow a level below the course's minimum")
    g.add_argument("--feedback", action="store_true", help="print each submission's feedback after grading")
    g.add_argument("--progress", action="store_true", help="show the progress bar even when not on a terminal")
    g.add_argument("--lang", choices=["en", "es"], help="feedback language (default: course.yml)")
    g.add_argument("--only", nargs="+", metavar="MODULE", help="grade only these components (for suite authors)")
    g.set_defaults(func=cmd_grade)

    f = sub.add_parser("feedback", help="show the feedback of graded submissions")
    f.add_argument("results", nargs="+", help="OUT/<submission> folders or record.json files")
    f.add_argument("--lang", choices=["en", "es"])
    f.set_defaults(func=cmd_feedback)

    c = sub.add_parser("check", help="(students) run the public checks on your modules")
    c.add_argument("component", nargs="?", help="one component (module name); default: all")
    c.add_argument("--folder", default=".", help="your assignment folder (default: here)")
    c.add_argument("--lang", choices=["en", "es"])
    c.add_argument("--level", type=int, choices=[0, 1, 2, 3], help="sandbox level (default: best available)")
    c.set_defaults(func=cmd_check)

    from autograder import cli_more

    cli_more.register(sub)
    return ap


def main(argv=None) -> int:
    ap = build_parser()
    args = ap.parse_args(argv)
    if not getattr(args, "func", None):
        ap.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KitError as e:
        print(f"autograder: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("autograder: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
