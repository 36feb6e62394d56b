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

/**
 * Write a job's end once and announce it, in one round trip: the first terminal write wins, later
 * ones (a duplicate run) are dropped unannounced. One script instead of four calls because this
 * sits between the proof and the client: each call was a Redis round trip on a remote proof's
 * critical path.
 */
const FINISH_ONCE = `
if redis.call("HSETNX", KEYS[1], "finished", "1") == 0 then return 0 end
for i = 4, #ARGV, 2 do redis.call("HSET", KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call("PEXPIRE", KEYS[1], ARGV[1])
if ARGV[3] ~= "" then redis.call("PUBLISH", ARGV[2], ARGV[3]) end
return 1`;

/** `event` (optional) is published on the job's channel when this write wins. */
export async function finishOnce(redis, id, fields, keepMs, event) {
  const flat = Object.entries(fields).flatMap(([k, v]) => [k, String(v)]);
  const won = await redis.eval(FINISH_ONCE, 1, jobKey(id), String(keepMs), eventChannel(id), event ? JSON.stringify(event) : "", ...flat);
  return won === 1;
}
