import { describe, expect, it } from "vitest";
import { classificationRule, classifyError } from "../../../src/lib/proof/core/error-classification.js";
import type { ClassifyContext } from "../../../src/lib/proof/core/error-classification.js";
import { CancelledError, ERROR_POLICY, NetworkError, ProofError, TimeoutError, createProofError } from "../../../src/lib/proof/core/errors.js";
import type { ProofErrorCode } from "../../../src/lib/proof/core/errors.js";

/** Rebuild an error exactly as it was observed (constructor, name, message, cause). */
function observed(Ctor: new (message: string) => Error, message: string, extra: { name?: string; cause?: unknown } = {}): Error {
  const e = new Ctor(message);
  if (extra.name) Object.defineProperty(e, "name", { value: extra.name });
  if (extra.cause !== undefined) Object.defineProperty(e, "cause", { value: extra.cause });
  return e;
}
const dom = (message: string, name: string) => new DOMException(message, name);
const sysError = (message: string, code: string) => Object.assign(new Error(message), { code });

interface Sample {
  /** Where the sample comes from (see .tmp/errsamples/collect.mjs for how it was produced). */
  readonly name: string;
  readonly error: () => unknown;
  readonly code: ProofErrorCode;
  readonly rule: string;
  readonly context?: ClassifyContext;
  /** A planted value that must not appear in the classified message or details. */
  readonly secret?: string;
  readonly details?: Record<string, unknown>;
}

// Observed with snarkjs 0.7.6 groth16.fullProve on a 3-line circom 2.2.3 circuit
// (`a * b[0] === b[1]; assert(a < n);`), Node 20, unless the name says "documented".
const SAMPLES: readonly Sample[] = [
  // circom witness runtime
  { name: "assert() failed (a=987654321 planted)", error: () => observed(Error, "Error: Assert Failed. Error in template Guard_0 line: 7\n"), code: "WITNESS_CONSTRAINT_FAILED", rule: "circom-assert", details: { template: "Guard_0", line: 7 } },
  { name: "=== constraint failed (b[1]=424242 planted)", error: () => observed(Error, "Error: Assert Failed. Error in template Guard_0 line: 6\n"), code: "WITNESS_CONSTRAINT_FAILED", rule: "circom-assert", details: { template: "Guard_0", line: 6 } },
  { name: "missing input signal", error: () => observed(Error, "Not all inputs have been set. Only 1 out of 3"), code: "WITNESS_INPUT_INVALID", rule: "inputs-missing", details: { inputsSet: 1, inputsExpected: 3 } },
  { name: "array too long", error: () => observed(Error, "Too many values for input signal b\n"), code: "WITNESS_INPUT_INVALID", rule: "signal-too-many", details: { signal: "b" } },
  { name: "array too short", error: () => observed(Error, "Not enough values for input signal b\n"), code: "WITNESS_INPUT_INVALID", rule: "signal-not-enough", details: { signal: "b" } },
  { name: "unknown extra signal", error: () => observed(Error, "Too many values for input signal secretz\n"), code: "WITNESS_INPUT_INVALID", rule: "signal-too-many", details: { signal: "secretz" } },
  { name: "runtime: signal not found", error: () => observed(Error, "Signal attestations not found\n"), code: "WITNESS_INPUT_INVALID", rule: "signal-not-found", details: { signal: "attestations" } },
  { name: "non-numeric string (planted)", error: () => observed(SyntaxError, "Cannot convert 31337abc to a BigInt"), code: "WITNESS_INPUT_INVALID", rule: "bigint-conversion", secret: "31337" },
  { name: "non-integer number (planted)", error: () => observed(RangeError, "The number 271828.5 cannot be converted to a BigInt because it is not an integer"), code: "WITNESS_INPUT_INVALID", rule: "bigint-conversion", secret: "271828" },
  { name: "null value", error: () => observed(TypeError, "Cannot convert null to a BigInt"), code: "WITNESS_INPUT_INVALID", rule: "bigint-conversion" },
  { name: "object value", error: () => observed(SyntaxError, "Cannot convert [object Object] to a BigInt"), code: "WITNESS_INPUT_INVALID", rule: "bigint-conversion" },
  { name: "live BigInt() of a planted secret", error: () => { try { BigInt("8675309xyz"); } catch (e) { return e; } return undefined; }, code: "WITNESS_INPUT_INVALID", rule: "bigint-conversion", secret: "8675309" },
  { name: "documented: Firefox BigInt", error: () => observed(SyntaxError, "can't convert 5551212z to BigInt"), code: "WITNESS_INPUT_INVALID", rule: "bigint-conversion", secret: "5551212" },
  { name: "documented: Safari BigInt", error: () => observed(SyntaxError, "Failed to parse String to BigInt"), code: "WITNESS_INPUT_INVALID", rule: "bigint-conversion" },
  // circom_runtime's error() import prints signal values ("<loc> <b> != <c> <loc>"); not matched, must not leak.
  { name: "runtime error() with values (planted)", error: () => observed(Error, "main.c 123456789 != 42 line 7"), code: "PROVING_FAILED", rule: "proving-stage", context: { stage: "witness" }, secret: "123456789" },

  // artifacts
  { name: "zkey of another circuit", error: () => observed(Error, "Invalid witness length. Circuit: 4, witness: 5"), code: "ARTIFACT_INVALID", rule: "witness-length", details: { circuitVars: 4, witnessVars: 5 } },
  { name: "zkey truncated to 1000 bytes", error: () => observed(Error, "Reading out of bounds"), code: "ARTIFACT_INVALID", rule: "zkey-format" },
  { name: "zkey of zero bytes", error: () => observed(Error, "Reading out of bounds"), code: "ARTIFACT_INVALID", rule: "zkey-format" },
  { name: "zkey filled with 7s (file bytes in message)", error: () => observed(Error, `${Array(3288).fill(7).join(",")}: Invalid File format`), code: "ARTIFACT_INVALID", rule: "zkey-format", secret: "7,7,7" },
  { name: "zkey version byte changed", error: () => observed(Error, "Version not supported"), code: "ARTIFACT_INVALID", rule: "zkey-format" },
  { name: "wasm of garbage", error: () => observed(Error, "WebAssembly.compile(): expected magic word 00 61 73 6d, found 03 03 03 03 @+0", { name: "CompileError" }), code: "ARTIFACT_INVALID", rule: "wasm-compile" },
  { name: "wasm truncated", error: () => observed(Error, 'WebAssembly.compile(): section (code 10, "Code") extends past end of the module (length 25020, remaining bytes 16641) @+628', { name: "CompileError" }), code: "ARTIFACT_INVALID", rule: "wasm-compile" },
  { name: "live CompileError", error: () => { try { new WebAssembly.Module(new Uint8Array([1, 2, 3, 4])); } catch (e) { return e; } return undefined; }, code: "ARTIFACT_INVALID", rule: "wasm-compile" },
  // Observed flipping single bytes of the pinned multiplier zkey (snarkjs 0.7.6 groth16.prove).
  { name: "corrupt zkey section read", error: () => observed(TypeError, "Cannot read properties of undefined (reading 'set')"), code: "ARTIFACT_INVALID", rule: "zkey-malformed", context: { stage: "proving" }, details: { artifact: "zkey" } },
  { name: "corrupt zkey offset", error: () => observed(RangeError, "offset is out of bounds"), code: "ARTIFACT_INVALID", rule: "zkey-malformed", context: { stage: "proving" } },
  { name: "corrupt zkey field element", error: () => observed(SyntaxError, "Cannot convert 0x to a BigInt"), code: "ARTIFACT_INVALID", rule: "zkey-malformed", context: { stage: "proving" } },
  { name: "corrupt zkey curve prime", error: () => observed(Error, "Curve not supported: 21888242871839275222246405745257275088696311157297823662689037867157435514183"), code: "ARTIFACT_INVALID", rule: "zkey-protocol" },
  { name: "corrupt zkey section size", error: () => observed(Error, "Invalid section size reading"), code: "ARTIFACT_INVALID", rule: "zkey-format" },

  // memory (fullProve under `ulimit -v`)
  { name: "ulimit 4 GB: Memory()", error: () => observed(RangeError, "WebAssembly.Memory(): could not allocate memory"), code: "RESOURCE_EXHAUSTED", rule: "wasm-memory" },
  { name: "ulimit 12 GB: instantiate()", error: () => observed(RangeError, "WebAssembly.instantiate(): Out of memory: Cannot allocate Wasm memory for new instance"), code: "RESOURCE_EXHAUSTED", rule: "wasm-instance-oom" },
  { name: "ulimit 12 GB: Memory.grow()", error: () => observed(RangeError, "WebAssembly.Memory.grow(): Maximum memory size exceeded"), code: "RESOURCE_EXHAUSTED", rule: "wasm-memory" },
  { name: "ulimit 4 GB: ArrayBuffer", error: () => observed(RangeError, "Array buffer allocation failed"), code: "RESOURCE_EXHAUSTED", rule: "array-buffer-oom" },
  { name: "circom runtime code 5", error: () => observed(Error, "Not enough memory. "), code: "RESOURCE_EXHAUSTED", rule: "circom-memory" },
  { name: "documented: Firefox out of memory", error: () => observed(Error, "out of memory", { name: "InternalError" }), code: "RESOURCE_EXHAUSTED", rule: "out-of-memory" },
  { name: "live stack overflow", error: () => { const f = (n: number): number => f(n + 1) + 1; try { f(0); } catch (e) { return e; } return undefined; }, code: "RESOURCE_EXHAUSTED", rule: "stack-overflow" },
  { name: "documented: Firefox recursion", error: () => observed(Error, "too much recursion", { name: "InternalError" }), code: "RESOURCE_EXHAUSTED", rule: "stack-overflow" },

  // network (Node undici), documented browser strings
  { name: "fetch: DNS failure", error: () => observed(TypeError, "fetch failed", { cause: sysError("getaddrinfo ENOTFOUND nonexistent.invalid", "ENOTFOUND") }), code: "NETWORK_ERROR", rule: "fetch-failed", details: { causeCode: "ENOTFOUND" } },
  { name: "fetch: bad port", error: () => observed(TypeError, "fetch failed", { cause: new Error("bad port") }), code: "NETWORK_ERROR", rule: "fetch-failed" },
  { name: "fetch: body cut mid-stream", error: () => observed(TypeError, "terminated", { cause: sysError("other side closed", "UND_ERR_SOCKET") }), code: "NETWORK_ERROR", rule: "fetch-failed" },
  { name: "socket error on its own", error: () => sysError("read ECONNRESET", "ECONNRESET"), code: "NETWORK_ERROR", rule: "socket" },
  { name: "documented: Chromium", error: () => observed(TypeError, "Failed to fetch"), code: "NETWORK_ERROR", rule: "fetch-failed" },
  { name: "documented: Firefox", error: () => observed(TypeError, "NetworkError when attempting to fetch resource."), code: "NETWORK_ERROR", rule: "fetch-failed" },
  { name: "documented: Safari", error: () => observed(TypeError, "Load failed"), code: "NETWORK_ERROR", rule: "fetch-failed" },
  { name: "DOMException NetworkError", error: () => dom("A network error occurred.", "NetworkError"), code: "NETWORK_ERROR", rule: "network-name" },

  // cancellation, time, storage
  { name: "fetch aborted (AbortController)", error: () => dom("This operation was aborted", "AbortError"), code: "CANCELLED", rule: "abort" },
  { name: "fetch with AbortSignal.timeout", error: () => dom("The operation was aborted due to timeout", "TimeoutError"), code: "TIMEOUT", rule: "timeout" },
  { name: "live default abort reason", error: () => { const c = new AbortController(); c.abort(); return c.signal.reason; }, code: "CANCELLED", rule: "abort" },
  { name: "IndexedDB quota", error: () => dom("The quota has been exceeded.", "QuotaExceededError"), code: "STORAGE_ERROR", rule: "quota" },
  { name: "unknown error in storage stage", error: () => dom("The database connection is closing.", "InvalidStateError"), code: "STORAGE_ERROR", rule: "storage-stage", context: { stage: "storage" } },

  // unknowns
  { name: "unknown error while proving", error: () => observed(Error, "snarkjs: unexpected state"), code: "PROVING_FAILED", rule: "proving-stage", context: { stage: "proving" } },
  { name: "engine error while computing the witness (not the zkey)", error: () => observed(TypeError, "Cannot read properties of undefined (reading 'toUpperCase')"), code: "PROVING_FAILED", rule: "proving-stage", context: { stage: "witness" } },
  { name: "unknown error elsewhere", error: () => observed(TypeError, "Cannot read properties of undefined (reading 'toUpperCase')"), code: "SYSTEM_ERROR", rule: "unclassified" },
  { name: "JSON.stringify of a bigint", error: () => observed(TypeError, "Do not know how to serialize a BigInt"), code: "SYSTEM_ERROR", rule: "unclassified" },
  { name: "live DataCloneError", error: () => { try { structuredClone(() => 1); } catch (e) { return e; } return undefined; }, code: "SYSTEM_ERROR", rule: "unclassified" },
  { name: "thrown string", error: () => "something odd", code: "SYSTEM_ERROR", rule: "unclassified" },
  { name: "thrown undefined", error: () => undefined, code: "SYSTEM_ERROR", rule: "unclassified" },
];

describe("classifyError: real samples", () => {
  it.each(SAMPLES.map((s) => [s.name, s] as const))("%s", (_name, sample) => {
    const raw = sample.error();
    const err = classifyError(raw, { circuitId: "ebsl-16", ...sample.context });
    expect(err).toBeInstanceOf(ProofError);
    expect(err.code).toBe(sample.code);
    expect(classificationRule(err)).toBe(sample.rule);
    expect(err.cause).toBe(raw);
    expect(err.details["circuitId"]).toBe("ebsl-16");
    expect(err.message.startsWith(ERROR_POLICY[sample.code].description)).toBe(true);
    for (const [k, v] of Object.entries(sample.details ?? {})) expect(err.details[k]).toBe(v);
  });

  it("never copies planted values or raw messages into message, details or JSON", () => {
    const planted = SAMPLES.filter((s) => s.secret !== undefined);
    expect(planted.length).toBeGreaterThanOrEqual(5);
    for (const sample of planted) {
      const raw = sample.error();
      const err = classifyError(raw, sample.context);
      const visible = JSON.stringify({ json: err.toJSON(), message: err.message, wire: err.toWire() });
      expect(visible, sample.name).not.toContain(sample.secret);
      expect(String((raw as Error).message ?? raw)).toContain(sample.secret); // the sample really carried it
    }
  });

  it("messages are the code's description plus safe context, not the raw text", () => {
    const err = classifyError(new Error("Too many values for input signal b\n"), { circuitId: "ebsl-64", stage: "witness", attempt: 2 });
    expect(err.message).toBe(`${ERROR_POLICY.WITNESS_INPUT_INVALID.description} (signal b, circuitId ebsl-64, stage witness, attempt 2)`);
    expect(err.severity).toBe("medium");
    expect(err.recoverability).toBe("fatal");
  });
});

describe("classifyError: structure", () => {
  it("passes a ProofError through unchanged", () => {
    const e = new NetworkError("HTTP 503 for zkey", { details: { status: 503 } });
    expect(classifyError(e, { stage: "proving" })).toBe(e);
  });

  it("finds a ProofError or a known error inside a cause chain", () => {
    const inner = new CancelledError();
    expect(classifyError(new Error("wrapped", { cause: inner }))).toBe(inner);
    const wrapped = new Error("comlink call failed", { cause: new RangeError("WebAssembly.Memory(): could not allocate memory") });
    expect(classifyError(wrapped).code).toBe("RESOURCE_EXHAUSTED");
  });

  it("an unknown input signal is named in the message (the name is not private; its value is)", () => {
    const e = classifyError(observed(Error, "Signal extra_in not found\n"), { circuitId: "multiplier", stage: "witness" });
    expect(e.code).toBe("WITNESS_INPUT_INVALID");
    expect(e.message).toContain("signal extra_in");
  });

  it("a known cause beats the stage fallback", () => {
    const wrapped = new Error("worker said no", { cause: new Error("Invalid witness length. Circuit: 4, witness: 5") });
    expect(classifyError(wrapped, { stage: "proving" }).code).toBe("ARTIFACT_INVALID");
  });

  it("AbortError is TIMEOUT when the job's signal timed out, CANCELLED otherwise", async () => {
    const timed = AbortSignal.timeout(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(timed.aborted).toBe(true);
    const abortError = new DOMException("This operation was aborted", "AbortError");
    expect(classifyError(abortError, { signal: timed }).code).toBe("TIMEOUT");
    const byProofTimeout = new AbortController();
    byProofTimeout.abort(new TimeoutError());
    expect(classifyError(abortError, { signal: byProofTimeout.signal }).code).toBe("TIMEOUT");
    const typed = new AbortController();
    const crash = createProofError("WORKER_CRASHED");
    typed.abort(crash);
    expect(classifyError(abortError, { signal: typed.signal })).toBe(crash);
    const user = new AbortController();
    user.abort();
    expect(classifyError(abortError, { signal: user.signal }).code).toBe("CANCELLED");
  });

  it("rebuilds wire errors from a worker by code", () => {
    const err = classifyError({ code: "RESOURCE_EXHAUSTED", message: "Out of memory while proving.", details: { circuitId: "ebsl-64" } });
    expect(err.code).toBe("RESOURCE_EXHAUSTED");
    expect(err.recoverability).toBe("fallback");
    expect(err.details["circuitId"]).toBe("ebsl-64");
    // A Node system error with a code that is not ours is not a wire error.
    expect(classifyError(sysError("x", "ENOENT")).code).toBe("SYSTEM_ERROR");
  });

  it("drops names that are not identifiers from details", () => {
    const err = classifyError(new Error("Too many values for input signal 9999 secret words\n"));
    expect(err.code).toBe("WITNESS_INPUT_INVALID");
    expect(err.details["signal"]).toBeUndefined();
    expect(err.message).not.toContain("9999");
  });
});
