import { limits, type SearchQuery, type Sort } from "../query/params.ts";

/** The parameters of a search, as they appear in a URL. Defaults are left out of links. */
export interface SearchParams {
  q?: string;
  page?: number;
  size?: number;
  mode?: "all" | "any";
  sort?: Sort;
  from?: string;
  to?: string;
  /** Facet selections: field → values. */
  filters?: Record<string, string[]>;
  years?: string[];
}

type Format = "html" | "json";
/** The formats a search comes in: the page, its JSON twin, exports and the feed. */
type SearchFormat = Format | "csv" | "jsonl" | "atom";

/** Every href Readout prints is built here, so a URL scheme change is a change to one file. */
export const urls = {
  home: () => "/",
  search: (
    params: SearchParams,
    format: SearchFormat = "html",
    extra: [string, string][] = [],
  ) =>
    withQuery(format === "html" ? "/search" : `/search.${format}`, [
      ...searchEntries(params),
      ...extra,
    ]),
  /** A statement's permanent page; with search params, its matches are marked and `m` picks one. */
  statement: (
    id: string,
    params: SearchParams & { m?: number } = {},
    format: Format = "html",
  ) => {
    const path = `/statements/${statementPath(id)}${format === "json" ? ".json" : ""}`;
    const entries = searchEntries(params);
    if (params.m !== undefined && params.m > 1)
      entries.push(["m", String(params.m)]);
    return (
      withQuery(path, entries) + (params.m !== undefined ? `#m${params.m}` : "")
    );
  },
  about: (format: Format = "html") =>
    format === "json" ? "/about.json" : "/about",
  help: () => "/help",
  /** Batch search; with params, its form starts with their filters. */
  batch: (params: SearchParams = {}, format: "html" | "csv" = "html") =>
    withQuery(
      format === "csv" ? "/batch.csv" : "/batch",
      searchEntries({
        ...params,
        q: "",
        page: 1,
        size: undefined,
        sort: undefined,
      }),
    ),
  stylesheet: () => "/style.css",
  icon: () => "/favicon.svg",
  /** A script in public/; each only enhances pages that work without it. */
  script: (name: "suggest" | "keys") => `/${name}.js`,
  /** The OpenSearch description that lets a browser's address bar search Readout. */
  opensearch: () => "/opensearch.xml",
  /** Completions of a query being typed, in the OpenSearch suggestions JSON format. */
  suggest: (q: string) => withQuery("/suggest", [["q", q]]),
};

const DEFAULTS: Record<string, string> = {
  mode: "all",
  sort: "relevance",
  page: "1",
  size: String(limits.defaultSize),
};

/**
 * The same search URL without empty or default parameters, or undefined when it has none:
 * the search form submits every field, and permalinks should stay short.
 */
export function tidySearchUrl(path: string, query: string): string | undefined {
  const entries = [...new URLSearchParams(query)];
  const kept = entries.filter(
    ([key, value]) => value.trim() !== "" && DEFAULTS[key] !== value,
  );
  return kept.length < entries.length ? withQuery(path, kept) : undefined;
}

function searchEntries({
  q,
  page,
  size,
  mode,
  sort,
  from,
  to,
  filters = {},
  years = [],
}: SearchParams): [string, string][] {
  const entries: [string, string][] = [];
  if (q) entries.push(["q", q]);
  for (const [field, values] of Object.entries(filters))
    for (const v of values) entries.push([field, v]);
  for (const year of years) entries.push(["year", year]);
  if (from) entries.push(["from", from]);
  if (to) entries.push(["to", to]);
  if (mode && mode !== "all") entries.push(["mode", mode]);
  if (sort && sort !== "relevance") entries.push(["sort", sort]);
  if (size && size !== limits.defaultSize) entries.push(["size", String(size)]);
  if (page && page > 1) entries.push(["page", String(page)]);
  return entries;
}

// A browser resolves `.` and `..` segments (`%2E%2E` too) before it asks, so a document
// whose id has one would link to another page (`../../about`). Such an id goes as one
// segment, its slashes escaped; the route decodes them back.
function statementPath(id: string): string {
  const parts = id.split("/");
  return parts.some((p) => p === "." || p === "..")
    ? encodeURIComponent(id)
    : parts.map(encodeURIComponent).join("/");
}

function withQuery(path: string, entries: [string, string][]): string {
  return entries.length
    ? `${path}?${new URLSearchParams(entries).toString()}`
    : path;
}

/** The URL parameters that reproduce a parsed search. */
export function paramsOf(query: SearchQuery): SearchParams {
  const { q, page, size, mode, sort, from, to, filters, years } = query;
  return { q, page, size, mode, sort, from, to, filters, years };
}

/** An absolute URL on this server, for feeds and exports read outside the browser. */
export function absoluteUrl(
  req: { protocol: string; get(name: string): string | undefined },
  path: string,
): string {
  // The Host header is the client's to write; only a plain host[:port] goes into a link.
  const host = req.get("host") ?? "";
  const safe = /^(?:[\w.-]+|\[[\da-f:.]+\])(?::\d{1,5})?$/i.test(host)
    ? host
    : "127.0.0.1";
  return `${req.protocol}://${safe}${path}`;
}
