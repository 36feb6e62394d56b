// The adaptive-threads test page (tests/browser/adaptive-threads.test.ts builds it): the
// BUILT library (dist/), imported as an app imports "proofline", and its prover worker bundled
// by Vite the way a consumer's build bundles it.
import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const repo = fileURLToPath(new URL("../../..", import.meta.url));

export default defineConfig({
  root: here,
  base: "./",
  resolve: { alias: [{ find: /^proofline$/, replacement: `${repo}dist/index.js` }, { find: /^proofline\/ebsl$/, replacement: `${repo}dist/ebsl.js` }] },
  worker: { format: "es" },
  build: { outDir: `${here}dist`, emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 2000 },
  logLevel: "warn",
});
