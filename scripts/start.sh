#!/usr/bin/env bash
# `npm start`: install what is missing, then run the bot (embedded defaults unless configured).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
export DOTENV_CONFIG_QUIET=true
if [ -f dist/main.js ] && [ "${NODE_ENV:-}" = "production" ]; then
  exec node dist/main.js
fi
exec node_modules/.bin/tsx src/main.ts
