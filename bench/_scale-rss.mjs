// Samples a browser's renderer resident memory (VmRSS, MiB) over time for `npm run bench -- scale`:
// the renderer's VmHWM gives one peak for the whole run, the samples tell which phase reached it
// (the artifacts' load and decode, inside the first proof's setup, or a warm proof).
import { readFileSync } from "node:fs";
import { descendants } from "./_core-browser.mjs";

const SAMPLE_MS = 100;

function rendererRssMiB(browserPid) {
  let rss = 0;
  for (const pid of descendants(browserPid)) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("--type=renderer")) continue;
      rss = Math.max(rss, Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024);
    } catch {
      /* gone meanwhile */
    }
  }
  return rss;
}

/** Starts sampling; `phase(name)` starts a new phase, `peaks()` gives each phase's highest sample. */
export function rssSampler(browserPid) {
  const peaks = {};
  let current = "start";
  const timer = setInterval(() => {
    peaks[current] = Math.max(peaks[current] ?? 0, Math.round(rendererRssMiB(browserPid)));
  }, SAMPLE_MS);
  timer.unref();
  return {
    phase: (name) => void (current = name),
    peaks: () => ({ ...peaks }),
    stop: () => clearInterval(timer),
  };
}
