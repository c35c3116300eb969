#!/usr/bin/env bash
# Runs every test: type-check and build, then unit, integration and end-to-end tests (real redis-server,
# PostgreSQL, PGlite and Chromium), and ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh test || exit 1
{ npx tsc -b && npx tsc -p test; } || { echo "0 passed, 1 failed"; exit 1; }
results=$(mktemp)
npx vitest run --reporter=default --reporter=json --outputFile.json="$results" "$@"
status=$?
node scripts/summarize-tests.mjs "$results"
summary=$?
rm -f "$results"
[ $status -eq 0 ] && [ $summary -eq 0 ]
