import type { Steps } from "../../runtime/deadline.ts";
import type { Corpus } from "./corpus.ts";

/**
 * Statements holding each gram (folded words joined by one space, side by side in the title
 * or in the body), among `docs` when given, else among all: for each gram, the docs of its
 * rarest word that hold every word, then its words in order in their positions.
 */
export function* gramCounts(
  corpus: Corpus,
  grams: readonly string[],
  docs?: Int32Array,
): Steps<number[]> {
  const inSet = docs && new Uint8Array(corpus.statements.length);
  if (inSet && docs) for (const doc of docs) inSet[doc] = 1;
  const out: number[] = [];
  for (const gram of grams) {
    out.push(count(corpus, gram.split(" "), inSet));
    yield;
  }
  return out;
}

function count(corpus: Corpus, words: string[], inSet?: Uint8Array): number {
  const ids = words.map((w) => corpus.vocabulary.get(w));
  if (ids.some((id) => id === undefined)) return 0;
  const docsOf = words.map((w) => {
    const docs = new Set<number>();
    for (const byDoc of corpus.index.postings(w)?.values() ?? [])
      for (const doc of byDoc.keys()) docs.add(doc);
    return docs;
  });
  const rarest = docsOf.reduce((a, b) => (b.size < a.size ? b : a));
  let n = 0;
  for (const doc of rarest) {
    if (corpus.statements[doc] === undefined || (inSet && !inSet[doc]))
      continue;
    if (!docsOf.every((d) => d.has(doc))) continue;
    if (words.length === 1 || inOrder(corpus.positions[doc], ids as number[]))
      n++;
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
