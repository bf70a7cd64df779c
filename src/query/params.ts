import { dateSpan, parseDate } from "../text/dates.ts";
import type { ParsedQuery } from "./ast.ts";
import { describeQuery } from "./describe.ts";
import { parseSyntax } from "./parse.ts";
import { anyOf, narrowWords } from "./tree.ts";

/** How the words of a query combine: `all` must appear (the default), or `any` will do. */
export const MODES = ["all", "any"] as const;
export type Mode = (typeof MODES)[number];
/** Result orders; the first is the default. */
export const SORTS = ["relevance", "newest", "oldest"] as const;
export type Sort = (typeof SORTS)[number];

/**
 * What else a word finds: its other forms and its spellings in other scripts (`variants`, the
 * default: `sanction` finds `sanctions`, `Lavrov` finds `Лавров`), its other forms only, or
 * only itself, as a quoted word does.
 */
export const WORDS = ["variants", "forms", "exact"] as const;
export type Words = (typeof WORDS)[number];

/** Each mode, sort and words choice as the search form names it. */
export const CHOICE_LABELS: {
  mode: Record<Mode, string>;
  sort: Record<Sort, string>;
  words: Record<Words, string>;
} = {
  mode: { all: "All words", any: "Any word" },
  words: {
    variants: "Other forms and scripts",
    forms: "Other forms, same script",
    exact: "Exact words only",
  },
  sort: {
    relevance: "Best match",
    newest: "Newest first",
    oldest: "Oldest first",
  },
};

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
  /** What else each word finds (`words=forms`, `words=exact`); see `WORDS`. */
  words: Words;
  /** The date form fields as given (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), for links and the form. */
  from: string;
  to: string;
  /** Facet selections: field (`source`, `country` …) → values; several values mean any of them. */
  filters: Record<string, string[]>;
  /** Year facet selections (`2023`): any of them. */
  years: string[];
  /** `group`: near-identical versions of a statement are one result (default); `all`: each is one. */
  grouping: "group" | "all";
  /** Only statements whose text more than one source published (`echoes=1`). */
  echoes: boolean;
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
  "part",
  "all",
  "versions",
  "echoes",
  "words",
  // The analysis views' own: compare's measure and unit, the concordance's order.
  "measure",
  "unit",
  "order",
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
};

/** How long the query text may be, and how many words it may have. */
export type TextBounds = Pick<typeof limits, "queryLength" | "terms">;

/**
 * Reads `q`, `page`, `size`, `mode`, `sort`, `from`, `to`, `year` and facet filters from URL
 * parameters. Never throws: a repeated parameter takes its first value, bad values fall back
 * to defaults, and each adjustment is noted. `fields` are the archive's metadata fields, for
 * `field:value` and filters; `bounds` lift the length limits for callers that are not the web
 * (the relevance evaluation).
 */
export function parseQuery(
  params: Record<string, unknown>,
  fields: Iterable<string> = ["source"],
  bounds: TextBounds = limits,
): SearchQuery {
  const notes: string[] = [];
  const page = whole(firstValue(params.page), 1, limits.maxPage, "page", notes);
  const size = whole(
    firstValue(params.size),
    limits.defaultSize,
    limits.maxSize,
    "size",
    notes,
  );
  const mode = choice(firstValue(params.mode), MODES, "mode", notes);
  const sort = choice(firstValue(params.sort), SORTS, "sort", notes);
  const words = choice(firstValue(params.words), WORDS, "words", notes);
  const fieldList = [...fields];
  const from = readFormDate(firstValue(params.from), "from", notes);
  const to = readFormDate(firstValue(params.to), "to", notes);
  const filters: Record<string, string[]> = Object.create(null);
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
  const grouping = firstValue(params.versions) === "all" ? "all" : "group";
  const echoes = /^(1|true|yes|on)$/i.test(firstValue(params.echoes));
  const base: SearchQuery = {
    q: "",
    page,
    size,
    mode,
    sort,
    words,
    from: from ?? "",
    to: to ?? "",
    filters,
    years,
    grouping,
    echoes,
    parsed: { dates: {}, notes: [] },
    description: "",
    notes,
  };
  return withText(base, firstValue(params.q), fieldList, bounds);
}

/**
 * The same request with another query text: only the text is parsed again, and the form's
 * dates, filters, mode and sort stay. What did-you-mean and batch search ask for.
 */
export function withText(
  query: SearchQuery,
  text: string,
  fields: Iterable<string>,
  bounds: TextBounds = limits,
): SearchQuery {
  // Notes about the text are replaced; notes about the other parameters stay.
  const notes = query.notes.filter((n) => !query.parsed.notes.includes(n));
  const textNotes: string[] = [];
  let q = text.trim();
  if (q.length > bounds.queryLength) {
    textNotes.push(
      `The query was cut to its first ${bounds.queryLength} characters.`,
    );
    q = q.slice(0, bounds.queryLength);
  }
  const parsed = parseSyntax(q, fields, bounds.terms);
  if (parsed.root) parsed.root = narrowWords(parsed.root, query.words);
  parsed.notes = [...textNotes, ...parsed.notes];
  const { from, to } = query;
  if (from && (!parsed.dates.from || dateSpan(from).first > parsed.dates.from))
    parsed.dates.from = dateSpan(from).first;
  if (to && (!parsed.dates.to || dateSpan(to).last < parsed.dates.to))
    parsed.dates.to = dateSpan(to).last;
  return {
    ...query,
    q,
    parsed,
    description: describeQuery(
      query.mode === "any" ? anyOf(parsed.root) : parsed.root,
      parsed.dates,
      query.sort,
    ),
    notes: [...notes, ...parsed.notes],
  };
}

/** The parameters of a search, as they appear in a URL. Defaults are left out of links. */
export interface SearchParams {
  q?: string;
  page?: number;
  size?: number;
  mode?: Mode;
  sort?: Sort;
  words?: Words;
  from?: string;
  to?: string;
  /** Facet selections: field → values. */
  filters?: Record<string, string[]>;
  years?: string[];
  grouping?: "group" | "all";
  echoes?: boolean;
}

/** The URL parameters that reproduce a parsed search. */
export function paramsOf(query: SearchQuery): SearchParams {
  const { q, page, size, mode, sort, from, to, filters, years } = query;
  const { grouping, echoes, words } = query;
  return {
    q,
    page,
    size,
    mode,
    sort,
    words,
    from,
    to,
    filters,
    years,
    grouping,
    echoes,
  };
}

/** A parameter's value that links leave out, because reading the URL gives it anyway. */
export const DEFAULT_PARAMS: Record<string, string> = {
  mode: MODES[0],
  sort: SORTS[0],
  page: "1",
  size: String(limits.defaultSize),
  versions: "group",
  words: WORDS[0],
};

/** The URL parameters of a search in a stable order, defaults and empty values left out. */
export function searchEntries({
  q,
  page,
  size,
  mode,
  sort,
  words,
  from,
  to,
  filters = {},
  years = [],
  grouping,
  echoes,
}: SearchParams): [string, string][] {
  const entries: [string, string][] = [];
  if (q) entries.push(["q", q]);
  for (const [field, values] of Object.entries(filters))
    for (const v of values) entries.push([field, v]);
  for (const year of years) entries.push(["year", year]);
  if (from) entries.push(["from", from]);
  if (to) entries.push(["to", to]);
  if (echoes) entries.push(["echoes", "1"]);
  if (grouping === "all") entries.push(["versions", "all"]);
  const rest: [string, string | number | undefined][] = [
    ["mode", mode],
    ["sort", sort],
    ["words", words],
    ["size", size],
    ["page", page],
  ];
  for (const [key, value] of rest)
    if (value !== undefined && String(value) !== DEFAULT_PARAMS[key])
      entries.push([key, String(value)]);
  return entries;
}

/**
 * A date as the search form and `--from`/`--to` take it: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`
 * (written-out dates are read too). Undefined when it is not one.
 */
export function formDate(raw: string): string | undefined {
  const iso = parseDate(raw.trim());
  return iso && /^\d{4}(-\d{2}){0,2}$/.test(iso) ? iso : undefined;
}

/** Every non-empty value of a URL parameter, without repeats; at most 50, to bound the work. */
export function allValues(value: unknown): string[] {
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
  options: readonly T[],
  name: string,
  notes: string[],
): T {
  if (raw === "" || options.includes(raw as T)) return (raw || options[0]) as T;
  notes.push(
    `Unknown ${name} "${raw}" ignored; choose ${options.map((o) => `"${o}"`).join(", ")}.`,
  );
  return options[0]!;
}

function readFormDate(
  raw: string,
  name: string,
  notes: string[],
): string | undefined {
  const value = raw.trim();
  if (!value) return undefined;
  const iso = formDate(value);
  if (!iso)
    notes.push(
      `"${value}" is not a date for “${name}” (use YYYY, YYYY-MM or YYYY-MM-DD), so it was left out.`,
    );
  return iso;
}
