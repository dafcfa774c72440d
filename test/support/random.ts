/**
 * Seeded randomness for property tests and fuzzing, so that every failure can be replayed from
 * the seed it prints. A run takes its seed from PROPERTY_SEED when set (to replay one), else
 * from the test's own fixed seed.
 */

/** mulberry32: a small deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(items: readonly T[], rand: () => number): T => items[Math.floor(rand() * items.length)];

/** The seed of this run: PROPERTY_SEED when set, else `fallback`. */
export function seedOf(fallback: number): number {
  const env = process.env.PROPERTY_SEED;
  if (env === undefined || env === '') return fallback;
  const n = Number(env);
  if (!Number.isInteger(n)) throw new Error(`PROPERTY_SEED must be an integer, got "${env}"`);
  return n;
}
