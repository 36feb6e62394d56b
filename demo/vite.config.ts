// Vite config of the demo: a dapp's view of proofline. The library is imported as "proofline"
// and resolved to the package's BUILT entry (dist/index.js), exactly what a consumer gets from
// node_modules, so the demo exercises the shipped worker literal and bundling, not src/.
import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { fileURLToPath } from "node:url";
import { createReadStream, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, normalize, sep } from "node:path";
import type { Plugin } from "vite";

const demo = fileURLToPath(new URL(".", import.meta.url));
const repo = fileURLToPath(new URL("..", import.meta.url));

/** Dev server only: serve the installed @proofline/circuits under /circuits/ (scripts/demo-server.mjs does it for the build). */
function serveCircuits(): Plugin {
  const base = normalize(dirname(createRequire(import.meta.url).resolve("@proofline/circuits/manifest.json")));
  return {
    name: "demo:serve-circuits",
    configureServer(server) {
      server.middlewares.use("/circuits/", (req, res, next) => {
        const file = normalize(join(base, decodeURIComponent((req.url ?? "/").split("?")[0]!)));
        if (!file.startsWith(base + sep)) return next();
        try {
          if (!statSync(file).isFile()) return next();
        } catch {
          return next();
        }
        res.setHeader("content-type", file.endsWith(".wasm") ? "application/wasm" : file.endsWith(".json") ? "application/json" : "application/octet-stream");
        createReadStream(file).pipe(res);
      });
    },
  };
}

export default defineConfig({
  root: demo,
  // Relative asset URLs: the demo works under any path prefix.
  base: "./",
  plugins: [
    svelte({
      // Components read their `session` prop once on purpose: it is created once in main.ts.
      compilerOptions: { warningFilter: (w) => w.code !== "state_referenced_locally" },
    }),
    serveCircuits(),
  ],
  resolve: {
    alias: [{ find: /^proofline$/, replacement: `${repo}dist/index.js` }, { find: /^proofline\/ebsl$/, replacement: `${repo}dist/ebsl.js` }],
  },
  // What a consumer needs (README): the prover worker is an ES module worker (it uses import),
  // and the dev server must pre-bundle snarkjs and ffjavascript up front: discovered late (they are
  // only imported by the worker), they make Vite re-optimize and reload the page mid-proof.
  worker: { format: "es" },
  optimizeDeps: { include: ["snarkjs", "ffjavascript"] },
  build: {
    outDir: `${demo}dist`,
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 2000,
  },
  server: { host: "127.0.0.1", port: 5173, strictPort: false },
  preview: { host: "127.0.0.1" },
});
