// Samples a browser's renderer resident memory (VmRSS, MiB) over time for `npm run bench -- scale`:
// the renderer's VmHWM gives one peak for the whole run, the samples tell which phase reached it
// (the artifacts' load and decode, inside the first proof's setup, or a warm proof).
import { readFileSync } from "node:fs";
import { descendants } from "./_core-browser.mjs";

const SAMPLE_MS = 100;

/** Each renderer's resident MiB now, by process id. */
function rendererRssMiB(browserPid) {
  const out = new Map();
  for (const pid of descendants(browserPid)) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("--type=renderer")) continue;
      out.set(pid, Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024);
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/**
 * Starts sampling; `phase(name)` starts a new phase, `peaks()` gives each phase's highest sample
 * of any one renderer, and how many renderer processes were seen (a renderer that exits before
 * the end takes its VmHWM with it).
 */
export function rssSampler(browserPid) {
  const peaks = {};
  let current = "start";
  const byPid = {};
  const timer = setInterval(() => {
    for (const [pid, mib] of rendererRssMiB(browserPid)) {
      byPid[pid] = Math.max(byPid[pid] ?? 0, Math.round(mib));
      peaks[current] = Math.max(peaks[current] ?? 0, Math.round(mib));
    }
    peaks.renderers = Object.keys(byPid).length;
    peaks.byPid = byPid;
  }, SAMPLE_MS);
  timer.unref();
  return {
    phase: (name) => void (current = name),
    peaks: () => {
      // Each renderer still alive: its VmHWM, which its samples cannot exceed.
      const hwm = {};
      for (const pid of Object.keys(peaks.byPid ?? {})) {
        try {
          hwm[pid] = Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024);
        } catch {
          hwm[pid] = "exited";
        }
      }
      return { ...peaks, hwm };
    },
    stop: () => clearInterval(timer),
  };
}
