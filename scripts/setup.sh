#!/usr/bin/env bash
# Installs everything the kit needs from this repository's own files (idempotent).
# System: bubblewrap (the sandbox's level 3) when we may use apt-get. Python: the kit, pinned deps.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"

if ! command -v bwrap >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "setup: installing bubblewrap (sandbox level 3)"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null
  else
    echo "setup: bubblewrap is not installed and apt-get is not usable here; grading will run at a lower sandbox level" >&2
  fi
fi

here="$(pwd -P)"
installed="$(cd / && "$PY" -c 'import autograder, os; print(os.path.dirname(os.path.dirname(os.path.realpath(autograder.__file__))))' 2>/dev/null || true)"
if ! "$PY" -c "import torch, nbgrader, rich, pydantic, pyseccomp, hypothesis, yaml" >/dev/null 2>&1 || [ "$installed" != "$here" ]; then
  echo "setup: installing the kit and its pinned dependencies (torch==2.13.0 CPU)"
  "$PY" -m pip install -q --disable-pip-version-check torch==2.13.0
  "$PY" -m pip install -q --disable-pip-version-check -e ".[dev]"
fi
# rfc3987-syntax (pulled in by the Jupyter stack) makes `import nbformat` ~3 s slower; nothing needs it here.
"$PY" -m pip uninstall -y -q rfc3987-syntax >/dev/null 2>&1 || true
echo "setup: ok ($("$PY" -c 'from autograder.sandbox import best_level, LEVEL_NAMES; print("sandbox", LEVEL_NAMES[best_level()])'))"
