#!/usr/bin/env bash
# The main job: set up, then grade the bundled example submissions and show each student's feedback.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
PY="${PYTHON:-python3}"
"$PY" -m autograder grade examples/submissions --out results/examples --force --feedback
