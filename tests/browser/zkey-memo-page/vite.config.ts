// The zkey check memo's test page (tests/browser/zkey-check-memo.test.ts builds it): the worker's
// own modules from source, run on the page (IndexedDB is the same there as in the worker).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root: here,
  base: "./",
  build: { outDir: `${here}dist`, emptyOutDir: true, target: "es2022" },
  logLevel: "warn",
});
