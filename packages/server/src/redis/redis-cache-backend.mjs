/**
 * The library's persistent proof cache backend on Redis: one hash of entries and one salt for
 * every prover worker, so the keys are the library's own salted digests (never plaintext input)
 * and identical everywhere. The library loads the entries when a worker's cache first opens;
 * entries another worker adds later are seen by workers started after them.
 */
import { CACHE_KEY, CACHE_SALT_KEY } from "./keys.mjs";

export function redisCacheBackend(redis) {
  return {
    async loadAll() {
      const all = await redis.hgetall(CACHE_KEY);
      return Object.entries(all).flatMap(([key, json]) => {
        try {
          return [[key, JSON.parse(json)]];
        } catch {
          return [];
        }
      });
    },
    set: async (key, entry) => void (await redis.hset(CACHE_KEY, key, JSON.stringify(entry))),
    delete: async (key) => void (await redis.hdel(CACHE_KEY, key)),
    clear: async () => void (await redis.del(CACHE_KEY)),
    getSalt: async () => (await redis.get(CACHE_SALT_KEY)) ?? undefined,
    // The first worker's salt is everyone's: SET NX, then read back what won.
    setSalt: async (salt) => void (await redis.set(CACHE_SALT_KEY, salt, "NX")),
  };
}
