#!/usr/bin/env bash
# The README's test command (`npm test`): build the package (the Node integration tests run the
# built worker, as a consumer would), then every suite. Fails on the first failing suite.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "native:check (bn254.wasm rebuilt from native/bn254 with the pinned clang, byte for byte)"
npm run --silent native:check

step "native:fuzz (bn254 C entry points, libFuzzer + ASan + UBSan, 20 s; longer by hand: npm run native:fuzz -- --seconds 3600)"
npm run --silent native:fuzz -- --seconds 20

step "typecheck"
npx tsc --noEmit -p tsconfig.json

step "build"
npm run --silent build

step "unit tests (vitest, happy-dom)"
npx vitest run --project unit --reporter=default --reporter=json --outputFile.json=.tmp/unit.json

step "integration tests (Node, real workers, real snarkjs)"
npx vitest run --project integration --reporter=default --reporter=json --outputFile.json=.tmp/integration.json

step "browser end-to-end tests (Debian Chromium via playwright-core)"
npx vitest run --config tests/browser/vitest.config.ts --reporter=default --reporter=json --outputFile.json=.tmp/browser.json

step "circuits:check (recompile, compare r1cs and artifact hashes)"
npm run --silent circuits:check

step "evidence pack (every capability proved at run time against dist/)"
npm run --silent evidence

node scripts/test-summary.mjs .tmp/unit.json .tmp/integration.json .tmp/browser.json
