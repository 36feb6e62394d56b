import { describe, expect, it } from "vitest";
import { AccessDeniedError, type ProofError } from "../../../src/lib/proof/core/errors.js";
import { AccessList } from "../../../src/lib/proof/admission/access-list.js";

function reason(list: AccessList, id: string | undefined): unknown {
  try {
    list.check(id);
    return "ok";
  } catch (error) {
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect((error as ProofError).code).toBe("ACCESS_DENIED");
    return (error as ProofError).details.reason;
  }
}

describe("AccessList", () => {
  it("admits everyone when both lists are empty", () => {
    const list = new AccessList();
    expect(reason(list, "anyone")).toBe("ok");
    expect(reason(list, undefined)).toBe("ok");
  });

  it("always denies blocked users, even when allowed", () => {
    const list = new AccessList({ allow: ["0xAA"], block: ["0xaa", "mallory"] });
    expect(reason(list, "0xAa")).toBe("blocked");
    expect(reason(list, "mallory")).toBe("blocked");
  });

  it("a non-empty allow list admits only its members", () => {
    const list = new AccessList({ allow: ["0xAbC", "alice"] });
    expect(reason(list, "0xabc")).toBe("ok");
    expect(reason(list, "0XABC")).toBe("ok");
    expect(reason(list, "alice")).toBe("ok");
    expect(reason(list, "Alice")).toBe("not-allowed"); // non-hex ids compare exactly
    expect(reason(list, undefined)).toBe("anonymous");
  });

  it("can be changed at run time", () => {
    const list = new AccessList();
    list.block("0xDEAD");
    expect(reason(list, "0xdead")).toBe("blocked");
    list.unblock("0xdead");
    list.allow("bob");
    expect(reason(list, "0xdead")).toBe("not-allowed");
    list.disallow("bob");
    expect(reason(list, "0xdead")).toBe("ok");
    expect(list.snapshot()).toEqual({ allow: [], block: [] });
  });
});
