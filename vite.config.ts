import { defineConfig } from "vitest/config";
import { builtinModules } from "node:module";
import pkg from "./package.json" with { type: "json" };
import { keepWorkerLiteral } from "./workers/vite-keep-worker-literal.js";

// Dependencies stay external: the consumer's bundler resolves snarkjs & co. once, and
// snarkjs (GPL-3.0) remains a separate package rather than code inlined into ours.
const external = [
  ...Object.keys(pkg.dependencies ?? {}),
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
];

export default defineConfig({
  // Keeps worker-factory.ts's `new Worker(new URL("./prover.worker.js", import.meta.url))` for
  // consumers' bundlers without our build trying to bundle that worker (see the plugin).
  plugins: [keepWorkerLiteral()],
  build: {
    target: "es2022",
    // Shipped unminified and without source maps: stack traces and debuggers show our own names
    // and comments, and the dapp's bundler minifies anyway. Maps embedding the sources would
    // double the package (dist/ 1.4 MB minified with maps, 0.78 MB as now; the budget is 1 MB,
    // tests/integration/packages.test.ts).
    sourcemap: false,
    minify: false,
    emptyOutDir: true,
    lib: {
      entry: {
        index: "src/index.ts",
        node: "src/node.ts",
        ebsl: "src/ebsl.ts",
        vite: "src/vite.ts",
        "prover.worker": "workers/prover.worker.ts",
        "prover.node-worker": "workers/prover.node-worker.ts",
        // Test-only: fault injection lives in these entries and nowhere else.
        testing: "src/testing.ts",
        "prover.fault-worker": "workers/prover.fault-worker.ts",
        "prover.fault-node-worker": "workers/prover.fault-node-worker.ts",
      },
      formats: ["es"],
    },
    rollupOptions: {
      external: (id) => external.some((e) => id === e || id.startsWith(`${e}/`)),
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          environment: "happy-dom",
          // A hang guard, not a speed check: the differential bn254 tests and the brute-force
          // checks take a few seconds on a quiet machine and several times that when other
          // processes hold the cores (vitest's 5 s default failed them on a loaded CI machine).
          testTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          // snarkjs fails to import under --pool=threads (measured); forks works.
          pool: "forks",
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
