/** A seeded PRNG (mulberry32): the same seed gives the same synthetic corpus on any machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Draws ranks 0…n-1 with probability ∝ 1/(rank+1)^s. Walker's alias method makes each draw
 * O(1): a 300,000-statement corpus needs about 250 million draws.
 */
export function zipfSampler(
  n: number,
  s: number,
  random: () => number,
): () => number {
  const weights = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += weights[i] = 1 / Math.pow(i + 1, s);
  const prob = new Float64Array(n);
  const alias = new Int32Array(n);
  const small: number[] = [];
  const large: number[] = [];
  for (let i = 0; i < n; i++) {
    prob[i] = (weights[i]! * n) / sum;
    (prob[i]! < 1 ? small : large).push(i);
  }
  while (small.length && large.length) {
    const less = small.pop()!;
    const more = large.pop()!;
    alias[less] = more;
    prob[more] = prob[more]! + prob[less]! - 1;
    (prob[more]! < 1 ? small : large).push(more);
  }
  // Leftovers differ from 1 only by rounding.
  for (const i of [...small, ...large]) prob[i] = 1;
  return () => {
    const i = Math.floor(random() * n);
    return random() < prob[i]! ? i : alias[i]!;
  };
}

/** One of `items`, chosen by `weights`. */
export function pickWeighted<T>(
  items: readonly T[],
  weights: readonly number[],
  random: () => number,
): T {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = random() * total;
  for (let i = 0; i < items.length; i++) {
    r -= weights[i]!;
    if (r < 0) return items[i]!;
  }
  return items[items.length - 1]!;
}
