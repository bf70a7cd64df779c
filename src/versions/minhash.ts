/**
 * MinHash signatures and LSH band keys: which pairs of bodies are worth comparing, without
 * comparing every pair. Two bodies whose features have Jaccard similarity J share a band with
 * probability 1 - (1 - J^ROWS)^BANDS: 0.99 at J = 0.75, 0.92 at 0.6, 0.64 at 0.5, 0.13 at 0.3.
 */
import { mix } from "./shingles.ts";

/** Rows per band: more rows make a band collision rarer for dissimilar bodies. */
export const ROWS = 4;
/** Bands per signature: more bands catch more similar pairs. */
export const BANDS = 16;
/** Values per signature. */
export const LENGTH = ROWS * BANDS;

const BIN_BITS = Math.log2(LENGTH);
const VALUE_MASK = 2 ** (32 - BIN_BITS) - 1;

/**
 * A one-permutation MinHash signature (one pass over the features, each landing in one of
 * LENGTH bins, keeping the least per bin) with rotation densification: an empty bin takes
 * the next non-empty bin's value, offset by the distance, so equal sets still agree.
 * `keep` chooses the features that count (the ones that are not boilerplate).
 */
export function signature(
  features: Uint32Array,
  keep: (feature: number) => boolean,
): Uint32Array | undefined {
  const bins = new Uint32Array(LENGTH).fill(0xffffffff);
  let any = false;
  for (let i = 0; i < features.length; i++) {
    const f = features[i]!;
    if (!keep(f)) continue;
    const h = mix(f ^ 0x5bd1e995);
    const bin = h >>> (32 - BIN_BITS);
    const value = h & VALUE_MASK;
    if (value < bins[bin]!) bins[bin] = value;
    any = true;
  }
  if (!any) return undefined;
  const out = bins.slice();
  for (let i = 0; i < LENGTH; i++) {
    if (bins[i] !== 0xffffffff) continue;
    let d = 1;
    while (bins[(i + d) % LENGTH] === 0xffffffff) d++;
    // The offset keeps a borrowed value from equalling a value that was really there.
    out[i] = bins[(i + d) % LENGTH]! + d * (VALUE_MASK + 1);
  }
  return out;
}

/** One key per band: the band's rows hashed together. Equal keys mean a candidate pair. */
export function bandKeys(sig: Uint32Array, out: Uint32Array, at: number): void {
  for (let b = 0; b < BANDS; b++) {
    let h = b;
    for (let r = 0; r < ROWS; r++)
      h = Math.imul(h ^ sig[b * ROWS + r]!, 0x9e3779b1) + r;
    out[at + b] = mix(h);
  }
}
