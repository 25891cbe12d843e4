#!/usr/bin/env bash
# Installs what the project needs on a fresh machine, and nothing when it is already there.
#   node packages: `npm install` when node_modules is missing or older than package.json / the lockfile;
#   with --system: redis-server and chromium from Debian's apt (needed by the test suite only).
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package.json -nt "$stamp" ] || { [ -f package-lock.json ] && [ package-lock.json -nt "$stamp" ]; }; then
  echo "› installing node packages (npm install)…"
  # npm install, not npm ci: this registry 404s foreign-platform optional packages (see docs).
  npm install --no-audit --no-fund --loglevel=error
fi

if [ "${1:-}" = "--system" ]; then
  missing=()
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then missing+=(chromium); fi
  if [ ${#missing[@]} -gt 0 ]; then
    echo "› installing ${missing[*]} (apt-get)…"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    # Do not let the redis-server package start a system service (port 6379 may be taken):
    # tests start their own servers on free ports.
    created_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
      $SUDO chmod +x /usr/sbin/policy-rc.d
      created_policy=1
    fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    [ "$created_policy" -eq 0 ] || $SUDO rm -f /usr/sbin/policy-rc.d
  fi
fi
