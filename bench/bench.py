"""Grading speed benchmark: the kit (sandboxed) against the unsafe in-process baseline and nbgrader.

Prints figures side by side from one run on this machine (never a timed unit test):
  python bench/bench.py [--n 100] [--jobs 2] [--nbgrader-n 10]
N submissions: a mix of correct ones (the reference) and mistakes from the bank.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants (bytes), from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                parts = f.read().rsplit(")", 1)[1].split()
            ppid, pages = int(parts[1]), int(parts[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(d))
        rss[int(d)] = pages * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


class PeakMemory:
    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self.t = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            time.sleep(0.2)

    def __enter__(self):
        self.t.start()
        return self

    def __exit__(self, *a):
        self._stop.set()
        self.t.join()


def make_submissions(n: int, dest: Path) -> list[Path]:
    from autograder.mistakes import load_bank, mistake_submission

    bank = [m for ms in load_bank(ROOT).values() for m in ms]
    subs = []
    for i in range(n):
        d = dest / f"s{i:03d}"
        if i % 2 == 0:
            d.mkdir(parents=True)
            for f in (ROOT / "examples/submissions/ada-correct").glob("*.py"):
                shutil.copyfile(f, d / f.name)
        else:
            mistake_submission(ROOT, bank[(i // 2) % len(bank)], d)
        subs.append(d)
    return subs


def time_torch_import(reps: int = 3) -> float:
    ts = []
    for _ in range(reps):
        t = time.monotonic()
        subprocess.run([sys.executable, "-c", "import torch"], check=True)
        ts.append(time.monotonic() - t)
    return statistics.median(ts)


def bench_kit(subs: list[Path], jobs: int, out: Path) -> dict:
    t = time.monotonic()
    with PeakMemory(os.getpid()) as mem:
        r = subprocess.run([sys.executable, "-m", "autograder", "--course-root", str(ROOT), "grade", *map(str, subs), "--out", str(out),
                            "--jobs", str(jobs), "--seed", "1", "--force", "--unofficial"], capture_output=True, text=True)
    wall = time.monotonic() - t
    if r.returncode != 0:
        raise SystemExit(r.stderr)
    per = [json.loads((out / s.name / "record.json").read_text())["seconds"] for s in subs]
    level = json.loads((out / subs[0].name / "record.json").read_text())["level_name"]
    return {"wall": wall, "per_sub_median": statistics.median(per), "per_sub_p10": sorted(per)[len(per) // 10],
            "per_sub_p90": sorted(per)[(9 * len(per)) // 10], "amortised": wall / len(subs), "peak_mb": mem.peak / 2**20, "level": level}


BASELINE = r'''
import sys, time, json, contextlib, io
from pathlib import Path
import pytest
root = Path(sys.argv[1]); subs = sys.argv[2:]
from autograder.course import load_course
from autograder.plugin import GradingPlugin
from autograder.runner import _pytest_args
from autograder.student import Student
from autograder.backends import LocalBackend
course = load_course(root / "course.yml")
per = []
for s in subs:
    t = time.monotonic()
    st = Student(LocalBackend(Path(s)), 1e9, 1e9)
    p = GradingPlugin(st, 1, root / "solutions", {"rtol": course.tolerances.rtol, "atol": course.tolerances.atol})
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        pytest.main(_pytest_args([str(root / "tests" / "hidden")], root), plugins=[p])
    per.append(time.monotonic() - t)
print(json.dumps(per))
'''


def bench_inprocess(subs: list[Path]) -> dict:
    """The unsafe baseline: student code imported into the grading process, one pytest run per submission."""
    t = time.monotonic()
    r = subprocess.run([sys.executable, "-c", BASELINE, str(ROOT), *map(str, subs)], capture_output=True, text=True)
    wall = time.monotonic() - t
    if r.returncode != 0:
        raise SystemExit(r.stderr[-3000:])
    per = json.loads(r.stdout.strip().splitlines()[-1])
    return {"wall": wall, "per_sub_median": statistics.median(per), "amortised": wall / len(subs)}


def bench_nbgrader(n: int, work: Path) -> dict | None:
    try:
        from autograder.release import nbgrader as nbr  # noqa: F401
    except ImportError:
        return None
    if not hasattr(nbr, "bench_autograde"):
        return None
    return nbr.bench_autograde(ROOT, n, work)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--nbgrader-n", type=int, default=10)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    subs = make_submissions(args.n, work / "subs")
    print(f"machine: {os.cpu_count()} cores, {os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GiB; N={args.n}, jobs={args.jobs}")
    torch_s = time_torch_import()
    kit = bench_kit(subs, args.jobs, work / "out")
    base = bench_inprocess(subs)
    nb = bench_nbgrader(args.nbgrader_n, work / "nb")
    print(f"python -c 'import torch'        median {torch_s:.2f} s")
    print(f"kit ({kit['level']}, --jobs {args.jobs})  wall {kit['wall']:.1f} s, amortised {kit['amortised']:.2f} s/submission, "
          f"per-submission median {kit['per_sub_median']:.2f} s (p10 {kit['per_sub_p10']:.2f}, p90 {kit['per_sub_p90']:.2f}), peak memory {kit['peak_mb']:.0f} MB")
    print(f"in-process pytest (unsafe)      wall {base['wall']:.1f} s, amortised {base['amortised']:.2f} s/submission, per-submission median {base['per_sub_median']:.2f} s")
    if nb:
        print(f"nbgrader autograde              per-submission median {nb['per_sub_median']:.2f} s over {nb['n']} students")
    print("ratios:")
    print(f"  kit amortised / in-process amortised  = {kit['amortised'] / base['amortised']:.2f}  (target <= 2)")
    print(f"  kit amortised / torch import          = {kit['amortised'] / torch_s:.2f}  (target <= 0.15)")
    if nb:
        print(f"  nbgrader per-submission / kit amortised = {nb['per_sub_median'] / kit['amortised']:.1f}  (target >= 10)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
