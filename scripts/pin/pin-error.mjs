// The one error type of `proofline pin`: a literal `code` callers (and tests) switch on, and a
// message written for the person at the terminal. The CLI prints the message and exits 1.

/**
 * @typedef {"USAGE" | "MISSING_FILE" | "AMBIGUOUS_FILES" | "NOT_JSON" | "NOT_A_VKEY" | "NOT_A_ZKEY"
 *   | "NOT_GROTH16" | "NOT_WASM" | "NOT_R1CS" | "NPUBLIC_MISMATCH" | "VKEY_MISMATCH" | "R1CS_MISMATCH"
 *   | "BAD_ID" | "BAD_MANIFEST"} PinErrorCode
 */

export class PinError extends Error {
  /**
   * @param {PinErrorCode} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.name = "PinError";
    /** @type {PinErrorCode} */
    this.code = code;
  }
}
