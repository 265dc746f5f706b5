#!/usr/bin/env bash
# The committed package-lock.json must be complete: resolving the tree again (as `npm install` does
# on a fresh clone, on any platform) must not change a line of it. A lockfile made when the registry
# lacked other platforms' optional packages fails here, and `npm ci` would refuse it on a Mac.
set -euo pipefail
cd "$(dirname "$0")/.."
before=$(sha256sum package-lock.json)
npm install --package-lock-only --no-audit --no-fund >/dev/null
after=$(sha256sum package-lock.json)
if [ "$before" != "$after" ]; then
  git --no-pager diff --stat package-lock.json || true
  echo "check-lockfile: package-lock.json is incomplete: npm install rewrote it (expected no change)." >&2
  exit 1
fi
echo "check-lockfile: package-lock.json is complete (npm install leaves it unchanged)"
