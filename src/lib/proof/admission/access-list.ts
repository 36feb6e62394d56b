/**
 * Allow and block lists, checked before a request is queued. The block list always wins; a
 * non-empty allow list admits only its members (and no anonymous caller). Ids compare through
 * `normalizeUserId` (0x addresses case-insensitively).
 */
import { AccessDeniedError } from "../core/errors.js";
import { normalizeUserId } from "./user-id.js";

export interface AccessListOptions {
  /** If non-empty, only these users are admitted. @default [] */
  readonly allow?: Iterable<string>;
  /** Always denied. @default [] */
  readonly block?: Iterable<string>;
}

export type AccessDecision = { readonly ok: true } | { readonly ok: false; readonly reason: "blocked" | "not-allowed" | "anonymous" };

/** Mutable allow/block lists. @example new AccessList({ block: ["0xBAD..."] }).check(userId) */
export class AccessList {
  readonly #allow = new Set<string>();
  readonly #block = new Set<string>();

  constructor(options: AccessListOptions = {}) {
    for (const id of options.allow ?? []) this.#allow.add(normalizeUserId(id));
    for (const id of options.block ?? []) this.#block.add(normalizeUserId(id));
  }

  /** The decision for a caller; `undefined` is an anonymous caller. */
  decide(userId: string | undefined): AccessDecision {
    if (userId === undefined) return this.#allow.size > 0 ? { ok: false, reason: "anonymous" } : { ok: true };
    const key = normalizeUserId(userId);
    if (this.#block.has(key)) return { ok: false, reason: "blocked" };
    if (this.#allow.size > 0 && !this.#allow.has(key)) return { ok: false, reason: "not-allowed" };
    return { ok: true };
  }

  /** @throws AccessDeniedError with `details.reason` ("blocked" | "not-allowed" | "anonymous"). */
  check(userId: string | undefined): void {
    const decision = this.decide(userId);
    if (!decision.ok) {
      throw new AccessDeniedError(`Access denied (${decision.reason}).`, { details: { reason: decision.reason } });
    }
  }

  allow(userId: string): void {
    this.#allow.add(normalizeUserId(userId));
  }

  disallow(userId: string): void {
    this.#allow.delete(normalizeUserId(userId));
  }

  block(userId: string): void {
    this.#block.add(normalizeUserId(userId));
  }

  unblock(userId: string): void {
    this.#block.delete(normalizeUserId(userId));
  }

  /** Normalised copies of both lists (for display or persistence). */
  snapshot(): { allow: string[]; block: string[] } {
    return { allow: [...this.#allow].sort(), block: [...this.#block].sort() };
  }
}
