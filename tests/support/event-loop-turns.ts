/**
 * Latency in event-loop turns rather than milliseconds. "Settles within N ms" depends on how busy
 * the machine is: a contended core stretches every turn. Whether a cancel settles at once or
 * waits for work elsewhere (a worker finishing its proof) shows as the number of turns the loop
 * made meanwhile: a handful against thousands, on a quiet machine or a busy one.
 */
export interface TurnCounter {
  /** Turns since start, and the wall time they took (reported, never asserted). */
  stop(): { turns: number; ms: number };
}

/** Spin `setImmediate` turns from now until `stop()`. */
export function countTurns(): TurnCounter {
  const t0 = performance.now();
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop() {
      running = false;
      return { turns, ms: performance.now() - t0 };
    },
  };
}
