import type { Steps } from "../../runtime/deadline.ts";
import type { Corpus } from "./corpus.ts";

/**
 * Statements holding each gram (folded words joined by one space, side by side in the title
 * or in the body) among `docs` (the live ones, or a match set's): for each gram, the docs of
 * its rarest word that hold every word, then its words in order in their positions.
 */
export function* gramCounts(
  corpus: Corpus,
  grams: readonly string[],
  docs: Int32Array,
): Steps<number[]> {
  // A flag per doc: reading `statements[doc]` of a restored corpus costs far more.
  const inSet = new Uint8Array(corpus.positions.length);
  for (const doc of docs) inSet[doc] = 1;
  const out: number[] = [];
  for (const gram of grams) {
    out.push(count(corpus, gram.split(" "), inSet));
    yield;
  }
  return out;
}

function count(corpus: Corpus, words: string[], inSet: Uint8Array): number {
  const ids: number[] = [];
  for (const w of words) {
    const id = corpus.vocabulary.get(w);
    if (id === undefined) return 0;
    ids.push(id);
  }
  // Each word's docs by field: looked up, never copied (a common word has thousands).
  const fields = words.map((w) => [
    ...(corpus.index.postings(w)?.values() ?? []),
  ]);
  let rarest = fields[0]!;
  let least = Infinity;
  for (const maps of fields) {
    let size = 0;
    for (const m of maps) size += m.size;
    if (size < least) [rarest, least] = [maps, size];
  }
  const { positions } = corpus;
  let n = 0;
  for (let f = 0; f < rarest.length; f++)
    next: for (const doc of rarest[f]!.keys()) {
      if (!inSet[doc]) continue;
      // A doc in both the title's and the body's postings is counted at its first.
      for (let e = 0; e < f; e++) if (rarest[e]!.has(doc)) continue next;
      for (const maps of fields) {
        if (maps === rarest) continue;
        let found = false;
        for (const m of maps) if ((found = m.has(doc))) break;
        if (!found) continue next;
      }
      if (words.length === 1 || inOrder(positions[doc], ids)) n++;
    }
  return n;
}

// Whether the ids stand side by side in this order; the title and the body are apart.
function inOrder(positions: Uint32Array | undefined, ids: number[]): boolean {
  if (!positions) return false;
  for (let at = positions.indexOf(ids[0]!); at >= 0;) {
    let k = 1;
    while (k < ids.length && positions[at + k] === ids[k]) k++;
    if (k === ids.length) return true;
    at = positions.indexOf(ids[0]!, at + 1);
  }
  return false;
}
