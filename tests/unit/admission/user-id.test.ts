import { describe, expect, it } from "vitest";
import { ValidationError, type ProofError } from "../../../src/lib/proof/core/errors.js";
import { canonicalUserId, MAX_USER_ID_LENGTH, normalizeUserId } from "../../../src/lib/proof/admission/user-id.js";

function refusal(value: unknown, field?: string): ProofError {
  try {
    canonicalUserId(value, field);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ProofError;
  }
  throw new Error("expected a ValidationError");
}

describe("canonicalUserId", () => {
  it("spells a 0x hex id by its numeric value: case, zero padding and prefix case do not matter", () => {
    expect(canonicalUserId("0xAbC123")).toBe("0xabc123");
    expect(canonicalUserId("0XABC")).toBe("0xabc");
    expect(canonicalUserId("0x000abcde")).toBe("0xabcde");
    expect(canonicalUserId("0x0")).toBe("0x0");
    expect(canonicalUserId("0x" + "0".repeat(600) + "1")).toBe("0x1");
    expect(normalizeUserId("0xAbC")).toBe("0xabc");
  });

  it("keeps other ids exact (case may be meaningful) after NFKC and trimming", () => {
    expect(canonicalUserId("User")).toBe("User");
    expect(canonicalUserId("0xNotHex")).toBe("0xNotHex");
    expect(canonicalUserId("  alice\t")).toBe("alice");
    expect(canonicalUserId("\u00a0alice\u3000")).toBe("alice");
    // Fullwidth forms are the ASCII id.
    expect(canonicalUserId("\uff10\uff58\uff21\uff22")).toBe("0xab");
    expect(canonicalUserId("ａｌｉｃｅ")).toBe("alice");
  });

  it.each([
    ["zero-width space", "ali\u200bce"],
    ["zero-width joiner", "0xab\u200d"],
    ["bidi override", "\u202ealice"],
    ["BOM inside", "0x\ufeffab"],
    ["control character", "ali\u0000ce"],
    ["Hangul filler", "alice\u3164"],
    ["variation selector", "alice\ufe0f"],
    ["lone surrogate", "alice\ud800"],
  ])("refuses a %s (an id that looks like another)", (_, id) => {
    expect(refusal(id).details).toEqual({ index: null, field: "userId", reason: "must not contain control or invisible characters" });
  });

  it("refuses non-strings, empty ids and ids over 256 characters, naming the field, never echoing the id", () => {
    expect(refusal(42, "allowList[3]").details).toMatchObject({ field: "allowList[3]", reason: "must be a string" });
    expect(refusal("   ").details["reason"]).toBe("must be a non-empty string");
    expect(canonicalUserId("u".repeat(MAX_USER_ID_LENGTH))).toHaveLength(256);
    const long = refusal("u".repeat(MAX_USER_ID_LENGTH + 1));
    expect(long.details["reason"]).toBe("must be at most 256 characters");
    expect(long.message).not.toContain("uuuu");
    // A 2 MiB id is refused before any Unicode work.
    expect(refusal("x".repeat(2 ** 21)).details["reason"]).toBe("must be at most 256 characters");
  });
});
