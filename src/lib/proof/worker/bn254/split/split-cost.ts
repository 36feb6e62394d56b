/**
 * What a split proof's parts cost on one thread, modelled from counts alone (the zkey's header
 * and the witness's values), so that split-plan.ts can balance them for any circuit without
 * timing anything: a timed plan would follow whatever else the machine was running that moment.
 *
 * The parts differ in what they wait for, which is why they are costed apart:
 * - the H evaluations (h_poly: coefficients, then three coset transforms of 2 FFTs each) run on
 *   the lead alone, and every thread's H range waits for them;
 * - the witness MSMs (A, B1, B2 over the signals, C over the private signals) can start at once;
 *   their cost follows the witness: a 0 costs nothing, a 1 one addition, any other value a full
 *   scalar multiplication's share of a Pippenger MSM;
 * - the H MSM has full-width scalars (the H evaluations are uniformly random field elements).
 *
 * Units are modelled microseconds on one thread of the machine the constants were measured on
 * (bn254.wasm in Node 20, one thread, 2^10 and 2^17 synthetic circuits, full-width and
 * bit-heavy); the plan uses only their ratios. Fit, in ms: synthetic-full-17 measured H evaluations 470
 * (model 471), witness MSMs 5160-5240 (model 5670), H MSM 1210 (model 1080); synthetic-bits-17
 * (20,472 ones, no large value) witness MSMs 48-50 (model 47).
 */

/** How many of each witness MSM's scalars are 1 and how many are anything but 0 or 1. */
export interface WitnessShape {
  /** Over the signals (A, B1, B2's scalars). */
  readonly abOnes: number;
  readonly abLarge: number;
  /** Over the private signals (C's witness scalars). */
  readonly cOnes: number;
  readonly cLarge: number;
}

/** A circuit's sizes from its zkey header. */
export interface CircuitSizes {
  readonly nVars: number;
  readonly nPrivate: number;
  readonly domainSize: number;
  /** QAP coefficient records (zkey section 4). */
  readonly nCoefs: number;
}

/** One proof's parts on one thread, in modelled microseconds. */
export interface ProofCosts {
  /** The H evaluations (the lead's alone; every H range waits for them). */
  readonly evaluations: number;
  /** A, B1, B2 and C's witness part, by MSM. */
  readonly a: number;
  readonly b1: number;
  readonly b2: number;
  readonly c: number;
  /** C's H part: domainSize full-width scalars. */
  readonly h: number;
}

/** The model's constants, in modelled microseconds (module comment). */
const MODEL = {
  // The FFTs dominate the H evaluations: 6 of n log n butterflies per domain; each coefficient
  // record is one multiply and add.
  evaluationPerPointLog: 0.2,
  evaluationPerCoef: 0.07,
  // A Pippenger MSM of m full-width scalars costs about m / log2(m) windows' worth of additions;
  // a G2 addition about 2.6 times a G1 one.
  msm: { 1: 140, 2: 360 },
  // A 1 is one bucket addition; every scalar is read once to sort out 0s and 1s.
  one: { 1: 0.4, 2: 1.0 },
  scan: 0.01,
} as const;

const log2 = (m: number): number => Math.max(1, Math.log2(Math.max(2, m)));

/** A Pippenger MSM of `m` full-width scalars. */
const fullWidth = (m: number, perPoint: number): number => (m * perPoint) / log2(m);

/**
 * One witness MSM over `n` scalars of which `ones` are 1 and `large` neither 0 nor 1. As
 * bn254.wasm runs it: when fewer than 1/8 of the scalars are 0 or 1 it runs one MSM over all of
 * them, otherwise one over the large values and one bucket for the ones.
 */
function witnessMsm(n: number, ones: number, large: number, group: 1 | 2): number {
  if (8 * (n - large) < n) return fullWidth(n, MODEL.msm[group]);
  return fullWidth(large, MODEL.msm[group]) + ones * MODEL.one[group] + n * MODEL.scan;
}

/** The shape of a witness whose every value is large: the costliest, and the plan's assumption until a witness is seen. */
export function fullWidthShape(sizes: Pick<CircuitSizes, "nVars" | "nPrivate">): WitnessShape {
  return { abOnes: 0, abLarge: sizes.nVars, cOnes: 0, cLarge: sizes.nPrivate };
}

/** The shape of the witness values `w` (32 bytes each, little-endian; the private ones after signal nPublic). */
export function witnessShapeOf(w: Uint8Array, nPublic: number): WitnessShape {
  const n = w.byteLength >>> 5;
  // By 32-bit words where the values are aligned (a .wtns file's are): 8 reads a value, not 32.
  const words = w.byteOffset % 4 === 0 ? new Uint32Array(w.buffer, w.byteOffset, n * 8) : Uint32Array.from({ length: n * 8 }, (_, k) => w[4 * k]! | (w[4 * k + 1]! << 8) | (w[4 * k + 2]! << 16) | (w[4 * k + 3]! << 24));
  const firstPrivate = nPublic + 1;
  const counts = { abOnes: 0, abLarge: 0, cOnes: 0, cLarge: 0 };
  for (let i = 0; i < n; i++) {
    const at = 8 * i;
    const high = words[at + 1]! | words[at + 2]! | words[at + 3]! | words[at + 4]! | words[at + 5]! | words[at + 6]! | words[at + 7]!;
    const low = words[at]!;
    if (high === 0 && low === 0) continue;
    const large = high !== 0 || low !== 1;
    if (large) counts.abLarge++;
    else counts.abOnes++;
    if (i < firstPrivate) continue;
    if (large) counts.cLarge++;
    else counts.cOnes++;
  }
  return counts;
}

/** One proof's modelled costs for a circuit and a witness shape. */
export function proofCosts(sizes: CircuitSizes, shape: WitnessShape): ProofCosts {
  const { nVars, nPrivate, domainSize, nCoefs } = sizes;
  return {
    evaluations: domainSize * MODEL.evaluationPerPointLog * log2(domainSize) + nCoefs * MODEL.evaluationPerCoef,
    a: witnessMsm(nVars, shape.abOnes, shape.abLarge, 1),
    b1: witnessMsm(nVars, shape.abOnes, shape.abLarge, 1),
    b2: witnessMsm(nVars, shape.abOnes, shape.abLarge, 2),
    c: witnessMsm(nPrivate, shape.cOnes, shape.cLarge, 1),
    h: fullWidth(domainSize, MODEL.msm[1]),
  };
}

/** The witness MSMs together. */
export const witnessCost = (c: ProofCosts): number => c.a + c.b1 + c.b2 + c.c;
