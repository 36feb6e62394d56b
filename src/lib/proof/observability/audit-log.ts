/**
 * Append-only, hash-chained audit log of requests, results, cache hits, denials, failures and
 * cancellations. Each entry's `hash` is SHA-256 over the canonical JSON of the entry without
 * `hash` (so it covers `prevHash`): editing an entry breaks its own hash, removing one leaves a
 * `seq` gap, reordering breaks `prevHash` links.
 *
 * Bounded (default 1000 entries): when the oldest is dropped its hash becomes the `anchor`, so
 * the remaining chain still verifies from a known starting point. Without a secret key anyone
 * can rebuild a whole consistent chain; publish `head()` elsewhere if that matters.
 *
 * Privacy: `append` copies only the whitelisted fields below; anything else a caller passes is
 * ignored, so private inputs cannot slip in through an extra property.
 */
import { systemClock, type Clock } from "../core/clock.js";
import { isProofErrorCode, type ProofErrorCode } from "../core/errors.js";
import { invalid } from "../core/option-checks.js";
import { writable, type Readable } from "../core/store.js";
import { canonicalJson, sha256HexSync } from "../core/content-hash.js";

export type AuditEventType = "request" | "result" | "cache_hit" | "denied" | "failure" | "cancelled";
const TYPES: ReadonlySet<string> = new Set<AuditEventType>(["request", "result", "cache_hit", "denied", "failure", "cancelled"]);

/** What a caller may record. */
export interface AuditEvent {
  readonly type: AuditEventType;
  readonly requestId: string;
  /** The caller's id (e.g. an address), never request contents. */
  readonly userId?: string;
  readonly circuitId?: string;
  readonly code?: ProofErrorCode;
  readonly durationMs?: number;
}

export interface AuditEntry extends AuditEvent {
  /** 1-based, consecutive. */
  readonly seq: number;
  /** Wall-clock epoch ms. */
  readonly at: number;
  readonly prevHash: string;
  readonly hash: string;
}

/** Where a (possibly truncated) chain starts: the last dropped entry. */
export interface AuditAnchor {
  readonly seq: number;
  readonly hash: string;
}

export type AuditVerification = { readonly ok: true } | { readonly ok: false; readonly seq: number; readonly reason: "edited" | "gap" | "broken-link" };

/** `prevHash` of the very first entry. */
export const GENESIS_HASH = "0".repeat(64);
export const GENESIS_ANCHOR: AuditAnchor = { seq: 0, hash: GENESIS_HASH };

export interface AuditLogOptions {
  /** Entries kept (an integer >= 1); the oldest is dropped beyond this. Resolved by the facade's options. */
  readonly maxEntries: number;
  /** Source of `at` (`wallNow`). @default systemClock */
  readonly clock?: Clock;
}

/** The hash an entry must carry. */
export function auditEntryHash(entry: Omit<AuditEntry, "hash">): string {
  const { seq, at, type, requestId, userId, circuitId, code, durationMs, prevHash } = entry;
  return sha256HexSync(canonicalJson({ seq, at, type, requestId, userId, circuitId, code, durationMs, prevHash }));
}

/**
 * Verify exported entries against the anchor they start from; reports the first bad entry.
 * @example verifyAuditChain(log.entries(), log.anchor())
 */
export function verifyAuditChain(entries: readonly AuditEntry[], anchor: AuditAnchor = GENESIS_ANCHOR): AuditVerification {
  let prev = anchor;
  for (const entry of entries) {
    const { hash, ...rest } = entry;
    if (auditEntryHash(rest) !== hash) return { ok: false, seq: entry.seq, reason: "edited" };
    if (entry.seq !== prev.seq + 1) return { ok: false, seq: entry.seq, reason: "gap" };
    if (entry.prevHash !== prev.hash) return { ok: false, seq: entry.seq, reason: "broken-link" };
    prev = { seq: entry.seq, hash };
  }
  return { ok: true };
}

/** Copy only whitelisted, well-typed fields. */
function sanitize(event: AuditEvent): AuditEvent {
  if (!TYPES.has(event?.type)) invalid("type", "unknown event type");
  if (typeof event.requestId !== "string" || event.requestId === "") invalid("requestId", "not a non-empty string");
  if (event.userId !== undefined && typeof event.userId !== "string") invalid("userId", "not a string");
  if (event.circuitId !== undefined && typeof event.circuitId !== "string") invalid("circuitId", "not a string");
  if (event.code !== undefined && !isProofErrorCode(event.code)) invalid("code", "not a proofline error code");
  if (event.durationMs !== undefined && !(typeof event.durationMs === "number" && Number.isFinite(event.durationMs) && event.durationMs >= 0)) {
    invalid("durationMs", "not a finite non-negative number");
  }
  const out: { -readonly [K in keyof AuditEvent]: AuditEvent[K] } = { type: event.type, requestId: event.requestId };
  if (event.userId !== undefined) out.userId = event.userId;
  if (event.circuitId !== undefined) out.circuitId = event.circuitId;
  if (event.code !== undefined) out.code = event.code;
  if (event.durationMs !== undefined) out.durationMs = event.durationMs;
  return out;
}

/** The log. @example log.append({ type: "request", requestId, userId }); log.verify() */
export class AuditLog {
  readonly maxEntries: number;
  readonly #clock: Clock;
  #entries: AuditEntry[] = [];
  #anchor: AuditAnchor = GENESIS_ANCHOR;
  #head: AuditAnchor = GENESIS_ANCHOR;
  readonly #store = writable<readonly AuditEntry[]>([]);

  constructor(options: AuditLogOptions) {
    this.maxEntries = options.maxEntries;
    this.#clock = options.clock ?? systemClock;
  }

  /** Append one event; returns a copy of the stored entry. @throws ValidationError on a bad field. */
  append(event: AuditEvent): AuditEntry {
    const body = { ...sanitize(event), seq: this.#head.seq + 1, at: this.#clock.wallNow(), prevHash: this.#head.hash };
    const entry: AuditEntry = Object.freeze({ ...body, hash: auditEntryHash(body) });
    this.#entries.push(entry);
    this.#head = { seq: entry.seq, hash: entry.hash };
    if (this.#entries.length > this.maxEntries) {
      const dropped = this.#entries.splice(0, this.#entries.length - this.maxEntries);
      const last = dropped[dropped.length - 1]!;
      this.#anchor = { seq: last.seq, hash: last.hash };
    }
    // Frozen entries in a frozen array: subscribers can keep it without copying 1000 objects.
    this.#store.set(Object.freeze([...this.#entries]));
    return { ...entry };
  }

  /** Copies of the kept entries, oldest first. */
  entries(): AuditEntry[] {
    return this.#entries.map((e) => ({ ...e }));
  }

  /** The hash of the last dropped entry (genesis when nothing was dropped). */
  anchor(): AuditAnchor {
    return { ...this.#anchor };
  }

  /** The newest entry's seq and hash: publish it to pin the whole chain. */
  head(): AuditAnchor {
    return { ...this.#head };
  }

  /** Verify the kept chain from its anchor. */
  verify(): AuditVerification {
    return verifyAuditChain(this.#entries, this.#anchor);
  }

  /** Svelte store of the kept entries (a new array on each append). */
  get store(): Readable<readonly AuditEntry[]> {
    return { subscribe: this.#store.subscribe };
  }

  subscribe(run: (entries: readonly AuditEntry[]) => void): () => void {
    return this.#store.subscribe(run);
  }

  get size(): number {
    return this.#entries.length;
  }
}
