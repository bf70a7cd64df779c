import type { SearchPage } from "../archive.ts";
import { fieldLabel } from "../query/fields.ts";
import type { SearchQuery } from "../query/params.ts";
import { formatDate } from "../text/dates.ts";
import { buildPager } from "./pager.ts";
import { paramsOf, urls, type SearchParams } from "./urls.ts";

/** A filter in force, shown as a chip with a link that removes it. */
export interface Chip {
  label: string;
  removeHref: string;
}

/**
 * What search.ejs and /search.json print: the SearchPage plus every link it needs. Not its
 * timing, which goes in a Server-Timing header: the body stays the same for the same results,
 * so its ETag does, and a repeated request gets 304.
 */
export function searchModel(page: SearchPage, query: SearchQuery) {
  const params = paramsOf(query);
  const first = { ...params, page: 1 };
  const { tookMs: _timing, ...untimed } = page;
  return {
    ...untimed,
    hits: page.hits.map((hit) => ({
      ...hit,
      href: urls.statement(hit.id, params),
      ...(hit.versions
        ? {
            versions: hit.versions.map((v) => ({
              ...v,
              ...(v.date ? { dateLabel: formatDate(v.date) } : {}),
              href: urls.statement(v.id, params),
            })),
          }
        : {}),
    })),
    ...(page.didYouMean
      ? {
          didYouMean: {
            ...page.didYouMean,
            href: urls.search({ ...first, q: page.didYouMean.q }),
          },
        }
      : {}),
    // A metadata field named like a URL parameter has another name already (query/fields.ts).
    facets: page.facets.map((facet) => ({
      ...facet,
      label: fieldLabel(facet.field),
      values: facet.values.map((v) => ({
        ...v,
        label: facet.field === "lang" ? languageName(v.value) : v.value,
      })),
    })),
    ...(page.timeline
      ? {
          timeline: {
            ...page.timeline,
            bars: page.timeline.bars.map((bar) => ({
              ...bar,
              href: urls.search({ ...first, from: bar.from, to: bar.to }),
            })),
          },
        }
      : {}),
    chips: filterChips(query),
    links: {
      /** The same search with any of the words. */
      any: urls.search({ ...first, mode: "any" }),
      /** The same words without the filters. */
      clear: urls.search({ q: query.q, mode: query.mode, sort: query.sort }),
      /** The same search with versions of one text together, or each statement on its own. */
      versions: urls.search({
        ...first,
        grouping: query.grouping === "group" ? "all" : "group",
      }),
      /** The same words found only as typed, or with their forms and other spellings again. */
      exact: urls.search({ ...first, words: "exact" }),
      variants: urls.search({ ...first, words: "variants" }),
      json: urls.search(params, "json"),
      batch: urls.batch(params),
      /** The analysis views of the same matches (issue 26). */
      compare: urls.compare(query.q ? [query.q] : [], params),
      concordance: urls.concordance({ ...params, page: 1 }),
      terms: urls.terms(params),
      names: urls.names(params),
      csv: urls.search({ ...params, page: undefined, size: undefined }, "csv"),
      jsonl: urls.search(
        { ...params, page: undefined, size: undefined },
        "jsonl",
      ),
      jsonAll: urls.search(
        { ...params, page: undefined, size: undefined },
        "json",
        [["all", "1"]],
      ),
      atom: urls.search(
        { ...params, page: undefined, size: undefined, sort: undefined },
        "atom",
      ),
    },
  };
}

export type SearchModel = ReturnType<typeof searchModel>;

/** The paging links of a results page. */
export function searchPager(
  page: Pick<SearchPage, "page" | "pageCount">,
  query: SearchQuery,
) {
  return buildPager(page.page, page.pageCount, (n) =>
    urls.search({ ...paramsOf(query), page: n }),
  );
}

const LANGUAGES = new Intl.DisplayNames(["en"], { type: "language" });

/** `ru` → "Russian"; a code Intl does not know stays as it is. */
export function languageName(code: string): string {
  try {
    return LANGUAGES.of(code) ?? code;
  } catch {
    return code;
  }
}

/** The filters in force, each with a link that removes it: the search page's chips, the batch form's labels. */
export function filterChips(query: SearchQuery): Chip[] {
  const params: SearchParams = { ...paramsOf(query), page: 1 };
  const out: Chip[] = [];
  for (const [field, values] of Object.entries(query.filters)) {
    for (const value of values) {
      const rest = {
        ...query.filters,
        [field]: values.filter((v) => v !== value),
      };
      out.push({
        label: `${fieldLabel(field)}: ${value}`,
        removeHref: urls.search({ ...params, filters: rest }),
      });
    }
  }
  for (const year of query.years) {
    out.push({
      label: `Year: ${year}`,
      removeHref: urls.search({
        ...params,
        years: query.years.filter((y) => y !== year),
      }),
    });
  }
  if (query.from)
    out.push({
      label: `From ${formatDate(query.from)}`,
      removeHref: urls.search({ ...params, from: "" }),
    });
  if (query.to)
    out.push({
      label: `To ${formatDate(query.to)}`,
      removeHref: urls.search({ ...params, to: "" }),
    });
  if (query.echoes)
    out.push({
      label: "Published by more than one source",
      removeHref: urls.search({ ...params, echoes: false }),
    });
  return out;
}
