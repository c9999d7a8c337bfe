"""Instructor commands beyond grading: release, selftest, export, report."""

from __future__ import annotations

from pathlib import Path


def _root_course(args):
    from autograder.cli import _root
    from autograder.course import load_course

    root = _root(args)
    return root, load_course(root / "course.yml")


def cmd_release(args) -> int:
    from rich.console import Console

    from autograder.release.assignment import build_assignment, hidden_counts

    root, course = _root_course(args)
    con = Console(highlight=False)
    if args.target == "stubs":
        dest = root / "assignments" / course.assignment
        files = build_assignment(root, course, dest, hidden_counts(root))
        con.print(f"wrote {len(files)} files to {dest}")
        return 0
    if args.target == "student":
        from autograder.release.bundle import build_student_bundle

        out = build_student_bundle(root, course, Path(args.out))
        con.print(f"student bundle: {out}")
        return 0
    if args.target == "nbgrader":
        from autograder.release.nbgrader import build_nbgrader_course

        out = build_nbgrader_course(root, course, Path(args.out))
        con.print(f"nbgrader course: {out}")
        return 0
    if args.target == "gradescope":
        from autograder.release.gradescope import build_gradescope_zip

        out = build_gradescope_zip(root, course, Path(args.out))
        con.print(f"Gradescope autograder: {out}")
        return 0
    return 2


def cmd_selftest(args) -> int:
    from autograder.selftest import run_selftest

    return run_selftest(args)


def cmd_export(args) -> int:
    import json

    from autograder.batch import write_atomic
    from autograder.errors import KitError
    from autograder.exporters.gradebook import load_records, summary, to_csv

    root, course = _root_course(args)
    out = Path(args.results)
    recs = load_records(out)
    if not recs:
        raise KitError(f"no graded submissions in {out} (expected {out}/<student>/record.json)")
    if args.format == "csv":
        dest = Path(args.file) if args.file else out / "grades.csv"
        write_atomic(dest, to_csv(recs, course.modules))
    else:
        dest = Path(args.file) if args.file else out / "grades.json"
        write_atomic(dest, json.dumps(summary(recs, course.modules), indent=2, ensure_ascii=False))
    print(f"{len(recs)} students -> {dest}")
    return 0


def cmd_report(args) -> int:
    from autograder.feedback.classreport import run_report

    return run_report(args)


def cmd_gradescope_run(args) -> int:
    from autograder.cli import _root
    from autograder.release.gradescope import gradescope_run

    return gradescope_run(_root(args), Path(args.autograder_root))


def cmd_nbgrader_grade(args) -> int:
    from autograder.release.nbgrader import run_nbgrader_grade

    return run_nbgrader_grade(args)


def register(sub) -> None:
    r = sub.add_parser("release", help="(instructors) build what students and tools get")
    r.add_argument("target", choices=["stubs", "student", "nbgrader", "gradescope"],
                   help="stubs: assignments/ in this repo; student: a bundle folder + zip; nbgrader: a course; gradescope: autograder.zip")
    r.add_argument("--out", help="output folder or zip (student, nbgrader, gradescope)")
    r.set_defaults(func=cmd_release)

    s = sub.add_parser("selftest", help="(instructors) prove the suites: reference, stubs, wheats, mistakes, exploits")
    s.add_argument("--only", nargs="+", metavar="MODULE", help="only these components")
    s.add_argument("--fast", action="store_true", help="a quick subset for CI: reference, stubs, one wheat per component, every fourth mistake (the exploit corpus runs in the full selftest)")
    s.add_argument("--jobs", type=int, default=2)
    s.add_argument("--seed", type=int, help="seed (default: fresh)")
    s.add_argument("--level", type=int, choices=[0, 1, 2, 3], help="sandbox level (default: best available)")
    s.add_argument("--out", help="keep the graded records here")
    s.add_argument("--groups", nargs="+", choices=["reference", "stubs", "wheats", "mistakes", "exploits"], help="only these groups")
    s.set_defaults(func=cmd_selftest)

    e = sub.add_parser("export", help="(instructors) gradebook of a results folder: csv or json")
    e.add_argument("format", choices=["csv", "json"])
    e.add_argument("results", help="the --out folder of `autograder grade`")
    e.add_argument("--file", help="where to write (default: RESULTS/grades.csv or grades.json)")
    e.set_defaults(func=cmd_export)

    rp = sub.add_parser("report", help="(instructors) class report of a results folder: distributions, frequent mistakes")
    rp.add_argument("results", help="the --out folder of `autograder grade`")
    rp.add_argument("--html", help="also write the report as one HTML page (default: RESULTS/class-report.html)")
    rp.add_argument("--lang", choices=["en", "es"])
    rp.set_defaults(func=cmd_report)

    gs = sub.add_parser("gradescope-run", help="(inside Gradescope) grade /autograder/submission into /autograder/results")
    gs.add_argument("--autograder-root", default="/autograder")
    gs.set_defaults(func=cmd_gradescope_run)

    nb = sub.add_parser("nbgrader-grade", help="(instructors) grade an nbgrader course's submissions with the kit; scores into its gradebook")
    nb.add_argument("course_dir", metavar="NBGRADER_COURSE_DIR", help="the nbgrader course (holds submitted/ and gradebook.db)")
    nb.add_argument("--assignment", help="assignment name (default: course.yml's assignment)")
    nb.add_argument("--out", help="the kit's records and feedback (default: NBGRADER_COURSE_DIR/autograder-results)")
    nb.add_argument("--db", help="gradebook database URL (default: nbgrader's, from nbgrader_config.py)")
    nb.add_argument("--jobs", type=int, default=2)
    nb.add_argument("--seed", type=int, help="replay a grading run bit for bit (default: a fresh secret seed)")
    nb.add_argument("--level", type=int, choices=[0, 1, 2, 3], help="sandbox level (default: the best this machine offers)")
    nb.add_argument("--unofficial", action="store_true", help="allow a level below the course's minimum")
    nb.add_argument("--only", nargs="+", metavar="MODULE", help="grade only these components (others keep their gradebook scores)")
    nb.add_argument("--resume", action="store_true", help="keep kit records already in --out instead of grading again")
    nb.add_argument("--lang", choices=["en", "es"])
    nb.set_defaults(func=cmd_nbgrader_grade)
