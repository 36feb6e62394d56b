// The browser bench's page (bench/browser.mjs): proofline from its built entry, and a plain
// module worker running bare snarkjs on the same page for comparison.
import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const repo = fileURLToPath(new URL("../..", import.meta.url));

export default defineConfig({
  root: here,
  base: "./",
  resolve: { alias: [{ find: /^proofline$/, replacement: `${repo}dist/index.js` }, { find: /^proofline\/ebsl$/, replacement: `${repo}dist/ebsl.js` }] },
  worker: { format: "es" },
  build: {
    outDir: `${here}dist`,
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 2000,
    // index.html: bench/browser.mjs; latency.html: `npm run bench -- latency --browser`;
    // core.html: `npm run bench -- core --browser`; scale.html: `npm run bench -- scale`.
    rollupOptions: { input: { index: `${here}index.html`, latency: `${here}latency.html`, core: `${here}core.html`, scale: `${here}scale.html` } },
  },
  logLevel: "warn",
});
