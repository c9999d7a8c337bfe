"""Self-test: proves the suites tell right from wrong, and that hostile code gains nothing.

Grades, in one batch and with one seed: the reference (must get 100 %), the stubs (0 % on every
component), the wheats (alternative correct solutions: 100 %), every mistake of the bank (loses
points on its own component, and the feedback names it) and the exploit corpus (gains nothing,
and costs the honest submissions graded beside it nothing). Prints one table; exits 1 on any miss.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder.course import CONTRACT_MODULES


@dataclass
class Case:
    name: str
    group: str  # reference | stubs | wheats | mistakes | exploits
    folder: Path
    component: str | None = None  # the component a mistake or wheat is about
    mistake_id: str | None = None
    expect: dict = field(default_factory=dict)  # exploits: component -> max score allowed
    description: str = ""


def _fill(dest: Path, root: Path, files: dict[str, Path]) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for m in CONTRACT_MODULES:
        src = files.get(f"{m}.py", root / "solutions" / f"{m}.py")
        shutil.copyfile(src, dest / f"{m}.py")


def build_cases(root: Path, course, work: Path, groups: list[str], only: list[str] | None, fast: bool) -> list[Case]:
    from autograder.mistakes import load_bank, mistake_submission
    from autograder.release.stubs import stub_files

    cases: list[Case] = []
    want = lambda comp: not only or comp in only  # noqa: E731
    if "reference" in groups:
        d = work / "reference"
        _fill(d, root, {})
        cases.append(Case("reference", "reference", d))
    if "stubs" in groups:
        d = work / "stubs"
        d.mkdir(parents=True)
        for name, text in stub_files(root / "solutions", list(CONTRACT_MODULES)).items():
            (d / name).write_text(text)
        cases.append(Case("stubs", "stubs", d))
    if "wheats" in groups:
        seen_comp: set[str] = set()
        for w in sorted((root / "tests" / "wheats").glob("*/")):
            files = {f.name: f for f in w.glob("*.py") if f.stem in CONTRACT_MODULES}
            comps = sorted(f[:-3] for f in files)
            if not files or not any(want(c) for c in comps):
                continue
            if fast and set(comps) <= seen_comp:
                continue  # fast: one wheat per component
            seen_comp.update(comps)
            d = work / f"wheat-{w.name}"
            _fill(d, root, files)
            cases.append(Case(f"wheat-{w.name}", "wheats", d, component=",".join(comps)))
    if "mistakes" in groups:
        bank = load_bank(root)
        for module, mistakes in bank.items():
            if not want(module):
                continue
            for i, m in enumerate(mistakes):
                if fast and i % 4:
                    continue  # fast: every fourth mistake
                d = mistake_submission(root, m, work / f"mistake-{module}-{m.id}")
                cases.append(Case(f"mistake-{module}-{m.id}", "mistakes", d, component=module, mistake_id=m.id, description=m.name.get("en", "")))
    if "exploits" in groups:
        for x in sorted((root / "tests" / "exploits").glob("*/")):
            meta_f = x / "exploit.json"
            if not meta_f.is_file():
                continue
            meta = json.loads(meta_f.read_text())
            files = {f.name: f for f in x.glob("*.py") if f.stem in CONTRACT_MODULES}
            d = work / f"exploit-{x.name}"
            _fill(d, root, files)
            for extra in x.iterdir():
                if extra.name not in files and extra.name != "exploit.json" and extra.is_file():
                    shutil.copyfile(extra, d / extra.name)
            expect = {c: 0.0 for c in files and [f[:-3] for f in files]}
            expect.update({k: float(v) for k, v in meta.get("max_score", {}).items()})
            cases.append(Case(f"exploit-{x.name}", "exploits", d, expect=expect, description=meta.get("description", "")))
    return cases


def judge(case: Case, rec: dict, course) -> tuple[bool, str]:
    comps = {c["module"]: c for c in rec.get("components", [])}
    full = {m: course.component(m).points for m in course.modules}
    if rec.get("grading_error"):
        return False, f"grading error: {rec['grading_error']}"
    if case.group in ("reference", "wheats"):
        lost = [f"{m} {c['score']:.2f}/{full[m]:g}" for m, c in comps.items() if abs(c["score"] - full[m]) > 1e-6]
        if lost:
            why = next((f"{c['component']}: {c['title']}: {c['message']}" for c in rec["checks"] if not c["passed"]), "")
            return False, "lost points: " + ", ".join(lost) + (f" — first failure: {why[:200]}" if why else "")
        return True, "full marks"
    if case.group == "stubs":
        scored = [m for m, c in comps.items() if c["score"] > 0]
        return (not scored), ("0 on every component" if not scored else "scored on " + ", ".join(scored))
    if case.group == "mistakes":
        m = case.component
        c = comps[m]
        if c["score"] >= full[m] - 1e-9:
            return False, "NOT CAUGHT: full marks on its component"
        others = [o for o, cc in comps.items() if o != m and abs(cc["score"] - full[o]) > 1e-6]
        fails = [ch for ch in rec["checks"] if ch["component"] == m and not ch["passed"]]
        named = any((ch.get("mistake") or {}).get("id") == case.mistake_id or case.mistake_id in (ch.get("mistake") or {}).get("also", []) for ch in fails)
        note = f"{len(fails)} check(s) fail, {c['score']:.2f}/{full[m]:g}; " + ("named" if named else "NOT NAMED")
        if others:
            note += "; also lost on " + ", ".join(others)
        return True, note
    if case.group == "exploits":
        over = []
        for m, c in comps.items():
            allowed = case.expect.get(m, full[m])
            if c["score"] > allowed + 1e-6:
                over.append(f"{m} {c['score']:.2f} > {allowed:g}")
        return (not over), ("gained nothing" if not over else "GAINED: " + ", ".join(over))
    return False, "unknown group"


def run_selftest(args) -> int:
    from rich.console import Console
    from rich.table import Table

    from autograder.batch import RECORD, run_batch
    from autograder.cli import _root
    from autograder.course import load_course
    from autograder.runner import GradeContext, collect_manifest, new_seed
    from autograder.sandbox import LEVEL_NAMES, best_level

    root = _root(args)
    course = load_course(root / "course.yml")
    con = Console(highlight=False)
    groups = args.groups or (["reference", "stubs", "wheats", "mistakes"] if args.fast else ["reference", "stubs", "wheats", "mistakes", "exploits"])
    work = Path(tempfile.mkdtemp(prefix="selftest-"))
    out = Path(args.out) if args.out else work / "results"
    subs_dir = work / "subs"
    cases = build_cases(root, course, subs_dir, groups, args.only, args.fast)
    level = best_level() if args.level is None else args.level
    seed = new_seed() if args.seed is None else args.seed
    manifest = collect_manifest(root, "hidden", only=None)
    ctx = GradeContext(course=course, root=root, seed=seed, level=level, manifest=manifest, out_dir=out.resolve())
    con.print(f"selftest: {len(cases)} submissions, {len(manifest)} hidden checks, {LEVEL_NAMES[level]}, seed {seed}")
    t0 = time.monotonic()
    run_batch(ctx, [c.folder for c in cases], out, jobs=args.jobs, force=True)
    table = Table(title=f"selftest (seed {seed}, {LEVEL_NAMES[level]}, {time.monotonic() - t0:.0f} s)")
    for col in ("group", "submission", "verdict", "detail"):
        table.add_column(col, overflow="fold")
    bad = 0
    stats = {"mistakes": 0, "caught": 0, "named": 0}
    for c in cases:
        rec_f = out / c.folder.name / RECORD
        rec = json.loads(rec_f.read_text()) if rec_f.is_file() else {"grading_error": "no record"}
        ok, note = judge(c, rec, course)
        if c.group == "mistakes":
            stats["mistakes"] += 1
            stats["caught"] += ok
            stats["named"] += ok and "NOT NAMED" not in note
        bad += not ok
        table.add_row(c.group, c.name, "[green]ok[/]" if ok else "[red]FAIL[/]", note)
    con.print(table)
    if stats["mistakes"]:
        kill = 100 * stats["caught"] / stats["mistakes"]
        name = 100 * stats["named"] / stats["mistakes"]
        con.print(f"mistakes: {stats['mistakes']}, kill rate {kill:.1f} % (goal 100 %), naming rate {name:.1f} % (goal >= 90 %)")
        if name < 90:
            bad += 1
    con.print(f"{len(cases) - bad} passed, {bad} failed")
    if not args.out:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if bad else 0
