#!/usr/bin/env bash
# Set up, then run the kit's own tests and the fast self-test of the hidden suites.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
PY="${PYTHON:-python3}"
"$PY" -m pytest tests/kit -q -p no:cacheprovider
rc=$?
if [ "$rc" = 5 ]; then echo "test: pytest collected no tests: the kit's test suite is missing" >&2; exit 1; fi
[ "$rc" = 0 ] || exit "$rc"
"$PY" -m autograder selftest --fast || exit 1
