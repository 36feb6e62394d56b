import { describe, expect, it } from "vitest";
import { normalizeUserId } from "../../../src/lib/proof/trust/user-id.js";

describe("normalizeUserId", () => {
  it("lower-cases 0x hex ids (EIP-55 checksum case) and leaves other ids exact", () => {
    expect(normalizeUserId("0xAbC123")).toBe("0xabc123");
    expect(normalizeUserId("0XABC")).toBe("0xabc");
    expect(normalizeUserId("0xNotHex")).toBe("0xNotHex");
    expect(normalizeUserId("User")).toBe("User");
    expect(normalizeUserId("")).toBe("");
  });
});
