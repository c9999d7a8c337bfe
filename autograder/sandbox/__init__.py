"""The sandbox: where student code runs, out of the grader's process.

``agrt/`` is the runtime inside the sandbox; ``process`` is the grader's side of it; ``levels``
finds which isolation this machine offers and builds the bubblewrap command.
"""

from autograder.sandbox.levels import LEVEL_NAMES, best_level
from autograder.sandbox.process import Sandbox, SandboxConfig, SandboxFailure, private_copy, remove_copy

__all__ = ["LEVEL_NAMES", "best_level", "Sandbox", "SandboxConfig", "SandboxFailure", "private_copy", "remove_copy"]
