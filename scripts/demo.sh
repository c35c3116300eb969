#!/usr/bin/env bash
# One command on a fresh machine: install what is missing, build, and run the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npx tsc -b
exec node apps/cli/dist/main.js demo "$@"
