/**
 * EBSL types shared by the TypeScript reference, the circuit input builder and the facade.
 * The integer contract is documented in circuits/README.md.
 */

export type AttestationType = "trust" | "skill" | "vouch" | "endorsement";

export interface Opinion {
  readonly belief: number;
  readonly disbelief: number;
  readonly uncertainty: number;
  readonly base_rate: number;
}

/** Compatible with the Shadowgraph attestation shape; times are epoch milliseconds. */
export interface Attestation {
  readonly source: string;
  readonly target: string;
  readonly opinion: Opinion;
  readonly attestation_type: AttestationType;
  readonly weight: number;
  readonly created_at: number;
  readonly expires_at: number;
}

/** One circuit slot: an attestation in the circuit's fixed-point integers. */
export interface EncodedSlot {
  readonly r: bigint;
  readonly s: bigint;
  readonly w: bigint;
  readonly a: bigint;
  readonly created: bigint;
  readonly expires: bigint;
  readonly issuer: bigint;
  readonly target: bigint;
}

export interface CircuitPublicInputs {
  readonly now: bigint;
  readonly subject: bigint;
  readonly threshold: bigint;
  readonly reveal: 0n | 1n;
}

/** The integers the circuit outputs and the intermediate sums the reference reports. */
export interface CircuitOutputs {
  readonly commitment: bigint;
  readonly scoreOut: bigint;
  readonly meets: 0n | 1n;
  readonly score: bigint;
  readonly R: bigint;
  readonly S: bigint;
  readonly WS: bigint;
  readonly AS: bigint;
  readonly aF: bigint;
  readonly D: bigint;
}
