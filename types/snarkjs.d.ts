// snarkjs ships no types; these cover the calls proofline makes.
declare module "snarkjs" {
  export interface Groth16Proof {
    pi_a: string[];
    pi_b: string[][];
    pi_c: string[];
    protocol: string;
    curve: string;
  }
  export interface SnarkLogger {
    debug(msg: string): void;
    info(msg: string): void;
    warn(msg: string): void;
    error(msg: string): void;
    log?(msg: string): void;
  }
  type Bytes = Uint8Array | { type: "mem"; data: Uint8Array } | string;
  export const groth16: {
    fullProve(
      input: Record<string, unknown>,
      wasm: Bytes,
      zkey: Bytes,
      logger?: SnarkLogger,
      wtnsCalcOptions?: Record<string, unknown>,
      proverOptions?: { singleThread?: boolean },
    ): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    prove(
      zkey: Bytes,
      witness: Bytes,
      logger?: SnarkLogger,
      options?: { singleThread?: boolean },
    ): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    verify(vkey: unknown, publicSignals: string[], proof: Groth16Proof, logger?: SnarkLogger): Promise<boolean>;
  };
  export const wtns: {
    calculate(input: Record<string, unknown>, wasm: Bytes, out: { type: "mem"; data?: Uint8Array }, options?: Record<string, unknown>): Promise<void>;
  };
  export const zKey: Record<string, (...args: any[]) => Promise<any>>;
  export const powersOfTau: Record<string, (...args: any[]) => Promise<any>>;
  export const r1cs: Record<string, (...args: any[]) => Promise<any>>;
}
declare module "ffjavascript" {
  export function buildBn128(singleThread?: boolean, plugins?: unknown): Promise<any>;
  export const Scalar: any;
  export const utils: any;
  export const F1Field: any;
  export const BigBuffer: any;
}
