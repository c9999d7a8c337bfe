"""The mistake bank: realistic wrong solutions, each the reference with one concept changed.

A mistake is written as a patch on the reference source (exact text replaced by other text), so
the bank stays small and follows the reference when it changes; a patch that no longer applies is
a failing kit test, not a silent gap. ``tests/mistakes/<module>.py`` holds ``MISTAKES = [...]``.
"""

from __future__ import annotations

import functools
import importlib.util
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from autograder.student import COURSE_MODULES


@dataclass(frozen=True)
class Mistake:
    id: str
    name: dict  # {"en": ..., "es": ...}
    fix: dict  # {"en": ..., "es": ...}
    patch: tuple  # ((old, new), ...) applied to solutions/<module>.py
    module: str = ""
    extra: dict = field(default_factory=dict)

    def text(self, what: str, lang: str) -> str:
        d = getattr(self, what)
        return d.get(lang) or d.get("en") or ""

    def as_record(self) -> dict:
        return {"id": self.id, "module": self.module, "name": dict(self.name), "fix": dict(self.fix)}


class PatchError(Exception):
    pass


def apply_patch(source: str, patch, where: str = "") -> str:
    for old, new in patch:
        n = source.count(old)
        if n != 1:
            raise PatchError(f"{where}: the text to replace occurs {n} times (must be exactly once): {old[:80]!r}")
        source = source.replace(old, new)
    return source


def bank_dir(root: Path) -> Path:
    return Path(root) / "tests" / "mistakes"


@functools.lru_cache(maxsize=8)
def load_bank(root: Path) -> dict[str, list[Mistake]]:
    """module -> its mistakes (with ``module`` filled in). Files that fail to load raise."""
    bank: dict[str, list[Mistake]] = {m: [] for m in COURSE_MODULES}
    d = bank_dir(root)
    for module in COURSE_MODULES:
        f = d / f"{module}.py"
        if not f.is_file():
            continue
        spec = importlib.util.spec_from_file_location(f"_mistakes_{module}", f)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        for m in getattr(mod, "MISTAKES", []):
            bank[module].append(Mistake(m.id, m.name, m.fix, tuple(tuple(p) for p in m.patch), module, m.extra))
    return bank


def mistake_source(root: Path, mistake: Mistake) -> str:
    src = (Path(root) / "solutions" / f"{mistake.module}.py").read_text(encoding="utf-8")
    return apply_patch(src, mistake.patch, f"{mistake.module}:{mistake.id}")


def mistake_submission(root: Path, mistake: Mistake, dest: Path | None = None) -> Path:
    """A full submission: the reference, with the mistake's module replaced."""
    dest = Path(dest or tempfile.mkdtemp(prefix=f"mistake-{mistake.id}-"))
    dest.mkdir(parents=True, exist_ok=True)
    for m in COURSE_MODULES:
        shutil.copyfile(Path(root) / "solutions" / f"{m}.py", dest / f"{m}.py")
    (dest / f"{mistake.module}.py").write_text(mistake_source(root, mistake), encoding="utf-8")
    return dest


@functools.lru_cache(maxsize=512)
def mistake_modset(root: Path, module: str, mistake_id: str):
    """The reference modules with one mistake in place, loaded in the trusted process."""
    from autograder.modset import folder_paths, load_modset

    mistake = next(m for m in load_bank(root)[module] if m.id == mistake_id)
    tmp = Path(tempfile.mkdtemp(prefix="mistake-"))
    try:
        paths = folder_paths(Path(root) / "solutions")
        target = tmp / f"{module}.py"
        target.write_text(mistake_source(root, mistake), encoding="utf-8")
        paths[module] = target
        return load_modset(paths)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
