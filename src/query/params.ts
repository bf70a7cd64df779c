import { dateSpan, parseDate } from "../text/dates.ts";
import type { ParsedQuery } from "./ast.ts";
import { describeQuery } from "./describe.ts";
import { parseSyntax } from "./parse.ts";
import { anyOf } from "./tree.ts";

/** How the words of a query combine: `all` must appear (the default), or `any` will do. */
export const MODES = ["all", "any"] as const;
export type Mode = (typeof MODES)[number];
/** Result orders; the first is the default. */
export const SORTS = ["relevance", "newest", "oldest"] as const;
export type Sort = (typeof SORTS)[number];

/** What a search request asks for, read leniently from URL parameters. */
export interface SearchQuery {
  /** The query text as typed, trimmed. */
  q: string;
  /** 1-based page number. */
  page: number;
  /** Results per page. */
  size: number;
  /** `all`: every word must appear (default); `any`: any word, ranked. */
  mode: Mode;
  sort: Sort;
  /** The date form fields as given (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), for links and the form. */
  from: string;
  to: string;
  /** Facet selections: field (`source`, `country` …) → values; several values mean any of them. */
  filters: Record<string, string[]>;
  /** Year facet selections (`2023`): any of them. */
  years: string[];
  /** The query as understood, with the date fields folded into its date range. */
  parsed: ParsedQuery;
  /** `parsed` in words, for the page. */
  description: string;
  /** What was adjusted or ignored in the request, in words a person reads. */
  notes: string[];
}

/** URL parameters that are not facet filters, whatever fields an archive has. */
export const RESERVED = new Set([
  "q",
  "page",
  "size",
  "mode",
  "sort",
  "from",
  "to",
  "year",
  "m",
  "all",
]);

export const limits = {
  /** Longest query text taken, in characters; the rest is cut off with a note. */
  queryLength: 1000,
  /** Words searched at most; the rest of a longer query is dropped with a note. */
  terms: 64,
  defaultSize: 20,
  maxSize: 100,
  /** Deepest page; paging past it is pointless and costs a full sort. */
  maxPage: 1000,
  /** A search still running after this many seconds is stopped with a message. */
  searchSeconds: 10,
};

/**
 * Reads `q`, `page`, `size`, `mode`, `sort`, `from` and `to` from URL parameters. Never
 * throws: a repeated parameter takes its first value, bad values fall back to defaults, and
 * each adjustment is noted. `fields` are the archive's metadata fields, for `field:value`;
 * `bounds` lift the length limits for callers that are not the web (the relevance evaluation).
 */
export function parseQuery(
  params: Record<string, unknown>,
  fields: Iterable<string> = ["source"],
  bounds: { queryLength: number; terms: number } = limits,
): SearchQuery {
  const notes: string[] = [];
  let q = firstValue(params.q).trim();
  if (q.length > bounds.queryLength) {
    notes.push(
      `The query was cut to its first ${bounds.queryLength} characters.`,
    );
    q = q.slice(0, bounds.queryLength);
  }
  const page = whole(firstValue(params.page), 1, limits.maxPage, "page", notes);
  const size = whole(
    firstValue(params.size),
    limits.defaultSize,
    limits.maxSize,
    "size",
    notes,
  );
  const mode = choice(firstValue(params.mode), ["all", "any"], "mode", notes);
  const sort = choice(
    firstValue(params.sort),
    ["relevance", "newest", "oldest"],
    "sort",
    notes,
  );
  const fieldList = [...fields];
  const parsed = parseSyntax(q, fieldList, bounds.terms);
  const from = formDate(firstValue(params.from), "from", notes);
  const to = formDate(firstValue(params.to), "to", notes);
  if (from && (!parsed.dates.from || dateSpan(from).first > parsed.dates.from))
    parsed.dates.from = dateSpan(from).first;
  if (to && (!parsed.dates.to || dateSpan(to).last < parsed.dates.to))
    parsed.dates.to = dateSpan(to).last;
  const filters: Record<string, string[]> = {};
  for (const field of fieldList) {
    if (RESERVED.has(field)) continue;
    const values = allValues(params[field]);
    if (values.length) filters[field] = values;
  }
  const years = allValues(params.year).filter((y) => {
    if (/^\d{4}$/.test(y)) return true;
    notes.push(`"${y}" is not a year, so it was left out.`);
    return false;
  });
  return {
    q,
    page,
    size,
    mode,
    sort,
    from: from ?? "",
    to: to ?? "",
    filters,
    years,
    parsed,
    description: describeQuery(
      mode === "any" ? anyOf(parsed.root) : parsed.root,
      parsed.dates,
      sort,
    ),
    notes: [...notes, ...parsed.notes],
  };
}

/** Every non-empty value of a URL parameter, without repeats; at most 50, to bound the work. */
function allValues(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  const strings = list.filter(
    (v): v is string => typeof v === "string" && v.trim() !== "",
  );
  return [...new Set(strings)].slice(0, 50);
}

/** The first value of a URL parameter that may be repeated (`?q=a&q=b`) or missing. */
export function firstValue(value: unknown): string {
  if (Array.isArray(value)) return firstValue(value[0]);
  return typeof value === "string" ? value : "";
}

function whole(
  raw: string,
  fallback: number,
  max: number,
  name: string,
  notes: string[],
): number {
  if (raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    notes.push(`"${raw}" is not a valid ${name}; using ${fallback}.`);
    return fallback;
  }
  if (n > max) {
    notes.push(`The ${name} is at most ${max}; using ${max}.`);
    return max;
  }
  return n;
}

function choice<T extends string>(
  raw: string,
  options: T[],
  name: string,
  notes: string[],
): T {
  if (raw === "" || options.includes(raw as T)) return (raw || options[0]) as T;
  notes.push(
    `Unknown ${name} "${raw}" ignored; choose ${options.map((o) => `"${o}"`).join(", ")}.`,
  );
  return options[0]!;
}

function formDate(
  raw: string,
  name: string,
  notes: string[],
): string | undefined {
  const value = raw.trim();
  if (!value) return undefined;
  const iso = parseDate(value);
  if (iso && /^\d{4}(-\d{2}){0,2}$/.test(iso)) return iso;
  notes.push(
    `"${value}" is not a date for “${name}” (use YYYY, YYYY-MM or YYYY-MM-DD), so it was left out.`,
  );
  return undefined;
}
