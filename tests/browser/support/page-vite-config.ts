// The Vite config of a browser test page that uses the BUILT library (dist/), imported as an app
// imports "proofline", with its prover worker bundled by Vite the way a consumer's build does.
import { fileURLToPath } from "node:url";
import { defineConfig, type UserConfig } from "vite";

const repo = fileURLToPath(new URL("../../..", import.meta.url));

/** `pageDir`: the page's folder (its index.html); the build goes to `pageDir/dist`. */
export function builtLibraryPage(pageDir: string): UserConfig {
  return defineConfig({
    root: pageDir,
    base: "./",
    resolve: { alias: [{ find: /^proofline$/, replacement: `${repo}dist/index.js` }, { find: /^proofline\/ebsl$/, replacement: `${repo}dist/ebsl.js` }] },
    worker: { format: "es" },
    build: { outDir: `${pageDir}dist`, emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 2000 },
    logLevel: "warn",
  });
}
