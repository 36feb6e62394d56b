/**
 * The G2 multi-scalar multiplication, for now ffjavascript's (single-threaded), until
 * bn254.wasm has its own: points and scalars in the zkey/witness byte form, the result as a
 * 128-byte affine point in that same form (all zeros for infinity).
 */
export type G2Msm = (points: Uint8Array, scalars: Uint8Array) => Promise<Uint8Array>;

interface FfG2 {
  multiExpAffine(points: Uint8Array, scalars: Uint8Array): Promise<Uint8Array>;
  toAffine(p: Uint8Array): Uint8Array;
  toRprLEM(buff: Uint8Array, offset: number, p: Uint8Array): void;
  isZero(p: Uint8Array): boolean;
}

let curve: Promise<{ G2: FfG2 }> | undefined;

export async function loadG2Reference(): Promise<G2Msm> {
  curve ??= import("ffjavascript").then(({ buildBn128 }) => buildBn128(true) as Promise<{ G2: FfG2 }>);
  const { G2 } = await curve;
  return async (points, scalars) => {
    const p = await G2.multiExpAffine(points, scalars);
    const out = new Uint8Array(128);
    if (!G2.isZero(p)) G2.toRprLEM(out, 0, G2.toAffine(p));
    return out;
  };
}
