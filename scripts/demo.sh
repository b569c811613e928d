#!/usr/bin/env bash
# `npm run demo`: installs dependencies when needed, makes sure MariaDB (and Redis) answer, builds,
# then starts Tally with the AI call-center demo (seeds/002) alive and prints a ready-to-use API key.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[demo] installing dependencies (npm install)"
  npm install --no-audit --no-fund
fi
# Chromium is for the browser tests only: the demo does not need it.
bash scripts/ensure-services.sh --skip-chromium
echo "[demo] building"
npm run --silent build
exec node dist/src/main.js --demo
