/**
 * Redis names shared by API instances and prover workers. A job's record (status, progress,
 * result or error: public data only) is a hash; its events go out on a channel every API
 * instance listens to, so whichever instance holds the client's socket relays them.
 */
export const QUEUE = "proofline-proofs";
export const jobKey = (id) => `proofline:job:${id}`;
export const eventChannel = (id) => `proofline:events:${id}`;
export const EVENT_PATTERN = "proofline:events:*";
export const CANCEL_CHANNEL = "proofline:cancel";
export const rateKey = (principal, window) => `proofline:rate:${window}:${principal}`;
export const CACHE_KEY = "proofline:cache";
export const CACHE_SALT_KEY = "proofline:cache:salt";

/** ProofPriority (LOW 0 … CRITICAL 3) to BullMQ's priority, where a smaller number runs first. */
export const bullPriority = (priority = 1) => 4 - priority;

/** BullMQ connection options from a redis:// URL. */
export function connectionFromUrl(url) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    maxRetriesPerRequest: null,
  };
}

/** Write a job's end once: the first terminal write wins, later ones (a duplicate run) are dropped. */
export async function finishOnce(redis, id, fields, keepMs) {
  const won = await redis.hsetnx(jobKey(id), "finished", "1");
  if (!won) return false;
  await redis.hset(jobKey(id), fields);
  await redis.pexpire(jobKey(id), keepMs);
  return true;
}
