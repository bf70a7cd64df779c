import type { TermsPage } from "../archive.ts";
import { csvCell } from "../out/export.ts";
import type { SearchQuery } from "../query/params.ts";
import { hiddenFilters, matchNotes } from "./analysis-model.ts";
import { filterChips } from "./search-model.ts";
import { paramsOf, urls } from "./urls.ts";

/** What terms.ejs and /terms.json print: each term with its counts and the search narrowed by it. */
export function termsModel(page: TermsPage, query: SearchQuery) {
  const params = { ...paramsOf(query), page: 1, size: undefined };
  const rest = page.archive - page.matches;
  return {
    q: query.q,
    description: query.description,
    matches: page.matches,
    archive: page.archive,
    rest,
    sampled: page.sampled,
    sample: page.sampled < page.matches,
    candidates: page.candidates,
    counted: page.counted,
    /** Counting stopped at the time allowed: the terms are those of the most frequent candidates. */
    stopped: page.counted < page.candidates,
    terms: page.terms.map((t) => ({
      ...t,
      inRest: t.inArchive - t.inSet,
      score: Math.round(t.score * 10) / 10,
      href: urls.search({ ...params, q: narrowed(query.q, t.gram) }),
    })),
    notes: [
      ...query.notes,
      ...matchNotes(page.relaxed, page.unavailable, "counts"),
    ],
    chips: filterChips(query),
    hidden: hiddenFilters(params, "keep"),
    links: {
      search: urls.search(params),
      json: urls.terms(params, "json"),
      csv: urls.terms(params, "csv"),
    },
  };
}

/** The query narrowed by a term: the term as typed in quotes, so only it is found, not its other forms. */
function narrowed(q: string, gram: string): string {
  return `${q} "${gram}"`.trim();
}

/** The terms as CSV: each with its statements in the matches and in the rest, and its G². */
export function termsCsv(model: ReturnType<typeof termsModel>): string {
  const head = [
    "term",
    `in the ${model.matches} matches`,
    `in the other ${model.rest} statements`,
    "G2",
  ];
  const rows = model.terms.map((t) =>
    [t.gram, t.inSet, t.inRest, t.score].map(csvCell).join(","),
  );
  return (
    "\ufeff" + [head.map(csvCell).join(","), ...rows].join("\r\n") + "\r\n"
  );
}
