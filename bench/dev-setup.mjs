// `node bench/dev-setup.mjs [powers=16,17,18] [kinds=full] [--direct-only | --zkey-new-only]`
// The INSECURE dev setup of the synthetic circuits (scripts/circuits/synthetic.mjs): the zkey
// written directly from the known tau (dev-zkey.mjs) against the reference path, a dev ptau file
// (dev-ptau.mjs) then `snarkjs zkey new`, on the same r1cs, one after the other per power. Each
// setup runs in a process of its own (peak: its VmHWM, threads included); the two zkeys are
// compared section by section. Work files go to .synthetic/bench-dev-setup/ (git-ignored) and are removed.
// The load average is printed beside every row. The LAST line is JSON.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileSynthetic, SYNTHETIC_DIR } from "../scripts/circuits/synthetic.mjs";

const load = () => loadavg().map((x) => Math.round(x * 100) / 100);
const seconds = (t0) => Math.round((performance.now() - t0) / 100) / 10;
const peakMiB = () => Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0) / 1024);

/** Child: one setup of one r1cs; prints its timings as JSON. */
async function childMain([mode, r1cs, power, zkey, ptau]) {
  const snarkjs = await import("snarkjs");
  const curve = await snarkjs.curves.getCurveFromName("bn128");
  const out = { mode };
  try {
    if (mode === "direct") {
      const { writeDevZkey } = await import("../scripts/circuits/dev-zkey.mjs");
      const t0 = performance.now();
      await writeDevZkey(curve, r1cs, zkey);
      out.zkeySeconds = seconds(t0);
    } else {
      const { writeDevPtau } = await import("../scripts/circuits/dev-ptau.mjs");
      let t0 = performance.now();
      await writeDevPtau(curve, ptau, { power: Number(power) });
      out.ptauSeconds = seconds(t0);
      t0 = performance.now();
      await snarkjs.zKey.newZKey(r1cs, ptau, zkey);
      out.zkeySeconds = seconds(t0);
    }
  } finally {
    await curve.terminate();
  }
  out.peakMiB = peakMiB();
  console.log(JSON.stringify(out));
}

function runChild(args) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [fileURLToPath(import.meta.url), "--child", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr = (stderr + d).slice(-2000)));
    p.on("close", (code) => (code === 0 ? resolve(JSON.parse(stdout.trim().split("\n").pop())) : reject(new Error(`setup ${args[0]} failed (${code}): ${stderr}`))));
  });
}

/** Ids of the sections whose bytes differ (a missing or extra section counts). */
function differingSections(pathA, pathB) {
  const sections = (buf) => {
    const out = new Map();
    for (let i = 0, pos = 12; i < buf.readUInt32LE(8); i++) {
      const size = Number(buf.readBigUInt64LE(pos + 4));
      out.set(buf.readUInt32LE(pos), buf.subarray(pos + 12, pos + 12 + size));
      pos += 12 + size;
    }
    return out;
  };
  const a = sections(readFileSync(pathA));
  const b = sections(readFileSync(pathB));
  return [...new Set([...a.keys(), ...b.keys()])].filter((id) => !a.get(id) || !b.get(id) || !a.get(id).equals(b.get(id)));
}

async function main() {
  const positional = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  const powers = (positional[0] ?? "16,17,18").split(",").map(Number);
  const kinds = (positional[1] ?? "full").split(",");
  const directOnly = process.argv.includes("--direct-only");
  const modes = directOnly ? ["direct"] : process.argv.includes("--zkey-new-only") ? ["zkey-new"] : ["direct", "zkey-new"];
  const base = join(SYNTHETIC_DIR, "bench-dev-setup");
  console.log(`dev setup bench: ${availableParallelism()} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, load ${load().join(" ")}; INSECURE (known tau)`);
  const rows = [];
  for (const power of powers) {
    for (const kind of kinds) {
      const dir = join(base, `${kind}-${power}`);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      try {
        let t0 = performance.now();
        const c = await compileSynthetic(kind, power, dir);
        console.log(`${kind} 2^${power}: ${c.constraints} constraints, compiled in ${seconds(t0)} s (load ${load().join(" ")})`);
        const row = { kind, power, constraints: c.constraints };
        const zkeys = {};
        for (const mode of modes) {
          zkeys[mode] = join(dir, `${mode}.zkey`);
          const before = load();
          t0 = performance.now();
          const r = await runChild([mode, c.r1cs, String(power), zkeys[mode], join(dir, "dev.ptau")]);
          r.totalSeconds = seconds(t0);
          r.load = [before[0], load()[0]];
          row[mode] = r;
          const parts = mode === "direct" ? `zkey ${r.zkeySeconds} s` : `ptau ${r.ptauSeconds} s + zkey new ${r.zkeySeconds} s`;
          console.log(`  ${mode.padEnd(8)} ${r.totalSeconds} s (${parts}), peak ${r.peakMiB} MiB, load ${r.load.join(" -> ")}`);
        }
        if (modes.length === 2 && existsSync(zkeys["zkey-new"])) {
          const differing = differingSections(zkeys.direct, zkeys["zkey-new"]);
          row.identical = differing.length === 0 && readFileSync(zkeys.direct).equals(readFileSync(zkeys["zkey-new"]));
          if (differing.length > 0) row.differingSections = differing;
          row.speedup = Math.round((row["zkey-new"].totalSeconds / row.direct.totalSeconds) * 10) / 10;
          console.log(`  byte-identical: ${row.identical}${differing.length ? ` (sections ${differing.join(", ")} differ)` : ""}; direct is ${row.speedup}x faster`);
        }
        rows.push(row);
      } catch (error) {
        console.log(`  ${kind} 2^${power} failed: ${error instanceof Error ? error.message : error}`);
        rows.push({ kind, power, error: String(error) });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  console.log(JSON.stringify({ bench: "dev-setup", insecure: "known tau", rows }));
}

if (process.argv[2] === "--child") await childMain(process.argv.slice(3));
else await main();
