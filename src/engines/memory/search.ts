import { SEPARATOR, type Corpus } from "./corpus.ts";
import { formatDate } from "../../text/dates.ts";
import { highlight, snippet, type Html } from "../../highlight.ts";
import type { DateRange, QueryNode } from "../../query/ast.ts";
import { parseQuery, type SearchQuery, type Sort } from "../../query/params.ts";
import type { MatchSpec } from "./evaluate.ts";
import { countFacets, type Facet } from "./facets.ts";
import { find, rank } from "./find.ts";
import { specIdMarker, specMarker } from "../../search/marker.ts";
import { correctQuery } from "../../search/spelling.ts";
import { timeline, type Timeline } from "./timeline.ts";

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
  /** Facet selections, as in the URL. */
  filters: Record<string, string[]>;
  years: string[];
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
  /** Counts by source, year and low-cardinality metadata field, among all matches. */
  facets: Facet[];
  /** Matches per year or month. */
  timeline?: Timeline;
  hits: Hit[];
}

/** A query finding fewer results than this gets a spelling suggestion, when one helps. */
const FEW = 3;

export function search(corpus: Corpus, query: SearchQuery): SearchPage {
  const started = performance.now();
  const found = find(corpus, query);
  const { notes, matches } = found;
  const total = matches.ids.length;
  const pageCount = Math.max(1, Math.ceil(total / query.size));
  const page = Math.min(query.page, pageCount);
  if (page < query.page)
    notes.push(
      `There are only ${pageCount} pages of results; showing page ${page}.`,
    );
  const hits = rank(corpus, found, query, page * query.size)
    .slice((page - 1) * query.size, page * query.size)
    .map((i) => toHit(corpus, matches.ids[i]!, matches.scores[i]!, found.spec));
  const { root, dates } = query.parsed;
  let didYouMean: SearchPage["didYouMean"];
  if (root && total < FEW) {
    const corrected = correctQuery(corpus, query.q, root);
    const better = corrected
      ? find(
          corpus,
          parseQuery(
            { ...paramsOf(query), q: corrected },
            corpus.fields.keys(),
          ),
        )
      : undefined;
    if (corrected && better && better.matches.ids.length > total) {
      didYouMean = { q: corrected, total: better.matches.ids.length };
    }
  }
  const shape = found.searched
    ? {
        facets: countFacets(
          corpus,
          found.unfaceted,
          query.filters,
          query.years,
        ),
        timeline: timeline(corpus, matches),
      }
    : { facets: [] };
  return {
    q: query.q,
    mode: query.mode,
    sort: query.sort,
    description: query.description,
    parsed: { ...(root ? { root } : {}), dates },
    filters: query.filters,
    years: query.years,
    searched: found.searched,
    total,
    page,
    size: query.size,
    pageCount,
    relaxed: found.relaxed,
    tookMs: Math.round((performance.now() - started) * 10) / 10,
    notes,
    ...(didYouMean ? { didYouMean } : {}),
    facets: shape.facets,
    ...(shape.timeline ? { timeline: shape.timeline } : {}),
    hits,
  };
}

/** A result line for one statement, its title and best passage marked. */
export function toHit(
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
    snippet: bodySnippet(corpus, doc, statement.body, spec),
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

/** The best passage of the body, found from the index's positions without tokenizing the body. */
function bodySnippet(
  corpus: Corpus,
  doc: number,
  body: string,
  spec: MatchSpec,
): Html {
  const positions = corpus.positions[doc];
  if (!positions) return snippet(body, specMarker(spec, "body"));
  const ids = positions.subarray(positions.indexOf(SEPARATOR) + 1);
  return snippet(body, specIdMarker(corpus, spec, "body"), 32, ids);
}

function paramsOf(query: SearchQuery): Record<string, unknown> {
  return {
    ...query.filters,
    year: query.years,
    mode: query.mode,
    sort: query.sort,
    from: query.from,
    to: query.to,
  };
}
