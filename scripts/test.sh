#!/usr/bin/env bash
# `npm test`: the whole suite on a fresh machine. Installs node packages, redis-server and
# chromium when missing, type-checks, lints, runs every Jest project, and ends with the plain line
# `N passed, N failed` that CI reads. Extra arguments go to Jest (e.g. a path filter).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --system || { echo "0 passed, 1 failed"; exit 1; }

failed_steps=0
echo "› type-check (tsc --noEmit)"
if ! node_modules/.bin/tsc --noEmit; then echo "type-check failed"; failed_steps=$((failed_steps + 1)); fi
echo "› lint (eslint)"
if ! node_modules/.bin/eslint --max-warnings=0 .; then echo "lint failed"; failed_steps=$((failed_steps + 1)); fi

echo "› tests (jest)"
rm -f .jest-results.json
# --forceExit: a server leaked by a failed hook must not keep CI waiting forever (the failure
# itself is still reported and counted).
DOTENV_CONFIG_QUIET=true node_modules/.bin/jest --json --outputFile=.jest-results.json --forceExit "$@"
jest_rc=$?
node scripts/print-summary.js .jest-results.json "$failed_steps"
summary_rc=$?
if [ $jest_rc -ne 0 ] || [ $failed_steps -ne 0 ] || [ $summary_rc -ne 0 ]; then exit 1; fi
