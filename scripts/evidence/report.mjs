// Evidence records and terminal output. One record per capability: checks (`tested, success,
// details`), evidence (counts, latencies), a conclusion; written as JSON. Colours only for a
// person at a TTY (NO_COLOR and non-TTY get plain text); the machine reads the JSON files and
// the summary line.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const useColor = process.stdout.isTTY === true && !("NO_COLOR" in process.env) && process.env.TERM !== "dumb";
const paint = (code) => (s) => (useColor ? `\x1b[${code}m${s}\x1b[0m` : s);
export const color = { green: paint(32), red: paint(31), yellow: paint(33), dim: paint(2), bold: paint(1) };

/** Safe for JSON: bigints as decimal strings, errors as {name, code, message}. */
export function plain(value) {
  return JSON.parse(
    JSON.stringify(value, (_k, v) => {
      if (typeof v === "bigint") return v.toString();
      if (v instanceof Error) return { name: v.name, code: v.code, message: v.message };
      return v;
    }),
  );
}

export class EvidenceItem {
  constructor(index, spec) {
    this.index = index;
    this.name = spec.name;
    this.description = spec.description;
    this.configuration = spec.configuration ?? {};
    this.results = [];
    this.evidence = {};
    this.startedAt = new Date().toISOString();
  }

  /** Record one check; returns `success` so callers can branch on it. */
  check(tested, success, details = {}) {
    this.results.push({ tested, success: success === true, details: plain(details) });
    return success === true;
  }

  /** Add measured facts (counts, latencies). */
  record(facts) {
    Object.assign(this.evidence, plain(facts));
  }

  get passed() {
    return this.results.length > 0 && this.results.every((r) => r.success);
  }

  toJSON(meta, conclusion) {
    return {
      proof_name: this.name,
      description: this.description,
      timestamp: this.startedAt,
      configuration: plain(this.configuration),
      results: this.results,
      evidence: this.evidence,
      conclusion,
      passed: this.passed,
      library: meta,
    };
  }

  write(dir, meta, conclusion) {
    const file = join(dir, `${String(this.index).padStart(2, "0")}_${this.name}.json`);
    writeFileSync(file, `${JSON.stringify(this.toJSON(meta, conclusion), null, 2)}\n`);
    return file;
  }
}

/** Wall-clock ms of `fn`, and its value. */
export async function timed(fn) {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: Math.round(performance.now() - t0) };
}

/** The error `promise` rejects with (undefined when it resolves). */
export async function rejectionOf(promise) {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error;
  }
}
