import { permalink, statementPath } from "../out/permalink.ts";
import { assetUrl } from "./caching.ts";
import {
  DEFAULT_PARAMS,
  searchEntries,
  type SearchParams,
} from "../query/params.ts";

export { paramsOf, type SearchParams } from "../query/params.ts";

type Format = "html" | "json";
/** The formats a search comes in: the page, its JSON twin, exports and the feed. */
type SearchFormat = Format | "csv" | "jsonl" | "atom";
/** The formats a collection comes in: its page, JSON twin, exports and evidence pack. */
export type CollectionFormat = Format | "csv" | "jsonl" | "bib" | "ris" | "zip";

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
  /** The feed of the newest statements in the archive. */
  feed: () => "/feed.atom",
  /**
   * A statement's permanent page; with search params, its matches are marked and `m` picks
   * one; `part` picks the part of a long body.
   */
  statement: (
    id: string,
    params: SearchParams & { m?: number; part?: number } = {},
    format: Format = "html",
  ) => {
    const path = `${permalink(id)}${format === "json" ? ".json" : ""}`;
    const entries = searchEntries(params);
    if (params.part !== undefined && params.part > 1)
      entries.push(["part", String(params.part)]);
    if (params.m !== undefined && params.m > 1)
      entries.push(["m", String(params.m)]);
    return (
      withQuery(path, entries) + (params.m !== undefined ? `#m${params.m}` : "")
    );
  },
  /** The file a statement was read from, as a download. */
  original: (id: string) => `/originals/${statementPath(id)}`,
  /** What changed from one statement to another (two versions of one text). */
  diff: (from: string, to: string, format: Format = "html") =>
    `${permalink(from)}/diff/${statementPath(to)}${format === "json" ? ".json" : ""}`,
  /** What changed in a statement's file from its `n`th kept text to the next. */
  change: (id: string, n: number, format: Format = "html") =>
    `${permalink(id)}/changes/${n}${format === "json" ? ".json" : ""}`,
  about: (format: Format = "html") =>
    format === "json" ? "/about.json" : "/about",
  help: () => "/help",
  /** The advanced search form; its JSON twin gives the query a form makes. */
  advanced: (format: Format = "html") =>
    format === "json" ? "/advanced.json" : "/advanced",
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
  /** Static files carry their content's hash (`?v=`), so they can be cached for a year. */
  stylesheet: () => assetUrl("/style.css"),
  icon: () => assetUrl("/favicon.svg"),
  /** A script in public/; each only enhances pages that work without it. */
  script: (name: "suggest" | "keys" | "facets" | "advanced" | "workspace") =>
    assetUrl(`/${name}.js`),
  /** The OpenSearch description that lets a browser's address bar search Readout. */
  opensearch: () => "/opensearch.xml",
  /** Completions of a query being typed, in the OpenSearch suggestions JSON format. */
  suggest: (q: string) => withQuery("/suggest", [["q", q]]),

  /** The person's collections, and those shared with them; a POST here makes one. */
  collections: (format: Format = "html") =>
    format === "json" ? "/collections.json" : "/collections",
  /** One collection, with notes; its exports and evidence pack by format; `page` of its list. */
  collection: (slug: string, format: CollectionFormat = "html", page = 1) =>
    withQuery(
      `/collections/${encodeURIComponent(slug)}${format === "html" ? "" : `.${format}`}`,
      page > 1 ? [["page", String(page)]] : [],
    ),
  /** Where a statement is added to a collection (POST `id`, `note`, `tags`). */
  collectionStatements: (slug: string) =>
    `/collections/${encodeURIComponent(slug)}/statements`,
  /** Where a statement is taken out of a collection (POST). */
  removeFromCollection: (slug: string, id: string) =>
    `/collections/${encodeURIComponent(slug)}/statements/${statementPath(id)}/remove`,
  /** A kept statement against its current text: what changed since it was added. */
  keptChange: (slug: string, id: string) =>
    `/collections/${encodeURIComponent(slug)}/statements/${statementPath(id)}/change`,
  shareCollection: (slug: string) =>
    `/collections/${encodeURIComponent(slug)}/share`,
  deleteCollection: (slug: string) =>
    `/collections/${encodeURIComponent(slug)}/delete`,
  /** The "Add to collection" page of a statement (and its JSON, for the page's script). */
  collect: (id?: string, format: Format = "html") =>
    withQuery(
      format === "json" ? "/collections/add.json" : "/collections/add",
      id === undefined ? [] : [["id", id]],
    ),
  /** The person's saved searches, each with its number of new statements; a POST saves one. */
  saved: (format: Format = "html") =>
    format === "json" ? "/saved.json" : "/saved",
  /** A saved search's page (new statements marked), its JSON twin, and its feed. */
  savedSearch: (
    slug: string,
    format: Format | "atom" = "html",
    extra: [string, string][] = [],
  ) =>
    withQuery(
      `/saved/${encodeURIComponent(slug)}${format === "html" ? "" : `.${format}`}`,
      extra,
    ),
  /** The form that names a search before saving it. */
  saveSearch: (params: SearchParams) =>
    withQuery(
      "/saved/new",
      searchEntries({ ...params, page: undefined, size: undefined }),
    ),
  deleteSaved: (slug: string) => `/saved/${encodeURIComponent(slug)}/delete`,
  /**
   * Compare over time: each query a line (`q` repeated), with the filters of `params`; `share`
   * shows each count as a share of all statements of its period; `unit` forces month or year.
   */
  compare: (
    queries: readonly string[],
    params: SearchParams = {},
    view: { measure?: "counts" | "share"; unit?: "month" | "year" } = {},
    format: Format | "csv" = "html",
  ) =>
    withQuery(format === "html" ? "/compare" : `/compare.${format}`, [
      ...queries.map((q): [string, string] => ["q", q]),
      ...searchEntries({ ...analysisParams(params), q: "" }),
      ...(view.measure === "share"
        ? [["measure", "share"] as [string, string]]
        : []),
      ...(view.unit ? [["unit", view.unit] as [string, string]] : []),
    ]),
  /**
   * The concordance of a search: its lines sorted by `order` (`left`, `right`, and by how
   * common the neighbouring word is: `left-frequency`, `right-frequency`), `page` of them.
   */
  concordance: (
    params: SearchParams,
    order = "",
    format: Format | "csv" = "html",
  ) =>
    withQuery(format === "html" ? "/concordance" : `/concordance.${format}`, [
      ...searchEntries({
        ...analysisParams(params),
        ...(format === "csv" ? { page: undefined } : { page: params.page }),
      }),
      ...(order ? [["order", order] as [string, string]] : []),
    ]),
  /** What stands out in a search's matches compared with the rest of the archive. */
  terms: (params: SearchParams, format: Format | "csv" = "html") =>
    withQuery(
      format === "html" ? "/terms" : `/terms.${format}`,
      searchEntries({ ...analysisParams(params), page: undefined }),
    ),
  /** Sign-in, then back to `next` (a path on this server). */
  signIn: (next?: string) =>
    withQuery("/sign-in", next && next !== "/" ? [["next", next]] : []),
  signOut: () => "/sign-out",
};

/** What narrows the matches of an analysis view: the search's filters without its page, size or grouping. */
function analysisParams(params: SearchParams): SearchParams {
  const { page: _p, size: _s, grouping: _g, ...rest } = params;
  return rest;
}

/**
 * The same search URL without empty or default parameters, or undefined when it has none:
 * the search form submits every field, and permalinks should stay short.
 */
export function tidySearchUrl(path: string, query: string): string | undefined {
  const entries = [...new URLSearchParams(query)];
  const kept = entries.filter(
    ([key, value]) => value.trim() !== "" && DEFAULT_PARAMS[key] !== value,
  );
  return kept.length < entries.length ? withQuery(path, kept) : undefined;
}

function withQuery(path: string, entries: [string, string][]): string {
  return entries.length
    ? `${path}?${new URLSearchParams(entries).toString()}`
    : path;
}

/**
 * Where absolute links point: the public address Readout was given (`--public-url`), else the
 * address and port this request came in on, as a plain `http://127.0.0.1:3000`. Never from a
 * request header (Host, X-Forwarded-Host or -Proto): a client could then choose the links of
 * a feed or an OpenSearch description that caches keep for others (issue 23, item 10).
 */
export function origin(req: {
  app: { locals: { publicUrl?: string } };
  socket: { localAddress?: string; localPort?: number };
}): string {
  const configured = req.app.locals.publicUrl;
  if (configured) return configured;
  const { localAddress = "127.0.0.1", localPort } = req.socket;
  // An IPv4 client of a dual-stack socket arrives as `::ffff:127.0.0.1`.
  const ip = /^::ffff:\d+\./.test(localAddress)
    ? localAddress.slice(7)
    : localAddress;
  const host = ip.includes(":") ? `[${ip}]` : ip;
  return `http://${host}${localPort ? `:${localPort}` : ""}`;
}

// A Host header is the client's to write: only a host name or address with an optional port.
const SAFE_HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The origin the browser addressed (`http://localhost:3000`, or through a trusted proxy its
 * X-Forwarded-Proto and -Host), to compare with a request's `Origin` header. Never printed
 * into a page or a link: those take `origin`.
 */
export function requestOrigin(req: {
  protocol: string;
  host?: string;
  get(name: string): string | undefined;
}): string | undefined {
  const host = req.host ?? req.get("host");
  return host && SAFE_HOST.test(host) ? `${req.protocol}://${host}` : undefined;
}

/** Whether absolute links name an address others can open (`--public-url` was given). */
export function hasPublicUrl(req: Parameters<typeof origin>[0]): boolean {
  return req.app.locals.publicUrl !== undefined;
}

/** An absolute URL on this server, for feeds, exports and citations read outside the browser. */
export function absoluteUrl(req: Parameters<typeof origin>[0], path: string) {
  return origin(req) + path;
}

/**
 * A statement's own `url` as a link, or undefined: only web addresses become links, so a
 * `javascript:` URL from a document never runs.
 */
export function externalHref(url: string | undefined): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined;
}
