import type { Corpus } from "./corpus.ts";
import type { DateRange, QueryNode } from "../../query/ast.ts";
import type { SearchQuery } from "../../query/params.ts";
import { anyOf, positives } from "../../query/tree.ts";
import { runNow, type Steps } from "../../search/deadline.ts";
import {
  evaluateSteps,
  filter,
  matchSpec,
  type Matches,
  type MatchSpec,
} from "./evaluate.ts";
import { applyFilters } from "./facets.ts";
import { echoedTest } from "./grouping.ts";

/** The statements a query matches, before ranking. */
export interface Found {
  /** False when the request holds nothing to search for or filter by. */
  searched: boolean;
  /** True when no statement had every word and the matches hold some of them. */
  relaxed: boolean;
  /** Matches within the date range and the facet selections. */
  matches: Matches;
  /** Matches within the date range, before facet selections: what facets count. */
  unfaceted: Matches;
  /** Matches (before the echoes filter) whose text more than one source published. */
  echoed: number;
  spec: MatchSpec;
  notes: string[];
}

const NONE: Matches = { ids: new Int32Array(0), scores: new Float64Array(0) };

/** `findSteps` run to the end at once, within the search time limit. */
export function find(corpus: Corpus, query: SearchQuery): Found {
  return runNow(findSteps(corpus, query));
}

/**
 * Runs a query: what it matches, with scores. With mode `all` and no statement holding every
 * word, falls back to any word and says so (`relaxed`).
 */
export function* findSteps(corpus: Corpus, query: SearchQuery): Steps<Found> {
  const notes = [...query.notes];
  const { root, dates } = query.parsed;
  const asked =
    root !== undefined || dates.from !== undefined || dates.to !== undefined;
  const searched =
    asked ||
    Object.keys(query.filters).length > 0 ||
    query.years.length > 0 ||
    query.echoes;
  if (!asked && query.q && notes.length === 0)
    notes.push(`“${query.q}” has no words to search for.`);
  let relaxed = false;
  let matches = searched
    ? yield* run(
        corpus,
        query.mode === "any" ? anyOf(root) : root,
        dates,
        notes,
      )
    : NONE;
  if (
    matches.ids.length === 0 &&
    query.mode === "all" &&
    positives(root).length > 1
  ) {
    const loose = yield* run(corpus, anyOf(root), dates, []);
    if (loose.ids.length > 0) [matches, relaxed] = [loose, true];
  }
  const faceted = applyFilters(corpus, matches, query.filters, query.years);
  const isEcho = echoedTest(corpus);
  const echoes = filter(faceted, isEcho);
  return {
    searched,
    relaxed,
    matches: query.echoes ? echoes : faceted,
    unfaceted: query.echoes ? filter(matches, isEcho) : matches,
    echoed: echoes.ids.length,
    spec: matchSpec(corpus, root),
    notes,
  };
}

function* run(
  corpus: Corpus,
  root: QueryNode | undefined,
  dates: DateRange,
  notes: string[],
): Steps<Matches> {
  const matches = yield* evaluateSteps(corpus, root, notes);
  yield;
  return withinDates(corpus, matches, dates);
}

/** Keeps statements whose dates overlap the range; a year-only date covers its whole year. */
function withinDates(
  corpus: Corpus,
  matches: Matches,
  { from, to }: DateRange,
): Matches {
  if (!from && !to) return matches;
  const start = from ? Date.parse(from) / 86_400_000 : -Infinity;
  const end = to ? Date.parse(to) / 86_400_000 : Infinity;
  return filter(
    matches,
    (doc) => corpus.lastDay[doc]! >= start && corpus.firstDay[doc]! <= end,
  );
}
