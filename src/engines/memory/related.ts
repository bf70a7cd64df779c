import type { Corpus } from "./corpus.ts";
import { SEPARATOR } from "./corpus.ts";
import type { QueryNode } from "../../query/ast.ts";
import { runNow, type Steps } from "../../search/deadline.ts";
import { evaluateSteps } from "./evaluate.ts";

/** How many of a statement's words make its "more like this" query. */
const WORDS = 12;
/** Words of a statement read to choose them: enough for any statement's drift, bounded for a huge one. */
const READ = 50_000;

/**
 * Statements like this one: its most distinctive words (frequent here, rare in the archive,
 * found in at least one other statement) searched as any-word, best first, itself left out.
 */
export function related(
  corpus: Corpus,
  doc: number,
  count = 5,
): { doc: number; score: number }[] {
  return runNow(relatedSteps(corpus, doc, count));
}

/** `related`, yielding between units of work (see `Steps`). */
export function* relatedSteps(
  corpus: Corpus,
  doc: number,
  count = 5,
): Steps<{ doc: number; score: number }[]> {
  const counts = new Map<number, number>();
  for (const id of corpus.positions[doc]?.subarray(0, READ) ?? []) {
    if (id !== SEPARATOR) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const n = corpus.index.size;
  const weighted: [string, number][] = [];
  for (const [id, tf] of counts) {
    const term = corpus.words[id]!;
    if (term.length < 3 || /^\d/.test(term)) continue;
    const df = corpus.index.frequency(term);
    if (df < 2 || df > n / 4) continue;
    weighted.push([term, tf * Math.log(n / df)]);
  }
  const terms = weighted.sort((a, b) => b[1] - a[1]).slice(0, WORDS);
  if (terms.length === 0) return [];
  const query: QueryNode = {
    type: "or",
    children: terms.map(([term]) => ({
      type: "term",
      text: term,
      term,
      exact: true,
      at: { start: 0, end: 0 },
    })),
  };
  yield;
  const { ids, scores } = yield* evaluateSteps(corpus, query, []);
  const out: { doc: number; score: number }[] = [];
  ids.forEach((id, i) => {
    if (id !== doc) out.push({ doc: id, score: scores[i]! });
  });
  const date = (d: number) => corpus.dateKey[d]!;
  return out
    .sort((a, b) => b.score - a.score || date(b.doc) - date(a.doc))
    .slice(0, count);
}
