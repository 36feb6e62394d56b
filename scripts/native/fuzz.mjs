#!/usr/bin/env node
// Fuzzes bn254.wasm's C entry points natively: native/fuzz/bn254_fuzz.c built for the host with
// Debian's clang-19 as a libFuzzer target under AddressSanitizer and UndefinedBehaviorSanitizer
// (any report aborts the run), the wasm-only arena replaced by native/fuzz/arena_host.c (one
// malloc per allocation, so every overrun is seen). `--seconds N` bounds the run (default 20:
// what CI runs); by hand, run longer, e.g. `npm run native:fuzz -- --seconds 3600`. The corpus
// grows in .tmp/bn254-fuzz-corpus; a crash leaves its input in .tmp/bn254-fuzz/ and fails.
// Needs clang-19 and libclang-rt-19-dev (the fuzzer and sanitizer runtimes).
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const seconds = arg("--seconds", 20);
const clang = process.env.CLANG ?? "clang-19";
const work = join(root, ".tmp/bn254-fuzz");
const corpus = join(root, ".tmp/bn254-fuzz-corpus");
mkdirSync(work, { recursive: true });
mkdirSync(corpus, { recursive: true });

const src = join(root, "native/bn254");
const sources = readdirSync(src)
  .filter((f) => f.endsWith(".c") && f !== "arena.c")
  .sort()
  .map((f) => join(src, f));
const bin = join(work, "bn254_fuzz");
const build = spawnSync(
  clang,
  [
    "-O1", "-g", "-std=c11", "-Wall", "-Wextra", "-Werror", "-Wno-unknown-attributes",
    "-fsanitize=fuzzer,address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer",
    "-o", bin, ...sources, join(root, "native/fuzz/arena_host.c"), join(root, "native/fuzz/bn254_fuzz.c"),
  ],
  { stdio: "inherit" },
);
if (build.status !== 0) {
  console.error(`native:fuzz: ${clang} failed (status ${build.status ?? build.error}); needs clang-19 and libclang-rt-19-dev`);
  process.exit(1);
}

const run = spawnSync(bin, [`-max_total_time=${seconds}`, "-max_len=4096", "-timeout=10", "-rss_limit_mb=2048", `-artifact_prefix=${work}/`, "-print_final_stats=1", corpus], {
  stdio: ["ignore", "inherit", "pipe"],
  encoding: "utf8",
});
const log = run.stderr ?? "";
const stats = log.split("\n").filter((l) => /stat::number_of_executed_units|Done \d+ runs/.test(l));
process.stderr.write(stats.join("\n") + "\n");
if (run.status !== 0 || /ERROR: (AddressSanitizer|libFuzzer)|runtime error:/.test(log)) {
  process.stderr.write(log.split("\n").slice(-60).join("\n"));
  console.error(`native:fuzz: failed (status ${run.status}); the input is in ${work}`);
  process.exit(1);
}
const runs = /stat::number_of_executed_units:\s*(\d+)/.exec(log)?.[1] ?? "?";
console.log(`native:fuzz: ${runs} inputs in ${seconds} s, no crash, no sanitizer report (corpus ${readdirSync(corpus).length} inputs)`);
