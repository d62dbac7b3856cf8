#!/usr/bin/env bash
# Builds dist/ only when a source file or a build setting changed since the last build, so a warm
# `npm start` or `npm run odoo-stream` does not wait for tsc (about 4 s even when nothing changed).
# A deleted or renamed file changes its folder's time, so it counts as a change too.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
stamp="$root/dist/.build-stamp"
inputs=("$root/apps" "$root/libs" "$root/bench" "$root/tsconfig.json" "$root/tsconfig.build.json" "$root/package-lock.json")
if [ -f "$stamp" ] && [ -z "$(find "${inputs[@]}" -newer "$stamp" -print -quit 2>/dev/null)" ]; then
  exit 0
fi
# The stamp's time is taken before tsc runs: a file saved during the build is built next time.
next="$(mktemp)"
cd "$root"
npm run --silent build
mkdir -p "$root/dist"
mv "$next" "$stamp"
