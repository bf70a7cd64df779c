import type { Corpus } from "./corpus.ts";
import { formatDate } from "./dates.ts";
import { highlight, snippet, termMatcher, type Html } from "./highlight.ts";
import type { SearchQuery } from "./query.ts";
import { terms } from "./text.ts";

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
  /** The normalized words searched for. */
  terms: string[];
  total: number;
  page: number;
  size: number;
  pageCount: number;
  /** True when no statement had every word and the results hold some of them. */
  relaxed: boolean;
  tookMs: number;
  notes: string[];
  hits: Hit[];
}

export function search(corpus: Corpus, query: SearchQuery): SearchPage {
  const started = performance.now();
  const wanted = [...new Set(terms(query.q))];
  const notes = [...query.notes];
  let relaxed = false;
  let results = wanted.length ? run(corpus, wanted, query.mode) : [];
  if (results.length === 0 && query.mode === "all" && wanted.length > 1) {
    results = run(corpus, wanted, "any");
    relaxed = results.length > 0;
  }
  const pageCount = Math.max(1, Math.ceil(results.length / query.size));
  const page = Math.min(query.page, pageCount);
  if (page < query.page)
    notes.push(
      `There are only ${pageCount} pages of results; showing page ${page}.`,
    );
  const hits = results
    .slice((page - 1) * query.size, page * query.size)
    .map((result) => {
      const statement = corpus.byId.get(result.id)!;
      const matcher = termMatcher(result.terms);
      const hit: Hit = {
        id: statement.id,
        title: statement.title,
        titleHtml: highlight(statement.title, matcher),
        score: Math.round(result.score * 1000) / 1000,
        snippet: snippet(statement.body, matcher),
      };
      if (statement.date)
        Object.assign(hit, {
          date: statement.date,
          dateLabel: formatDate(statement.date),
        });
      if (statement.source) hit.source = statement.source;
      if (statement.url) hit.url = statement.url;
      return hit;
    });
  return {
    q: query.q,
    mode: query.mode,
    terms: wanted,
    total: results.length,
    page,
    size: query.size,
    pageCount,
    relaxed,
    tookMs: Math.round((performance.now() - started) * 10) / 10,
    notes,
    hits,
  };
}

function run(corpus: Corpus, wanted: string[], mode: "all" | "any") {
  const results = corpus.index.search(wanted.join(" "), {
    combineWith: mode === "all" ? "AND" : "OR",
  });
  // Equal scores: the newer statement first.
  const date = (id: string) => corpus.dateKeys.get(id) ?? -Infinity;
  return results.sort((a, b) => b.score - a.score || date(b.id) - date(a.id));
}
