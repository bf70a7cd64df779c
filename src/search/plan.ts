import type { QueryNode, TermNode } from "../query/ast.ts";
import type { SearchQuery } from "../query/params.ts";
import type {
  MatchPlan,
  NameFilter,
  Statistics,
  Store,
  Variant,
} from "../engines/store.ts";
import type { Steps } from "../runtime/deadline.ts";
import { ceilingOf, evaluateSteps, type Scoring } from "./evaluate.ts";
import { expand, expansionShare } from "./expand.ts";
import { matchSpecOf, type MatchSpec } from "./marker.ts";
import { nameIndex, splitNames } from "./name-index.ts";
import { isNameField } from "../query/fields.ts";
import { ranking } from "./ranking.ts";
import { withWords, type QueryWords } from "./words.ts";

/** A query made ready to match: its words expanded, what to mark, how to score. */
export interface Prepared {
  query: SearchQuery;
  /** The query's tree without the names it asks for (`person:…`), which are `names`. */
  tree: QueryNode | undefined;
  names: NameFilter[];
  /** False when the request holds nothing to search for or filter by (the home page). */
  searched: boolean;
  notes: string[];
  variants(node: TermNode): Variant[];
  spec: MatchSpec;
  scoring: Scoring;
  /** Whether the archive holds a word (of those the query names). */
  known(term: string): boolean;
  unavailable: string[];
}

/**
 * Expands a query's words against the store's vocabulary (read ahead in one go for a store
 * that does not hold it) and works out what to mark. Expansions that had to be bounded are
 * noted, once.
 */
export function* prepare(store: Store, query: SearchQuery): Steps<Prepared> {
  const notes = [...query.notes];
  const { root, dates } = query.parsed;
  const asked =
    root !== undefined ||
    dates.from !== undefined ||
    dates.to !== undefined ||
    dates.undated === true;
  const searched =
    asked ||
    Object.keys(query.filters).length > 0 ||
    query.years.length > 0 ||
    query.echoes;
  if (!asked && query.q && notes.length === 0)
    notes.push(`“${query.q}” has no words to search for.`);
  const { tree, names, nested } = splitNames(root, () => nameIndex(store));
  if (nested)
    notes.push(
      "person:, place: and org: narrow the whole query: inside OR they find nothing.",
    );
  const statistics = store.statistics();
  const { value, unavailable } = yield* withWords(store, (words) =>
    expandAll(tree, words, statistics),
  );
  const variants = (node: TermNode) => value.variants.get(node) ?? [];
  return {
    query,
    tree,
    names,
    searched,
    notes: [...notes, ...value.notes],
    variants,
    spec: matchSpecOf(root, variants),
    scoring: scoringOf(statistics, value.words),
    known: (term) => value.words.frequency(term) > 0,
    unavailable,
  };
}

/**
 * The plan matching `tree` (the query's without its names, or any of its words when
 * relaxed), the names it asks for and its filters; a name facet's chosen groups stand for
 * their forms.
 */
export function planOf(
  p: Prepared,
  tree: QueryNode | undefined,
  store: Store,
): MatchPlan {
  const { query } = p;
  const index = nameIndex(store);
  // No prototype: a field may be called `__proto__` (tests/http/keys.test.ts).
  const filters: Record<string, string[]> = Object.create(null);
  for (const [field, values] of Object.entries(query.filters))
    filters[field] = isNameField(field) ? index.formsOf(field, values) : values;
  return {
    ...(tree ? { tree } : {}),
    variants: p.variants,
    dates: query.parsed.dates,
    filters,
    names: p.names,
    nameGroups: index.groupOf,
    years: query.years,
    echoes: query.echoes,
    score: (segment) => evaluateSteps(segment, tree, p.variants, p.scoring),
    ceiling: ceilingOf(tree, p.variants, p.scoring),
  };
}

/**
 * Every word of the tree with its variants, exclusions included (they must match to exclude),
 * a word at a time: a `~` word's near spellings alone can take tens of milliseconds.
 */
function* expandAll(
  root: QueryNode | undefined,
  words: QueryWords,
  statistics: Statistics,
): Steps<{
  variants: Map<TermNode, Variant[]>;
  notes: string[];
  words: QueryWords;
}> {
  const notes: string[] = [];
  const variants = new Map<TermNode, Variant[]>();
  const share = expansionShare(root);
  const memo = new Map<string, Variant[]>();
  const options = { languages: statistics.languages };
  // Each word's own count is read too (BM25F's df, the proximity pairs), as are a phrase's.
  function* visit(node: QueryNode): Steps<void> {
    if (node.type === "term") {
      words.frequency(node.term);
      variants.set(node, expand(words, node, notes, share, memo, options));
      yield;
    } else if (node.type === "phrase")
      for (const term of node.terms) words.frequency(term);
    else if (node.type === "not") yield* visit(node.child);
    else if (node.type === "and" || node.type === "or")
      for (const child of node.children) yield* visit(child);
  }
  if (root) yield* visit(root);
  return { variants, notes, words };
}

/** The archive's figures as BM25F reads them; a term's counts from the words read for the query. */
export function scoringOf(statistics: Statistics, words?: QueryWords): Scoring {
  const n = Math.max(1, statistics.statements);
  const totals = [statistics.titleWords, statistics.bodyWords];
  return {
    statements: statistics.statements,
    average: (fields) =>
      fields.reduce(
        (sum, f) => sum + (ranking.fieldBoost[f] ?? 1) * totals[f]!,
        0,
      ) / n,
    frequency: (term, fields) => {
      const c = words?.counts?.(term);
      if (!c) return 0;
      return fields.length > 1 ? c.df : fields[0] === 0 ? c.title : c.body;
    },
  };
}
