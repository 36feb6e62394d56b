/**
 * The one table of defaults: every option proofline fills in when the caller leaves it out, read
 * by the resolvers at the public edges (`createProofAPI`'s options, its trust options, the retry
 * policy, `createProver`). Nothing below the edges defaults an option again: it receives the
 * resolved value. Platform-dependent defaults (pool size, cores, memory budget) are computed by
 * the resolvers from the machine, bounded by the numbers here.
 */
export const DEFAULTS = Object.freeze({
  /** The facade (`ProofAPIOptions`). */
  api: Object.freeze({
    /** ProofPriority.NORMAL. */
    defaultPriority: 1,
    maxQueued: 100,
    allowFallback: true,
    /** 0.6 on the 10^6 scale of the EBSL circuits. */
    defaultThreshold: 600_000,
    maxFinishedRequests: 100,
    prewarm: false,
  }),
  /** The facade's trust layer (`TrustOptions`). */
  trust: Object.freeze({
    cache: Object.freeze({ enabled: true, max: 50, ttlMs: 3_600_000, rerandomize: false, persist: false }),
    rateLimit: Object.freeze({ max: 10, windowMs: 3_600_000 }),
    auditMaxEntries: 1000,
    metricsWindowSize: 500,
  }),
  /** Retry of retryable failures (`RetryPolicy`). */
  retry: Object.freeze({ attempts: 3, baseMs: 250, capMs: 5000, jitter: "full" }),
  /** The generic prover (`ProverOptions`). */
  prover: Object.freeze({
    maxProofsPerWorker: 50,
    maxStartFailures: 3,
    startTimeoutMs: 30_000,
    timeoutMs: 300_000,
    threads: "adaptive",
    backend: "bn254",
    /** The most workers `defaultPoolSize` picks, however many cores and GB the device has. */
    maxPoolSize: 4,
  }),
} as const);
