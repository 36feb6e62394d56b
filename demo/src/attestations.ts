/**
 * Sample attestations for the demo: a seeded generator (same seed, same set) and the editable
 * row shape the table binds to. Ids are hex so they read like addresses.
 */
import type { Attestation, AttestationType } from "proofline";

export const SUBJECT = "0x00000000000000000000000000000000000000aa";
const DAY = 86_400_000;
const TYPES: readonly AttestationType[] = ["trust", "skill", "vouch", "endorsement"];

/** mulberry32: tiny, seeded, good enough to make sample data reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const micro = (x: number) => Math.round(x * 1e6) / 1e6;

export interface GenerateOptions {
  readonly count: number;
  readonly seed: number;
  /** 0..1: how favourable the sources are on average. */
  readonly sentiment: number;
  readonly now: number;
  /** Whom they are about. @default SUBJECT */
  readonly subject?: string;
}

/** `count` valid attestations about `subject` (SUBJECT by default), in force at `now`; values on the 10^6 grid. */
export function generateAttestations({ count, seed, sentiment, now, subject = SUBJECT }: GenerateOptions): Attestation[] {
  const rnd = prng(seed);
  return Array.from({ length: count }, (_, i) => {
    const u = micro(0.05 + rnd() * 0.45);
    const lean = Math.min(1, Math.max(0, sentiment + (rnd() - 0.5) * 0.5));
    const b = micro((1 - u) * lean);
    const d = micro(1 - u - b);
    return {
      source: `0x${(0xb000 + i).toString(16).padStart(40, "0")}`,
      target: subject,
      opinion: { belief: b, disbelief: d, uncertainty: u, base_rate: micro(0.3 + rnd() * 0.4) },
      attestation_type: TYPES[Math.floor(rnd() * TYPES.length)]!,
      weight: micro(0.5 + rnd() * 2.5),
      created_at: now - Math.floor((1 + rnd() * 60) * DAY),
      expires_at: now + Math.floor((30 + rnd() * 300) * DAY),
    };
  });
}

/** Set belief or disbelief and keep b + d + u = 1 by moving uncertainty (never below 1e-6). */
export function withOpinionField(a: Attestation, field: "belief" | "disbelief" | "base_rate", value: number): Attestation {
  const v = micro(Math.min(1, Math.max(0, value)));
  if (field === "base_rate") return { ...a, opinion: { ...a.opinion, base_rate: v } };
  const other = field === "belief" ? a.opinion.disbelief : a.opinion.belief;
  const capped = Math.min(v, micro(1 - other - 1e-6));
  const b = field === "belief" ? capped : a.opinion.belief;
  const d = field === "disbelief" ? capped : a.opinion.disbelief;
  return { ...a, opinion: { ...a.opinion, belief: b, disbelief: d, uncertainty: micro(1 - b - d) } };
}

export function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 6)}…${id.slice(-4)}` : id;
}
