import type { Corpus } from "../corpus.ts";
import { formatDate } from "../dates.ts";
import { highlight, snippet, type Html } from "../highlight.ts";
import type { DateRange, QueryNode } from "../query/ast.ts";
import { parseQuery, type SearchQuery, type Sort } from "../query/params.ts";
import {
  evaluate,
  filter,
  matchSpec,
  type Matches,
  type MatchSpec,
} from "./evaluate.ts";
import { specMarker } from "./marker.ts";
import { order } from "./rank.ts";
import { correctQuery } from "./suggest.ts";

/** One result line: everything the results page prints of a statement. */
export interface Hit {
  id: string;
  title: string;
  /** The title with matched words marked. */
  titleHtml: Html;
  date?: string;
  /** The date as a person reads it (`7 September 2023`). */
  dateLabel?: string;
  source?: string;
  url?: string;
  score: number;
  /** The best-matching passage of the body, matched words marked. */
  snippet: Html;
}

/** One page of results, and how the query was understood. */
export interface SearchPage {
  q: string;
  mode: "all" | "any";
  sort: Sort;
  /** The query in words: `“joint statement” AND Karabakh, not Armenia`. */
  description: string;
  /** The query tree as parsed, and its date range. */
  parsed: { root?: QueryNode; dates: DateRange };
  /** False when the request holds nothing to search for (the home page). */
  searched: boolean;
  total: number;
  page: number;
  size: number;
  pageCount: number;
  /** True when no statement had every word and the results hold some of them. */
  relaxed: boolean;
  tookMs: number;
  notes: string[];
  /** A corrected query that finds more, when this one finds little. */
  didYouMean?: { q: string; total: number };
  hits: Hit[];
}

/** A query finding fewer results than this gets a spelling suggestion, when one helps. */
const FEW = 3;

export function search(corpus: Corpus, query: SearchQuery): SearchPage {
  const started = performance.now();
  const notes = [...query.notes];
  const { root, dates } = query.parsed;
  const searched =
    root !== undefined || dates.from !== undefined || dates.to !== undefined;
  if (!searched && query.q && notes.length === 0)
    notes.push(`“${query.q}” has no words to search for.`);
  let relaxed = false;
  let found = searched
    ? run(corpus, query.mode === "any" ? anyOf(root) : root, dates, notes)
    : undefined;
  if (
    found &&
    found.matches.ids.length === 0 &&
    query.mode === "all" &&
    positives(root).length > 1
  ) {
    const loose = run(corpus, anyOf(root), dates, []);
    if (loose.matches.ids.length > 0) [found, relaxed] = [loose, true];
  }
  const total = found?.matches.ids.length ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / query.size));
  const page = Math.min(query.page, pageCount);
  if (page < query.page)
    notes.push(
      `There are only ${pageCount} pages of results; showing page ${page}.`,
    );
  let hits: Hit[] = [];
  if (found) {
    const ranked = order(
      corpus,
      found.matches,
      query.sort,
      wordPairs(corpus, root),
    );
    hits = ranked
      .slice((page - 1) * query.size, page * query.size)
      .map((i) =>
        toHit(
          corpus,
          found.matches.ids[i]!,
          found.matches.scores[i]!,
          found.spec,
        ),
      );
  }
  let didYouMean: SearchPage["didYouMean"];
  if (searched && total < FEW) {
    const corrected = correctQuery(corpus, query.q, root);
    const better =
      corrected &&
      parseQuery({ ...paramsOf(query), q: corrected }, corpus.fields.keys());
    const betterTotal = better
      ? run(corpus, better.parsed.root, better.parsed.dates, []).matches.ids
          .length
      : 0;
    if (corrected && betterTotal > total)
      didYouMean = { q: corrected, total: betterTotal };
  }
  return {
    q: query.q,
    mode: query.mode,
    sort: query.sort,
    description: query.description,
    parsed: { ...(root ? { root } : {}), dates },
    searched,
    total,
    page,
    size: query.size,
    pageCount,
    relaxed,
    tookMs: Math.round((performance.now() - started) * 10) / 10,
    notes,
    ...(didYouMean ? { didYouMean } : {}),
    hits,
  };
}

function run(
  corpus: Corpus,
  root: QueryNode | undefined,
  dates: DateRange,
  notes: string[],
) {
  return {
    matches: withinDates(corpus, evaluate(corpus, root, notes), dates),
    spec: matchSpec(corpus, root),
  };
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

function positives(root: QueryNode | undefined): QueryNode[] {
  if (!root) return [];
  if (root.type === "and") return root.children.filter((c) => c.type !== "not");
  return root.type === "not" ? [] : [root];
}

/** The same query with its top-level words joined by OR; exclusions still exclude. */
function anyOf(root: QueryNode | undefined): QueryNode | undefined {
  if (root?.type !== "and") return root;
  const negative = root.children.filter((c) => c.type === "not");
  const positive = positives(root);
  const either: QueryNode =
    positive.length > 1 ? { type: "or", children: positive } : positive[0]!;
  return negative.length
    ? { type: "and", children: [either, ...negative] }
    : either;
}

/** Neighbouring plain words of the query, as term ids, for the proximity re-rank. */
function wordPairs(corpus: Corpus, root: QueryNode | undefined): number[][] {
  const words = positives(root).flatMap((n) =>
    n.type === "term" && !n.field ? [corpus.vocabulary.get(n.term)] : [],
  );
  const pairs: number[][] = [];
  for (let i = 1; i < words.length; i++) {
    const [a, b] = [words[i - 1], words[i]];
    if (a !== undefined && b !== undefined) pairs.push([a, b]);
  }
  return pairs;
}

function toHit(
  corpus: Corpus,
  doc: number,
  score: number,
  spec: MatchSpec,
): Hit {
  const statement = corpus.statements[doc]!;
  const hit: Hit = {
    id: statement.id,
    title: statement.title,
    titleHtml: highlight(statement.title, specMarker(spec, "title")),
    score: Math.round(score * 1000) / 1000,
    snippet: snippet(statement.body, specMarker(spec, "body")),
  };
  if (statement.date)
    Object.assign(hit, {
      date: statement.date,
      dateLabel: formatDate(statement.date),
    });
  if (statement.source) hit.source = statement.source;
  if (statement.url) hit.url = statement.url;
  return hit;
}

function paramsOf(query: SearchQuery): Record<string, string> {
  return { mode: query.mode, sort: query.sort, from: query.from, to: query.to };
}
