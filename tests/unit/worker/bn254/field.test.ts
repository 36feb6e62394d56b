// @vitest-environment node
// Fp and Fr of bn254.wasm (native/bn254/field_template.h) against ffjavascript's F1 and Fr, byte
// for byte in ffjavascript's Montgomery form, on seeded random and edge values; plus chains of
// operations kept in the internal (not fully reduced) form, where limb and bound bugs hide.
import { describe, expect, it } from "vitest";
import { withCurve, fromLe, Heap, hex, leBytes, loadTestWasm, P, R, randomBelow, seeded, type FfCurve, type FfField, type Bn254TestWasm } from "./bn254-harness.js";
import { writeBytes } from "../../../../src/lib/proof/worker/bn254/bn254-wasm.js";

const OP = { add: 0, sub: 1, mul: 2, sqr: 3, neg: 4, inv: 5, canon: 6 } as const;
type Op = keyof typeof OP;
const ELEM = 36; // 9 limbs of 29 bits, one u32 each

let wasm: Bn254TestWasm;
let curve: FfCurve;
withCurve(loadTestWasm, (w, c) => {
  wasm = w;
  curve = c;
});

const fields = [
  { name: "Fp", prefix: "fp", modulus: P, ff: (): FfField => curve.F1 },
  { name: "Fr", prefix: "fr", modulus: R, ff: (): FfField => curve.Fr },
] as const;

describe.each(fields)("$name", ({ prefix, modulus, ff }) => {
  const opFn = (): ((op: number, z: number, a: number, b: number) => void) => wasm.exports[`${prefix}_op`];
  const edges = [0n, 1n, 2n, modulus - 1n, modulus - 2n, (modulus - 1n) / 2n, (modulus + 1n) / 2n, 1n << 200n];

  /** Runs one op in wasm on ffjavascript-form inputs and returns ffjavascript-form bytes. */
  function ours(op: Op, a: Uint8Array, b: Uint8Array): Uint8Array {
    const h = new Heap(wasm);
    const [pa, pb] = [h.put(a), h.put(b)];
    const [ia, ib, iz, out] = [h.alloc(ELEM), h.alloc(ELEM), h.alloc(ELEM), h.alloc(32)];
    wasm.exports[`${prefix}_from_ff`](ia, pa);
    wasm.exports[`${prefix}_from_ff`](ib, pb);
    opFn()(OP[op], iz, ia, ib);
    wasm.exports[`${prefix}_to_ff`](out, iz);
    return h.get(out, 32);
  }

  function reference(op: Op, a: Uint8Array, b: Uint8Array): Uint8Array {
    const F = ff();
    if (op === "add") return F.add(a, b);
    if (op === "sub") return F.sub(a, b);
    if (op === "mul") return F.mul(a, b);
    if (op === "sqr") return F.square(a);
    if (op === "neg") return F.neg(a);
    return F.inv(a); // ffjavascript maps 0 to 0, as ours does
  }

  it.each(["add", "sub", "mul", "sqr", "neg", "inv"] as const)("%s matches ffjavascript on edge and random values", (op) => {
    const next = seeded(0xf1e1d + OP[op]);
    const values = [...edges, ...Array.from({ length: 40 }, () => randomBelow(next, modulus))];
    for (const x of values) {
      for (const y of op === "add" || op === "sub" || op === "mul" ? values.slice(0, 12) : [0n]) {
        const [a, b] = [ff().e(x), ff().e(y)];
        expect(hex(ours(op, a, b)), `${op}(${x}, ${y})`).toBe(hex(reference(op, a, b)));
      }
    }
  });

  it("converts from and to standard form, reducing inputs >= the modulus", () => {
    const h = new Heap(wasm);
    const next = seeded(0x57d);
    const values = [0n, 1n, modulus - 1n, modulus, modulus + 5n, (1n << 256n) - 1n, ...Array.from({ length: 20 }, () => randomBelow(next, 1n << 256n))];
    for (const v of values) {
      const [inp, m, ff32, std] = [h.put(leBytes(v)), h.alloc(ELEM), h.alloc(32), h.alloc(32)];
      wasm.exports[`${prefix}_from_std`](m, inp);
      wasm.exports[`${prefix}_to_ff`](ff32, m);
      wasm.exports[`${prefix}_to_std`](std, m);
      expect(fromLe(h.get(std, 32)), `std ${v}`).toBe(v % modulus);
      expect(hex(h.get(ff32, 32)), `mont ${v}`).toBe(hex(ff().e(v % modulus)));
    }
  });

  it("keeps chains of operations on unreduced intermediates exact (3 seeds x 300 steps)", () => {
    const F = ff();
    const kinds: Op[] = ["add", "sub", "mul", "sqr", "neg", "add", "sub", "mul"];
    for (const seed of [1, 2, 3]) {
      const next = seeded(seed);
      const h = new Heap(wasm);
      // Four registers in wasm (internal form, never canonicalised) and the same in ffjavascript.
      const regs = Array.from({ length: 4 }, (_, i) => (i < 2 ? modulus - 1n - BigInt(i) : randomBelow(next, modulus)));
      const mine = regs.map(() => h.alloc(ELEM));
      let theirs = regs.map((v) => F.e(v));
      const tmp = h.put(new Uint8Array(32));
      mine.forEach((p, i) => {
        writeBytes(wasm.exports, tmp, theirs[i]!);
        wasm.exports[`${prefix}_from_ff`](p, tmp);
      });
      for (let step = 0; step < 300; step++) {
        const op = kinds[Math.floor(next() * kinds.length)]!;
        const [d, a, b] = [0, 1, 2].map(() => Math.floor(next() * 4)) as [number, number, number];
        opFn()(OP[op], mine[d]!, mine[a]!, mine[b]!);
        theirs = theirs.map((v, i) => (i === d ? reference(op, theirs[a]!, theirs[b]!) : v));
        const out = h.alloc(32);
        wasm.exports[`${prefix}_to_ff`](out, mine[d]!);
        expect(hex(h.get(out, 32)), `seed ${seed} step ${step} ${op}`).toBe(hex(theirs[d]!));
      }
    }
  });

  it("inverts: a * inv(a) = 1 for random a", () => {
    const F = ff();
    const next = seeded(0x1a7);
    for (let i = 0; i < 20; i++) {
      const a = F.e(randomBelow(next, modulus - 1n) + 1n);
      expect(hex(ours("mul", a, ours("inv", a, a)))).toBe(hex(F.e(1n)));
    }
  });
});
