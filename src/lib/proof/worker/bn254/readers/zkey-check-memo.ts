/**
 * Remembers, across visits, that a pinned zkey passed the point checks of zkey-validation.ts, so
 * that a returning visit does not redo them: on ebsl-16 in Chromium they were 460 ms of a
 * returning visit's first proof (machine loaded, load average 6: header points and their pairing
 * 135 ms of cold JavaScript, the per-signal bases 42 ms, the B2 subgroup combination 287 ms of
 * not-yet-optimised wasm), against 820 ms for a whole warm proof.
 *
 * What is trusted, and when: a record says "the zkey whose SHA-256 is X passed every check". It
 * only ever short-cuts the checks of bytes registered with {@link pinZkey}, which a prover worker
 * calls for bytes its artifact loader has just matched against that same pinned SHA-256 (size and
 * digest); bytes handed in any other way, and bytes of any other digest, are checked in full. So
 * a hostile key is still checked, and refused, the first time it is pinned, and nothing is ever
 * recorded for it. The record also names the version of the checks: a later release that checks
 * more does not trust what an older one passed. Two of the checks are random combinations that a
 * broken key passes with a small probability (1/10069 at most): remembering a pass does not change
 * the chance that some load ever uses such a key (each unremembered load is one more draw, and the
 * key is used on the load it passed), only how many loads use it after that.
 *
 * The records live in their own IndexedDB database (`proofline-zkey-checks`), one small entry per
 * zkey, written after a full check passed. Where there is no IndexedDB (Node) nothing is
 * remembered. A lookup that fails or has not answered in time counts as "not checked before".
 */
import { createStore, get, set, type UseStore } from "idb-keyval";
import type { Groth16Zkey } from "./zkey-groth16.js";

/** Where the records live (the port a test replaces). */
export interface ZkeyCheckRecords {
  /** True when a zkey of this SHA-256 passed the checks of this version. */
  has(key: string): Promise<boolean>;
  /** Record that it passed. */
  add(key: string): Promise<void>;
}

/**
 * Bumped whenever zkey-validation.ts checks something new: records made by older checks then no
 * longer match any key.
 */
export const ZKEY_CHECKS_VERSION = 1;

/** Longest a lookup may take before the checks simply run (a blocked IndexedDB never answers). @default 1000 */
const LOOKUP_TIMEOUT_MS = 1000;

const recordKey = (sha256: string): string => `v${ZKEY_CHECKS_VERSION}:${sha256}`;

/** The records in IndexedDB (their own database, opened on first use, never at import). */
export function createIndexedDbZkeyCheckRecords(dbName = "proofline-zkey-checks"): ZkeyCheckRecords {
  let db: UseStore | undefined;
  const use = (): UseStore => (db ??= createStore(dbName, "passed"));
  return {
    has: async (key) => (await get<unknown>(key, use())) === true,
    add: (key) => set(key, true, use()),
  };
}

let defaultRecords: ZkeyCheckRecords | null | undefined;
/** IndexedDB where this realm has it (a browser worker), else none. */
const recordsOfThisRealm = (): ZkeyCheckRecords | null =>
  (defaultRecords ??= typeof globalThis.indexedDB === "undefined" ? null : createIndexedDbZkeyCheckRecords());

interface Pinned {
  readonly sha256: string;
  readonly start: number;
  readonly end: number;
  readonly records: ZkeyCheckRecords;
  /** The lookup's answer; only `true` short-cuts the checks. */
  passed: boolean;
}

/** Registered bytes, by their buffer (the parsed zkey's sections are views into it). */
const pinned = new WeakMap<ArrayBufferLike, Pinned>();

/**
 * Looks up the record of the zkey pinned by `sha256` now (while its bytes are still being read),
 * and returns what registers those bytes once they were matched against that SHA-256. Call the
 * returned function only with such bytes, not written to afterwards. It resolves once the lookup
 * answered, failed or timed out (never rejects).
 *
 * @example
 * const pin = pinZkey(circuit.zkey.sha256);
 * const { zkey } = await loader.load(circuit); // size and SHA-256 matched
 * await pin(zkey);
 */
export function pinZkey(sha256: string, records: ZkeyCheckRecords | null = recordsOfThisRealm(), timeoutMs = LOOKUP_TIMEOUT_MS): (bytes: Uint8Array) => Promise<void> {
  if (!records) return async () => undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  const lookup = Promise.race([records.has(recordKey(sha256)).catch(() => false), late]).finally(() => clearTimeout(timer));
  return async (bytes) => {
    const entry: Pinned = { sha256, start: bytes.byteOffset, end: bytes.byteOffset + bytes.byteLength, records, passed: false };
    pinned.set(bytes.buffer, entry);
    const found = await lookup;
    // A later registration of the same buffer (another digest claimed) replaced this one: it decides.
    if (pinned.get(bytes.buffer) === entry) entry.passed = found;
  };
}

/** The registration `z` was parsed from, when every section of it lies inside those bytes. */
function pinnedOf(z: Groth16Zkey): Pinned | undefined {
  const entry = pinned.get(z.pointsA.buffer);
  if (!entry) return undefined;
  const views = [z.alpha1, z.beta1, z.beta2, z.gamma2, z.delta1, z.delta2, z.coefs, z.pointsA, z.pointsB1, z.pointsB2, z.pointsC, z.pointsH];
  const inside = views.every((v) => v.buffer === z.pointsA.buffer && v.byteOffset >= entry.start && v.byteOffset + v.byteLength <= entry.end);
  return inside ? entry : undefined;
}

/** True when `z` comes from pinned bytes whose digest has a record: its checks can be skipped. */
export function passedBefore(z: Groth16Zkey): boolean {
  return pinnedOf(z)?.passed === true;
}

/** Records that `z` passed every check, when it comes from pinned bytes (best effort, never throws). */
export function rememberPassed(z: Groth16Zkey): void {
  const entry = pinnedOf(z);
  if (!entry || entry.passed) return;
  entry.passed = true;
  void entry.records.add(recordKey(entry.sha256)).catch(() => undefined);
}
