/**
 * Broken copies of a Groth16 zkey, each one defect, made deterministically from the original's
 * bytes so that every copy's sha256 can be pinned: a test then knows it refused exactly these
 * bytes. Point arithmetic for the crafted points (a G2 point with a small-order component, a
 * different valid delta) is @noble/curves', independent of the prover under test.
 */
import { bn254 } from "@noble/curves/bn254.js";
import { readBinFile } from "../../../src/lib/proof/engine/artifacts/bin-file.js";

const { G1, G2, fields } = bn254;
const { Fp, Fp2 } = fields;
export const Q = Fp.ORDER;
const R = fields.Fr.ORDER;
/** #E'(Fp2) = h * r with h = 2q - r; 10069 is the smallest prime dividing h. */
const H2 = 2n * Q - R;
const R_MONT = (1n << 256n) % Q;
const R_INV = Fp.inv(R_MONT);

const le = (v: bigint, n = 32) => Uint8Array.from({ length: n }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));
const leRead = (b: Uint8Array) => b.reduceRight((v, x) => (v << 8n) | BigInt(x), 0n);
const coord = (b: Uint8Array) => Fp.mul(leRead(b), R_INV);
const mont = (v: bigint) => le(Fp.mul(v, R_MONT));

type G1P = ReturnType<typeof G1.Point.fromAffine>;
type G2P = ReturnType<typeof G2.Point.fromAffine>;

export const g1From = (b: Uint8Array): G1P => G1.Point.fromAffine({ x: coord(b.subarray(0, 32)), y: coord(b.subarray(32, 64)) });
export const g2From = (b: Uint8Array): G2P =>
  G2.Point.fromAffine({ x: Fp2.create({ c0: coord(b.subarray(0, 32)), c1: coord(b.subarray(32, 64)) }), y: Fp2.create({ c0: coord(b.subarray(64, 96)), c1: coord(b.subarray(96, 128)) }) });
const g1Bytes = (p: G1P) => {
  const a = p.toAffine();
  return new Uint8Array([...mont(a.x), ...mont(a.y)]);
};
const g2Bytes = (p: G2P) => {
  const a = p.toAffine();
  return new Uint8Array([...mont(a.x.c0), ...mont(a.x.c1), ...mont(a.y.c0), ...mont(a.y.c1)]);
};

/** k * P by double-and-add: noble's multiply takes scalars below r only, these go up to h * r. */
function times(p: G2P, k: bigint): G2P {
  let acc = G2.Point.ZERO;
  for (let bit = BigInt(k.toString(2).length - 1); bit >= 0n; bit--) {
    acc = acc.double();
    if ((k >> bit) & 1n) acc = acc.add(p);
  }
  return acc;
}

/** The first point of the twist with x = 1 + k u (k = 1, 2, ...) and its canonical root; in general not in G2. */
function twistPoint(): G2P {
  const b = Fp2.div(Fp2.create({ c0: 3n, c1: 0n }), Fp2.create({ c0: 9n, c1: 1n }));
  for (let k = 1n; ; k++) {
    const x = Fp2.create({ c0: 1n, c1: k });
    const rhs = Fp2.add(Fp2.mul(Fp2.sqr(x), x), b);
    try {
      const y = Fp2.sqrt(rhs);
      if (Fp2.eql(Fp2.sqr(y), rhs)) return G2.Point.fromAffine({ x, y });
    } catch {
      // not a square: next x
    }
  }
}

/** A point of order exactly 10069 on the twist (a small-order component), and one of order h. */
export function torsionPoints(): { small: G2P; cofactor: G2P } {
  const p = twistPoint();
  const cofactor = times(p, R);
  const small = times(cofactor, H2 / 10069n);
  if (small.is0() || cofactor.is0()) throw new Error("twist point fell into a subgroup: pick another");
  return { small, cofactor };
}

export interface ZkeyLayout {
  /** Byte offset of the header section's content (section 2) and of sections 5 and 7. */
  readonly header: number;
  readonly s5: number;
  readonly s7: number;
}

export function layout(zkey: Uint8Array): ZkeyLayout {
  const f = readBinFile(zkey, "zkey", "zkey");
  const at = (id: number) => f.sections.get(id)!.byteOffset - zkey.byteOffset;
  return { header: at(2), s5: at(5), s7: at(7) };
}

/** Offsets inside section 2 of each header point. */
export const HEADER = { nVars: 72, domainSize: 80, alpha1: 84, beta1: 148, beta2: 212, gamma2: 340, delta1: 468, delta2: 532 } as const;

/** Each broken copy by name: what it breaks, and the expected refusal's reason (a fragment). */
export function hostileZkeys(zkey: Uint8Array): Record<string, { bytes: Uint8Array; reason: RegExp }> {
  const L = layout(zkey);
  const h = (k: keyof typeof HEADER) => L.header + HEADER[k];
  const edit = (change: (z: Uint8Array, v: DataView) => void): Uint8Array => {
    const z = zkey.slice();
    change(z, new DataView(z.buffer));
    return z;
  };
  const point = (z: Uint8Array, at: number, n: number) => z.subarray(at, at + n);
  const { small, cofactor } = torsionPoints();
  // The first A base that is not the point at infinity.
  let base = 0;
  while (point(zkey, L.s5 + 64 * base, 64).every((b) => b === 0)) base++;
  return {
    "delta1 at infinity": { bytes: edit((z) => z.fill(0, h("delta1"), h("delta1") + 64)), reason: /delta1 is the point at infinity/ },
    "delta2 at infinity": { bytes: edit((z) => z.fill(0, h("delta2"), h("delta2") + 128)), reason: /delta2 is the point at infinity/ },
    "alpha1 off the curve": { bytes: edit((z) => void z[h("alpha1") + 32]!++), reason: /alpha1 is not on the curve/ },
    "beta2 off the curve": { bytes: edit((z) => void z[h("beta2") + 64]!++), reason: /beta2 is not on the curve/ },
    "delta1 off the curve": { bytes: edit((z) => void z[h("delta1")]!++), reason: /delta1 is not on the curve/ },
    // The same point, its x written as x + q: a coordinate that is not reduced.
    "delta1 coordinate >= p": {
      bytes: edit((z) => z.set(le(leRead(point(z, h("delta1"), 32)) + Q), h("delta1"))),
      reason: /delta1 has a coordinate not below the field prime/,
    },
    "delta2 with a small-order component": {
      bytes: edit((z) => z.set(g2Bytes(g2From(point(z, h("delta2"), 128)).add(small)), h("delta2"))),
      reason: /delta2 is not in the prime-order subgroup/,
    },
    "delta1 and delta2 unrelated": {
      bytes: edit((z) => z.set(g1Bytes(g1From(point(z, h("delta1"), 64)).double()), h("delta1"))),
      reason: /delta and beta points do not match/,
    },
    "beta1 and beta2 unrelated": {
      bytes: edit((z) => z.set(g1Bytes(g1From(point(z, h("beta1"), 64)).negate()), h("beta1"))),
      reason: /delta and beta points do not match/,
    },
    "an A base off the curve": { bytes: edit((z) => void z[L.s5 + 64 * base + 40]!++), reason: new RegExp(`section 5 point ${base} .* not on the curve`) },
    "a B2 base outside the subgroup": {
      bytes: edit((z) => z.set(g2Bytes(g2From(point(z, L.s7 + 128 * base, 128)).add(cofactor)), L.s7 + 128 * base)),
      reason: /section 7 has a point outside the prime-order subgroup/,
    },
    "duplicate header section": {
      bytes: (() => {
        const size = new DataView(zkey.buffer, zkey.byteOffset).getUint32(L.header - 8, true);
        const head = zkey.subarray(L.header - 12, L.header + size);
        const z = new Uint8Array(zkey.byteLength + head.byteLength);
        z.set(zkey), z.set(head, zkey.byteLength);
        const v = new DataView(z.buffer);
        v.setUint32(8, v.getUint32(8, true) + 1, true);
        return z;
      })(),
      reason: /section 2 appears twice/,
    },
    "huge signal count": { bytes: edit((_, v) => v.setUint32(h("nVars"), 0x80000001, true)), reason: /signals, more than/ },
    "huge domain": { bytes: edit((_, v) => v.setUint32(h("domainSize"), 1 << 30, true)), reason: /domain of \d+ points, more than/ },
    "huge section length": { bytes: edit((_, v) => v.setBigUint64(L.s5 - 8, 1n << 62n, true)), reason: /section 5 past the end/ },
    truncated: { bytes: zkey.slice(0, zkey.byteLength >> 1), reason: /past the end|missing/ },
  };
}
