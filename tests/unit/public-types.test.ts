/**
 * Type-level guarantees of the public surface, checked by the compiler (`tsc --noEmit` runs over
 * the tests in CI): a wrong type here fails the build. The runtime assertions only make sure
 * each block was reached.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { get } from "svelte/store";
import type { Readable as SvelteReadable } from "svelte/store";
import {
  createProver,
  isProofError,
  ProofError,
  ProofPriority,
  ProofStatus,
  RateLimitError,
  ValidationError,
  ArtifactNotFoundError,
  type EbslProofResult,
  type JobSnapshot,
  type ProofAPI,
  type ProofErrorCode,
  type ProofRequest,
  type Readable,
  type RequestRecord,
} from "../../src/index.js";

describe("public types", () => {
  it("requestProof returns a promise of the EBSL result that carries its request id", () => {
    type Request = ReturnType<ProofAPI["requestProof"]>;
    expectTypeOf<Request>().toEqualTypeOf<ProofRequest<EbslProofResult>>();
    expectTypeOf<Request["requestId"]>().toEqualTypeOf<string>();
    expectTypeOf<Awaited<Request>>().toEqualTypeOf<EbslProofResult>();
    expectTypeOf<EbslProofResult["hash"]>().toEqualTypeOf<string>();
    expectTypeOf<Parameters<ProofAPI["requestProof"]>[1]>().toEqualTypeOf<"exact" | "threshold">();
    expectTypeOf<ReturnType<ProofAPI["getRequestStatus"]>>().toEqualTypeOf<RequestRecord | undefined>();
    expect(ProofPriority.HIGH).toBe(2);
  });

  it("error classes are types, instanceof narrows the code, and details are typed per code", () => {
    const e: unknown = new RateLimitError("slow down", { details: { retryAfterMs: 1000 } });
    if (e instanceof RateLimitError) {
      expectTypeOf(e.code).toEqualTypeOf<"RATE_LIMITED">();
      expectTypeOf(e.details.retryAfterMs).toEqualTypeOf<number | undefined>();
      expect(e.details.retryAfterMs).toBe(1000);
    }
    const v: ValidationError = new ValidationError("bad", { details: { field: "x" } });
    expectTypeOf(v.details.field).toEqualTypeOf<string | undefined>();
    expectTypeOf(v.details.index).toEqualTypeOf<number | null | undefined>();
    const n = new ArtifactNotFoundError();
    expectTypeOf(n.details.url).toEqualTypeOf<string | undefined>();
    expectTypeOf(n.details.artifact).toEqualTypeOf<"wasm" | "zkey" | "vkey" | undefined>();
    if (isProofError(e)) {
      expectTypeOf(e.code).toEqualTypeOf<ProofErrorCode>();
      // A switch on the code narrows details too.
      const code = e.code;
      if (code === "RATE_LIMITED") expectTypeOf((e as ProofError<typeof code>).details.retryAfterMs).toEqualTypeOf<number | undefined>();
    }
    // The error type is a union discriminated by code: after instanceof, a switch narrows details
    // with no cast.
    const caught: unknown = new RateLimitError("slow down", { details: { retryAfterMs: 250 } });
    if (caught instanceof ProofError) {
      switch (caught.code) {
        case "RATE_LIMITED":
          expectTypeOf(caught.details.retryAfterMs).toEqualTypeOf<number | undefined>();
          expect(caught.details.retryAfterMs).toBe(250);
          break;
        case "ARTIFACT_NOT_FOUND":
          expectTypeOf(caught.details.status).toEqualTypeOf<number | undefined>();
          break;
        default:
          expectTypeOf(caught.code).not.toEqualTypeOf<"RATE_LIMITED">();
      }
    }
    // @ts-expect-error a validation error is not a rate-limit error
    const wrong: RateLimitError = new ValidationError();
    expect(wrong).toBeInstanceOf(ProofError);
  });

  it("the stores follow the Svelte store contract without importing svelte", () => {
    type Stores = ProofAPI["stores"];
    expectTypeOf<Stores["jobs"]>().toEqualTypeOf<Readable<readonly JobSnapshot[]>>();
    expectTypeOf<ReturnType<Stores["job"]>>().toEqualTypeOf<Readable<JobSnapshot | undefined>>();
    // Assignable to svelte's own Readable, so `$store`, get() and derived() accept them.
    expectTypeOf<Stores["jobs"]>().toMatchTypeOf<SvelteReadable<readonly JobSnapshot[]>>();
    expectTypeOf<Stores["queue"]>().toMatchTypeOf<SvelteReadable<{ queued: number; processing: number }>>();
    const store: Readable<number> = { subscribe: (run) => (run(7), () => undefined) };
    expect(get(store)).toBe(7);
    expectTypeOf<JobSnapshot["status"]>().toEqualTypeOf<(typeof ProofStatus)[keyof typeof ProofStatus]>();
  });

  it("the generic prover's results are typed", () => {
    type Prover = ReturnType<typeof createProver>;
    type Proved = Awaited<ReturnType<Prover["prove"]>>;
    expectTypeOf<Proved["publicSignals"]>().toEqualTypeOf<string[]>();
    expectTypeOf<Proved["verified"]>().toEqualTypeOf<boolean>();
    expectTypeOf<Awaited<ReturnType<Prover["verify"]>>>().toEqualTypeOf<boolean>();
  });
});
