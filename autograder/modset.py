"""Loads a set of course modules (reference, a mistake variant) as one isolated namespace.

Course modules import each other by bare name (``from attention import softmax``); a private
import hook serves those names from the chosen files, so several sets coexist in one process.
Only trusted code is loaded this way: never a student's.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

from autograder.student import COURSE_MODULES

_lock = threading.Lock()


class _Finder(importlib.abc.MetaPathFinder):
    def __init__(self, paths: dict[str, Path]):
        self.paths = paths

    def find_spec(self, name, path=None, target=None):
        if name in self.paths:
            return importlib.util.spec_from_file_location(name, self.paths[name])
        return None


def load_modset(paths: dict[str, Path]) -> SimpleNamespace:
    with _lock:
        saved = {n: sys.modules.pop(n) for n in COURSE_MODULES if n in sys.modules}
        finder = _Finder({k: Path(v) for k, v in paths.items()})
        sys.meta_path.insert(0, finder)
        loaded = {}
        try:
            for name in paths:
                loaded[name] = importlib.import_module(name)
        finally:
            sys.meta_path.remove(finder)
            for n in COURSE_MODULES:
                sys.modules.pop(n, None)
            sys.modules.update(saved)
    return SimpleNamespace(**loaded)


def folder_paths(folder: Path, modules=COURSE_MODULES) -> dict[str, Path]:
    return {m: Path(folder) / f"{m}.py" for m in modules if (Path(folder) / f"{m}.py").is_file()}
