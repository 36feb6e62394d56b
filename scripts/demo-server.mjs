#!/usr/bin/env node
// A tiny static server for the built demo (demo/dist/) and the circuit artifacts (@proofline/circuits under
// /circuits/). Listens on 127.0.0.1 only. No COOP/COEP headers on purpose: proofline must work
// without cross-origin isolation, as most dapps are served.
//
// Test hooks (never used by `npm start`):
// - `corrupt`: a path under circuits/ (e.g. "build/ebsl-16/ebsl-16.wasm") served with one byte
//   flipped, same length, so only the SHA-256 check can catch it.
// - `requestLog`: every request (method, path, status, bytes) in order, so tests can count
//   artifact downloads.
//
// CLI: node scripts/demo-server.mjs [--port N] [--corrupt build/ebsl-16/ebsl-16.wasm]
import { createServer } from "node:http";
import { createReadStream, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".zkey": "application/octet-stream",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

/** Resolve `urlPath` inside `base`; undefined when it escapes `base`. */
function inside(base, urlPath) {
  const full = normalize(join(base, urlPath));
  return full === base || full.startsWith(base + sep) ? full : undefined;
}

function fileStat(path) {
  try {
    const s = statSync(path);
    return s.isFile() ? s : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Start the server.
 * @param {object} [options]
 * @param {number} [options.port] 0 picks a free port. @default 5173
 * @param {string} [options.demoDir] the built demo. @default <repo>/demo/dist
 * @param {string} [options.circuitsDir] served under /circuits/. @default the installed @proofline/circuits (the repo's circuits/ workspace)
 * @param {string} [options.corrupt] path under circuitsDir to serve with one byte flipped
 * @param {string} [options.extraDir] a second static root served under /extra/ (bench pages)
 * @returns {Promise<{ url: string, port: number, requestLog: Array<{method: string, path: string, status: number, bytes: number}>, close: () => Promise<void> }>}
 */
export async function startDemoServer(options = {}) {
  const demoDir = resolve(options.demoDir ?? join(ROOT, "demo/dist"));
  const circuitsDir = resolve(options.circuitsDir ?? dirname(createRequire(import.meta.url).resolve("@proofline/circuits/manifest.json")));
  const extraDir = options.extraDir ? resolve(options.extraDir) : undefined;
  const corruptPath = options.corrupt ? inside(circuitsDir, options.corrupt) : undefined;
  const requestLog = [];

  const server = createServer(async (req, res) => {
    const entry = { method: req.method ?? "GET", path: "", status: 200, bytes: 0 };
    requestLog.push(entry);
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      entry.path = decodeURIComponent(url.pathname);
      if (req.method !== "GET" && req.method !== "HEAD") return send(res, entry, 405, "method not allowed");
      let file;
      if (entry.path.startsWith("/circuits/")) file = inside(circuitsDir, entry.path.slice("/circuits/".length));
      else if (extraDir && entry.path.startsWith("/extra/")) file = inside(extraDir, entry.path.slice("/extra/".length));
      else file = inside(demoDir, entry.path === "/" ? "index.html" : entry.path.slice(1));
      const stat = file && fileStat(file);
      if (!stat) return send(res, entry, 404, "not found");
      const headers = {
        "content-type": MIME[extname(file)] ?? "application/octet-stream",
        "content-length": String(stat.size),
        // Hashed demo assets could be cached forever; artifacts are pinned by SHA-256 anyway.
        // no-store keeps the tests' "zero network requests" about IndexedDB, not the HTTP cache.
        "cache-control": "no-store",
      };
      if (file === corruptPath) {
        const bytes = await readFile(file);
        bytes[bytes.length >> 1] ^= 0xff;
        res.writeHead(200, headers);
        entry.bytes = bytes.length;
        return res.end(req.method === "HEAD" ? undefined : bytes);
      }
      res.writeHead(200, headers);
      entry.bytes = stat.size;
      if (req.method === "HEAD") return res.end();
      createReadStream(file).on("error", () => res.destroy()).pipe(res);
    } catch {
      send(res, entry, 400, "bad request");
    }
  });

  const port = options.port ?? 5173;
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => ok(undefined));
  });
  const address = server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actual}/`,
    port: actual,
    requestLog,
    close: () =>
      new Promise((ok) => {
        server.close(() => ok(undefined));
        server.closeAllConnections?.();
      }),
  };
}

function send(res, entry, status, text) {
  entry.status = status;
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  res.end(text);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const arg = (name) => {
    const i = args.indexOf(name);
    return i === -1 ? undefined : args[i + 1];
  };
  const port = Number(arg("--port") ?? process.env.PORT ?? 5173);
  const server = await startDemoServer({ port, corrupt: arg("--corrupt") });
  console.log(`proofline demo: ${server.url}`);
  const stop = () => server.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
