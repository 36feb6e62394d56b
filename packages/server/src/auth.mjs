/**
 * Pluggable authentication. `apiKeys` maps each key to the principal it stands for (or is a list
 * of keys, each its own principal); a request carries it as `Authorization: Bearer <key>` or
 * `X-API-Key`, or (browsers cannot set headers on a WebSocket) as the subprotocol
 * `proofline-key.<base64url of the key>`. Keys are compared as SHA-256 digests in constant time. `authenticate(request)`
 * replaces this with any scheme: it returns a principal id, or undefined to refuse.
 */
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (key) => createHash("sha256").update(key, "utf8").digest();

const fromProtocol = (header) => {
  if (typeof header !== "string") return undefined;
  const token = header.split(",").map((p) => p.trim()).find((p) => p.startsWith("proofline-key."));
  return token === undefined ? undefined : Buffer.from(token.slice("proofline-key.".length), "base64url").toString("utf8");
};

export function apiKeyAuthenticator(apiKeys) {
  const entries = Array.isArray(apiKeys) ? apiKeys.map((key, i) => [key, `key-${i + 1}`]) : Object.entries(apiKeys);
  const table = entries.map(([key, principal]) => ({ digest: digest(key), principal }));
  return (request) => {
    const header = request.headers.authorization;
    const key = typeof header === "string" && header.startsWith("Bearer ") ? header.slice(7) : (request.headers["x-api-key"] ?? fromProtocol(request.headers["sec-websocket-protocol"]));
    if (typeof key !== "string" || key.length === 0 || key.length > 512) return undefined;
    const d = digest(key);
    let found;
    // Every entry is compared so the time taken does not say which key matched.
    for (const entry of table) if (timingSafeEqual(entry.digest, d)) found ??= entry.principal;
    return found;
  };
}
