// Real-browser suite: Debian's Chromium (/usr/bin/chromium) driven by playwright-core against
// the built demo. Run: npx vitest run --config tests/browser/vitest.config.ts
import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    name: "browser",
    include: ["tests/browser/**/*.test.ts"],
    environment: "node",
    // snarkjs is imported in Node to verify page proofs: forks, not threads (snarkjs fails to import under threads).
    pool: "forks",
    fileParallelism: false,
    globalSetup: ["tests/browser/support/global-setup.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
