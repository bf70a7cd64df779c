/**
 * The boilerplate features of an archive: those found in at least `threshold` bodies, with
 * their counts. Asking whether a feature is boilerplate is the inner loop of grouping, so a
 * small table of per-bucket counts answers "no" for most features without touching the Map.
 */
import { forEachFeature, SHINGLE } from "./shingles.ts";

const BUCKET_BITS = 20;
const MASK = 2 ** BUCKET_BITS - 1;

// Features are mixed hashes: their low bits are as good a bucket as any.
const bucket = (feature: number) => feature & MASK;

export class Boilerplate {
  private counts = new Map<number, number>();
  private buckets = new Uint16Array(2 ** BUCKET_BITS);

  constructor(readonly threshold: number) {}

  /**
   * Features in at least `threshold` of `bodies` (each sorted and distinct), counted exactly.
   * `partLimit` bounds the candidates sorted at once (tests make it small).
   */
  static count(
    bodies: readonly Uint32Array[],
    threshold: number,
    partLimit = 2 ** 25,
  ): Boilerplate {
    const out = new Boilerplate(threshold);
    // A saturating sketch first: only features whose slot reaches the threshold can be
    // boilerplate, so only those few are counted exactly. About a slot per two occurrences,
    // from 2 MiB (in cache for a small archive) to 128 MiB: a sketch much smaller than the
    // occurrences fills up, and then every feature is a candidate (at 1,000,000 synthetic
    // statements, 2 MiB made 169 million of them, more than an array may hold).
    let occurrences = 0;
    for (const fs of bodies) occurrences += fs.length;
    const bits = Math.min(
      27,
      Math.max(21, Math.ceil(Math.log2(Math.max(1, occurrences / 2)))),
    );
    const sketch = new Uint8Array(2 ** bits);
    const mask = 2 ** bits - 1;
    const least = Math.min(threshold, 0xff);
    for (const fs of bodies)
      for (let i = 0; i < fs.length; i++) {
        const s = fs[i]! & mask;
        if (sketch[s]! < 0xff) sketch[s]!++;
      }
    // Then the candidates, counted by runs once sorted: cheaper than a Map for half a
    // million. In parts by a hash of the feature, so that no part holds more than about
    // `partLimit` of them, however large the archive.
    let candidates = 0;
    for (const fs of bodies)
      for (let i = 0; i < fs.length; i++)
        if (sketch[fs[i]! & mask]! >= least) candidates++;
    const parts = Math.max(1, Math.ceil(candidates / partLimit));
    const partOf = (f: number) => (Math.imul(f, 0x9e3779b1) >>> 0) % parts;
    const sizes = new Uint32Array(parts);
    if (parts === 1) sizes[0] = candidates;
    else {
      for (const fs of bodies)
        for (let i = 0; i < fs.length; i++)
          if (sketch[fs[i]! & mask]! >= least) sizes[partOf(fs[i]!)]!++;
    }
    for (let part = 0; part < parts; part++) {
      const sorted = new Uint32Array(sizes[part]!);
      let n = 0;
      for (const fs of bodies)
        for (let i = 0; i < fs.length; i++) {
          const f = fs[i]!;
          if (sketch[f & mask]! >= least && (parts === 1 || partOf(f) === part))
            sorted[n++] = f;
        }
      sorted.sort();
      for (let i = 0; i < sorted.length;) {
        let j = i + 1;
        while (j < sorted.length && sorted[j] === sorted[i]) j++;
        if (j - i >= threshold) out.set(sorted[i]!, j - i);
        i = j;
      }
    }
    return out;
  }

  get size(): number {
    return this.counts.size;
  }

  /** Each boilerplate feature and its count, one after the other: what `restore` takes. */
  save(): Uint32Array {
    const out = new Uint32Array(this.counts.size * 2);
    let i = 0;
    for (const [feature, count] of this.counts) {
      out[i++] = feature;
      out[i++] = count;
    }
    return out;
  }

  static restore(saved: Uint32Array, threshold: number): Boilerplate {
    const out = new Boilerplate(threshold);
    for (let i = 0; i + 1 < saved.length; i += 2)
      out.set(saved[i]!, saved[i + 1]!);
    return out;
  }

  has(feature: number): boolean {
    return this.buckets[bucket(feature)] !== 0 && this.counts.has(feature);
  }

  /** The number of bodies with a boilerplate feature; undefined for any other feature. */
  get(feature: number): number | undefined {
    return this.buckets[bucket(feature)] === 0
      ? undefined
      : this.counts.get(feature);
  }

  set(feature: number, count: number): void {
    if (!this.counts.has(feature)) this.buckets[bucket(feature)]!++;
    this.counts.set(feature, count);
  }

  delete(feature: number): void {
    if (this.counts.delete(feature)) this.buckets[bucket(feature)]!--;
  }
}

/**
 * Which words of a body (as `wordHashes`) stand in its boilerplate: the words of its
 * boilerplate features' shingles, which grouping leaves out. Only one shingle in four is a
 * feature, so a passage of boilerplate shows a feature every few words: the words between two
 * boilerplate features up to `GAP` words apart are taken too. The few words at a passage's
 * edges that no feature covers are not: widening every passage would take the name that
 * follows "held a telephone conversation with".
 */
export function boilerplateWords(
  words: Uint32Array,
  boilerplate: Pick<Boilerplate, "has">,
): Uint8Array {
  const out = new Uint8Array(words.length);
  let last = -Infinity;
  forEachFeature(words, (feature, start) => {
    if (!boilerplate.has(feature)) return;
    out.fill(1, start - last <= GAP ? last : start, start + SHINGLE);
    last = start;
  });
  return out;
}

// A passage of boilerplate goes this many words without a feature once in about 75.
const GAP = 3 * SHINGLE;
