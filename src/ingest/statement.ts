import { parseDate } from "../text/dates.ts";
import type { Entities } from "../text/entities.ts";
import { detectLanguage, primaryLanguage } from "../text/language.ts";

/** One statement, whatever file it came from. */
export interface Statement {
  /** Stable and unique: the record's own id, or derived from the file's path. */
  id: string;
  title: string;
  /** ISO-8601, possibly reduced precision (`2023`, `2023-09-07T20:51:00+04:00`). */
  date?: string;
  source?: string;
  /** Where the original was published, as given. */
  url?: string;
  /**
   * Plain text, paragraphs separated by a blank line. After a warm start it is a getter that
   * reads the text from the saved index on disk each time: read it once per use, not in a loop.
   */
  body: string;
  /**
   * The language, as a lower-case primary subtag (`en`, `ru`, `zh`): the record's own
   * (`language` or `lang`), the document's (`<html lang>`, a PDF's or Word file's metadata),
   * or else detected from the title and the start of the body.
   */
  lang?: string;
  /**
   * For a paged original (PDF): the body offset (UTF-16) at which each page begins, the first
   * page first, so that a match at offset `o` is on page `pageAt(pages, o)`.
   */
  pages?: number[];
  /** Every other field of the record or front matter, as text. */
  meta: Record<string, string>;
  /**
   * The people, places and organisations it names, canonical forms (`text/entities.ts`);
   * found only when the load asks for them (`LoadOptions.entities`).
   */
  entities?: Entities;
  /** The file (relative to the data folder) and, for record files, the line. */
  origin: { file: string; line?: number };
  /**
   * When Readout first read it (an ISO-8601 instant), set by the engine that holds it and kept
   * when its file is read again: what saved searches call new, and the evidence pack records.
   */
  firstRead?: string;
}

/** The page (1-based) that a body offset falls on, given a statement's `pages`. */
export function pageAt(pages: readonly number[], offset: number): number {
  let lo = 0;
  let hi = pages.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pages[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** Something ingest could not take as it was. `kept` tells whether the statement was indexed. */
export interface Problem {
  file: string;
  line?: number;
  message: string;
  kept: boolean;
  /**
   * What would read what was skipped: OCR with these language packs installed, or with
   * Tesseract itself when empty. A later start reads the file again once it is there.
   */
  awaitsOcr?: string[];
}

/** A record as a format parser read it, before it is checked. */
export type RawRecord = Record<string, unknown>;

const KNOWN = new Set([
  "id",
  "title",
  "date",
  "source",
  "url",
  "body",
  "lang",
  "language",
]);

export interface RecordContext {
  file: string;
  line?: number;
  /** The id to use when the record has none. */
  fallbackId: string;
  /** The source to use when the record has none (e.g. the sub-folder's name). */
  fallbackSource?: string;
  /** Where each page begins in the body, for a paged document. */
  pages?: number[];
}

/** Checks a raw record and turns it into a Statement, or explains why it cannot be one. */
export function toStatement(
  record: RawRecord,
  ctx: RecordContext,
): { statement?: Statement; problems: Problem[] } {
  const where = {
    file: ctx.file,
    ...(ctx.line === undefined ? {} : { line: ctx.line }),
  };
  const skip = (message: string) => ({
    problems: [{ ...where, message, kept: false }],
  });
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    return skip("not a record: expected a JSON object");
  }
  const title = oneLine(asText(record.title));
  if (!title) return skip("no title");
  const body = paragraphs(asText(record.body));
  if (!body) return skip("no body");

  // A lone surrogate cannot be put in a URL (encodeURIComponent throws): it becomes U+FFFD.
  const id = (asText(record.id).trim() || ctx.fallbackId).toWellFormed();
  // A path segment of its own: no link can name it, the browser resolves it away.
  if (id === "." || id === "..")
    return skip(
      `id "${id}" cannot be used in a link; give the record another id`,
    );
  const problems: Problem[] = [];
  const statement: Statement = {
    id,
    title,
    body,
    // Keys come from the file: `__proto__` or `constructor` must be plain keys like any other.
    meta: Object.create(null) as Record<string, string>,
    origin: where,
  };
  const lang =
    primaryLanguage(asText(record.language ?? record.lang)) ??
    detectLanguage(`${title}\n${body}`);
  if (lang) statement.lang = lang;
  const rawDate = asText(record.date).trim();
  if (rawDate) {
    // The language reads month names and day-month order (`7 сентября 2023`, `07.09.2023`).
    const date = parseDate(rawDate, lang);
    if (date) statement.date = date;
    else
      problems.push({
        ...where,
        message: `date not understood: "${rawDate}"`,
        kept: true,
      });
  }
  const source = oneLine(asText(record.source)) || ctx.fallbackSource;
  if (source) statement.source = source;
  const url = asText(record.url).trim();
  if (url) statement.url = url;
  if (ctx.pages && ctx.pages.length > 1 && body === asText(record.body))
    statement.pages = ctx.pages;
  for (const [key, value] of Object.entries(record)) {
    if (KNOWN.has(key)) continue;
    const text = asText(value).trim();
    if (text) statement.meta[key] = text;
  }
  return { statement, problems };
}

function asText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean")
    return String(value);
  if (value instanceof Date)
    return isNaN(value.getTime()) ? "" : value.toISOString();
  if (
    Array.isArray(value) &&
    value.every((v) => typeof v !== "object" || v === null)
  ) {
    return value.map(asText).filter(Boolean).join(", ");
  }
  return JSON.stringify(value);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Normalizes line ends and blank lines: paragraphs separated by exactly one blank line. */
export function paragraphs(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t\u00a0]*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .join("\n\n");
}
