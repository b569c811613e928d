#!/usr/bin/env bash
# `npm run demo`: installs dependencies when needed, makes sure MariaDB (and Redis) answer, builds,
# then starts Tally with a demo catalog and prints a ready-to-use API key.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[demo] installing dependencies (npm install)"
  npm install --no-audit --no-fund
fi
bash scripts/ensure-services.sh
echo "[demo] building"
npm run --silent build
exec node dist/src/main.js --demo
