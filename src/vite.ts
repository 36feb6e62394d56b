/**
 * `proofline/vite`: a Vite plugin that makes the EBSL circuits reach the page with no other
 * configuration. In `vite dev` it serves each artifact of `@proofline/circuits`'s manifest under
 * `<base>proofline/circuits/`; in `vite build` it emits the same files there; either way it tells
 * the page where they are (a `<meta name="proofline-artifacts">` tag that `proofAPI` and
 * `createProofAPI()` read when no `artifactsBaseUrl` is given). The bytes are still checked
 * against the SHA-256 pins, so serving them from elsewhere later (a CDN) changes nothing else.
 *
 * Why a plugin: the package's own location (`import.meta.url`) is not a stable place to fetch
 * from in a bundler. Vite's dependency pre-bundling moves the code to `node_modules/.vite/`,
 * where `../circuits/` is Vite's index.html fallback, not the artifacts.
 *
 * Node-only (reads files); used from a Vite config, never from the browser bundle.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, join, normalize, sep } from "node:path";
import { findCircuitsPackageDir } from "./lib/proof/engine/artifacts/circuits-package.js";
import { ARTIFACTS_META } from "./lib/proof/client/artifacts-meta.js";

/** The path, under Vite's `base`, where the artifacts are served and emitted. */
export const ARTIFACTS_PATH = "proofline/circuits/";

export interface ProoflineViteOptions {
  /**
   * Directory holding `manifest.json` and the files it names.
   * @default the `@proofline/circuits` package installed in the app (without it, and without this
   *   option, the plugin serves no artifacts: an app proving only its own circuits needs neither)
   */
  readonly circuitsDir?: string;
}

/** The slice of Vite's plugin interface this plugin uses (no type dependency on vite). */
interface ViteDevServerLike {
  middlewares: { use(path: string, fn: (req: { url?: string }, res: ResponseLike, next: () => void) => void): void };
}
interface ResponseLike {
  statusCode: number;
  setHeader(name: string, value: string): void;
  end(body?: Uint8Array | string): void;
}
interface EmitContext {
  emitFile(file: { type: "asset"; fileName: string; source: Uint8Array }): string;
  /** Vite's environment of this build (its `consumer` is "server" for a server-side build). */
  readonly environment?: { readonly config?: { readonly consumer?: string } };
}
export interface ProoflineVitePlugin {
  readonly name: string;
  config(): Record<string, unknown>;
  configResolved(config: { base: string; root?: string; build?: { ssr?: unknown } }): void;
  configureServer(server: ViteDevServerLike): void;
  generateBundle(this: EmitContext): void;
  transformIndexHtml(): { tag: string; attrs: Record<string, string>; injectTo: "head" }[];
}

const MIME: Readonly<Record<string, string>> = { ".wasm": "application/wasm", ".json": "application/json" };

/** Artifact paths of the manifest whose files exist (a manifest may pin circuits not shipped). */
function artifactPaths(circuitsDir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(circuitsDir, "manifest.json"), "utf8")) as { circuits: Record<string, Record<string, { path?: string }>> };
  const paths: string[] = [];
  for (const circuit of Object.values(manifest.circuits)) {
    for (const kind of ["wasm", "zkey", "vkey"]) {
      const path = circuit[kind]?.path;
      if (typeof path === "string" && existsSync(join(circuitsDir, path))) paths.push(normalize(path).split(sep).join("/"));
    }
  }
  return paths;
}

/**
 * Serve (dev) and emit (build) proofline's circuit artifacts, and tell the page where they are.
 * @example
 * // vite.config.ts
 * import { proofline } from "proofline/vite";
 * export default defineConfig({ plugins: [proofline()] });
 */
export function proofline(options: ProoflineViteOptions = {}): ProoflineVitePlugin {
  // Resolved from the app's root first (where `npm i @proofline/circuits` put it), then from here.
  let circuitsDir: string | undefined = options.circuitsDir;
  let base = "/";
  let serverBuild = false;
  let served: Set<string> | undefined;
  const files = () => (served ??= new Set(circuitsDir === undefined ? [] : artifactPaths(circuitsDir)));

  return {
    name: "proofline",
    config: () => ({
      // Module workers (what proofline ships); snarkjs discovered up front, so the dev server
      // does not re-optimise (and reload the page) when the first proof imports it in a worker.
      worker: { format: "es" },
      optimizeDeps: { include: ["proofline > snarkjs", "proofline > ffjavascript"] },
    }),
    configResolved(config) {
      base = config.base.endsWith("/") ? config.base : `${config.base}/`;
      serverBuild = Boolean(config.build?.ssr);
      circuitsDir ??= (config.root !== undefined ? findCircuitsPackageDir(join(config.root, "package.json")) : undefined) ?? findCircuitsPackageDir();
    },
    configureServer(server) {
      server.middlewares.use(`${base}${ARTIFACTS_PATH}`, (req, res, next) => {
        const path = decodeURIComponent((req.url ?? "").split("?")[0] ?? "").replace(/^\/+/, "");
        if (circuitsDir === undefined || !files().has(path)) return next();
        const file = join(circuitsDir, path);
        res.statusCode = 200;
        res.setHeader("content-type", MIME[extname(path)] ?? "application/octet-stream");
        res.setHeader("content-length", String(statSync(file).size));
        res.end(readFileSync(file));
      });
    },
    generateBundle() {
      // Only the client build is served to browsers; a server (SSR) build needs no artifacts.
      if (serverBuild || this.environment?.config?.consumer === "server") return;
      const dir = circuitsDir;
      if (dir === undefined) return;
      for (const path of files()) this.emitFile({ type: "asset", fileName: `${ARTIFACTS_PATH}${path}`, source: readFileSync(join(dir, path)) });
    },
    transformIndexHtml: () => (files().size === 0 ? [] : [{ tag: "meta", attrs: { name: ARTIFACTS_META, content: `${base}${ARTIFACTS_PATH}` }, injectTo: "head" }]),
  };
}
