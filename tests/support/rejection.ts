import { expect } from "vitest";
import { ProofError } from "../../src/lib/proof/core/errors.js";

/** Await a promise that must reject with a typed ProofError, and return that error. */
export async function rejection(p: Promise<unknown>): Promise<ProofError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ProofError);
    return e as ProofError;
  }
  throw new Error("expected a rejection");
}

/** The `code` of the typed ProofError a promise must reject with. */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  return (await rejection(p)).code;
}
