import type { QueryNode, TermNode } from "../query/ast.ts";
import type { MatchPlan, Member, Store } from "../engines/store.ts";
import type { Steps } from "../runtime/deadline.ts";
import { ceilingOf, evaluateSteps } from "./evaluate.ts";
import { COUNT_ONLY } from "./match.ts";
import { scoringOf } from "./plan.ts";
import { rank } from "./rank.ts";
import { withWords } from "./words.ts";

/** How many of a statement's words make its "more like this" query. */
const WORDS = 12;
/** Words of a statement read to choose them: enough for any statement's drift, bounded for a huge one. */
const READ = 50_000;

/**
 * Statements like this one: its most distinctive words (frequent here, rare in the archive,
 * found in at least one other statement) searched as any-word, best first (the newer of two
 * equal), itself left out.
 */
export function* relatedSteps(
  store: Store,
  id: string,
  count = 5,
): Steps<Member[]> {
  const frequencies = yield* store.termFrequencies(id, READ);
  const statistics = store.statistics();
  const n = statistics.statements;
  const own = [...frequencies].filter(
    ([term]) => term.length >= 3 && !/^\d/.test(term),
  );
  // A long statement has thousands of words to count: a unit of work each.
  const { value: words } = yield* withWords(store, function* (words) {
    for (const [term] of own) {
      words.frequency(term);
      yield;
    }
    return words;
  });
  const chosen = own
    .map(([term, tf]) => ({ term, tf, df: words.frequency(term) }))
    .filter(({ df }) => df >= 2 && df <= n / 4)
    .map(({ term, tf, df }) => [term, tf * Math.log(n / df)] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, WORDS);
  if (chosen.length === 0) return [];
  const tree: QueryNode = {
    type: "or",
    children: chosen.map(([term]) => ({
      type: "term",
      text: term,
      term,
      exact: true,
      at: { start: 0, end: 0 },
    })),
  };
  const variants = (node: TermNode) => [
    { term: node.term, weight: 1, kind: "self" as const },
  ];
  const scoring = scoringOf(statistics, words);
  const plan: MatchPlan = {
    tree,
    variants,
    dates: {},
    filters: {},
    names: [],
    nameGroups: new Map(),
    years: [],
    echoes: false,
    score: (segment) => evaluateSteps(segment, tree, variants, scoring),
    ceiling: ceilingOf(tree, variants, scoring),
  };
  const set = yield* store.match(plan, COUNT_ONLY);
  const found = yield* store.candidates(set, "relevance", count + 1);
  const lines = rank([found], "relevance", [], count + 1)
    .filter((line) => line.segment.id(line.doc) !== id)
    .slice(0, count);
  const { rows } = yield* store.rows(lines);
  return rows.flatMap((row) => {
    if (!row) return [];
    const { id, title, date, source } = row.statement;
    return [
      { id, title, ...(date ? { date } : {}), ...(source ? { source } : {}) },
    ];
  });
}
