/**
 * What grouping compares: a body's words as 32-bit hashes, a key that is equal exactly when
 * two bodies have the same words, and a sample of the body's word shingles ("features").
 */
import { terms } from "../text/terms.ts";

/** Words per shingle: long enough that a shared shingle is a shared phrase, not a shared idiom. */
export const SHINGLE = 5;

/**
 * One shingle in `SAMPLE` becomes a feature: those whose hash has its top bits clear. The
 * choice depends on the shingle alone, so a shingle two bodies share is kept in both or in
 * neither, and counting features across the archive counts those shingles exactly.
 */
export const SAMPLE = 4;
const SAMPLE_SHIFT = 32 - Math.log2(SAMPLE);

/** The hash of one term, the unit of every other hash here. FNV-1a, then avalanched. */
export function hashTerm(term: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < term.length; i++) {
    h ^= term.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix(h);
}

/**
 * The body's words as `hashTerm` hashes, in order, from the one tokenizer. An engine that
 * already holds the body's terms can map them through `hashTerm` instead of tokenizing again.
 */
export function wordHashes(body: string): Uint32Array {
  const words = terms(body);
  const out = new Uint32Array(words.length);
  for (let i = 0; i < words.length; i++) out[i] = hashTerm(words[i]!);
  return out;
}

/** A key equal for two bodies exactly when their words are equal: two hash chains and the count. */
export function bodyKey(words: Uint32Array): string {
  let a = 0x9747b28c;
  let b = 0x2545f491;
  for (let i = 0; i < words.length; i++) {
    a = Math.imul(a ^ words[i]!, 0x85ebca6b);
    a = (a << 13) | (a >>> 19);
    b = Math.imul(b + words[i]!, 0xc2b2ae35) ^ (b >>> 15);
  }
  return `${words.length}:${mix(a)}:${mix(b)}`;
}

const POWER = 0x01000193;
// POWER ** (SHINGLE - 1), modulo 2^32: what the word leaving the rolling window weighed.
const LEAVING = (() => {
  let p = 1;
  for (let i = 1; i < SHINGLE; i++) p = Math.imul(p, POWER);
  return p;
})();

/**
 * The sampled shingles of a body, sorted and distinct. Shingles run across paragraph breaks:
 * moving a paragraph then changes only the few shingles at its edges.
 */
export function features(words: Uint32Array): Uint32Array {
  if (scratch.length < words.length) scratch = new Uint32Array(words.length);
  let n = 0;
  forEachFeature(words, (feature) => {
    scratch[n++] = feature;
  });
  const sorted = scratch.subarray(0, n).sort();
  let distinct = 0;
  for (let i = 0; i < n; i++)
    if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i]!;
  return sorted.slice(0, distinct);
}

/**
 * Calls `fn` with each sampled shingle of a body, in order, and the index of its first word:
 * the features `features` collects, with where they stand.
 */
export function forEachFeature(
  words: Uint32Array,
  fn: (feature: number, start: number) => void,
): void {
  if (words.length < SHINGLE) return;
  let h = 0;
  for (let i = 0; i < SHINGLE; i++) h = (Math.imul(h, POWER) + words[i]!) | 0;
  for (let i = SHINGLE; ; i++) {
    // The top bits of the rolling hash are mixed from every word: they choose the sample,
    // and only the chosen shingles pay for the finalizer.
    if (h >>> SAMPLE_SHIFT === 0) fn(mix(h), i - SHINGLE);
    if (i === words.length) break;
    h = Math.imul(h - Math.imul(words[i - SHINGLE]!, LEAVING), POWER);
    h = (h + words[i]!) | 0;
  }
}

let scratch = new Uint32Array(1024);

/** Murmur3's finalizer: every input bit flips about half the output bits. */
export function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
