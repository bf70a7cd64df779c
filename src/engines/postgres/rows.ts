import { fieldName, NAME_FIELDS, type NameField } from "../../query/fields.ts";
import { createHash } from "node:crypto";
import type { Statement } from "../../ingest/statement.ts";
import { dateSortKey, dateSpan } from "../../text/dates.ts";
import { terms } from "../../text/terms.ts";
import { TOKENIZER_FINGERPRINT } from "../../text/fingerprint.ts";

/**
 * How a statement is stored: one row of the `statements` table, its words already turned into
 * Readout's own terms (the tokenizer of `text/terms.ts`), so PostgreSQL sees the same words as
 * the memory engine and never runs a text-search parser of its own.
 *
 * The `tv` vector holds, for each term, its positions: title words at 1…T marked `A`, a gap
 * where the memory engine keeps its separator, body words from T+2 on, unmarked (`D`). So a
 * phrase cannot run from the title into the body, `title:` is `:A` and `body:` is `:D`. Each
 * metadata field's value adds lexemes `field=term` marked `B`, numbered from 1 per field, for
 * `source:"white house"` as a phrase. Terms never hold `=`, so these never meet a word.
 */
export interface Row {
  id: string;
  /** One line of `COPY statements FROM STDIN` (text format), newline included. */
  line: string;
  /** Distinct terms of the title and body, in order of first use: what the vocabulary counts. */
  terms: string[];
  /** Where each of `terms` stands: 1 title, 2 body, 3 both. */
  where: Uint8Array;
  titleWords: number;
  bodyWords: number;
  /** `[field, value]` of `source`, `lang`, each metadata field and each name, as JSON: what facets count. */
  fields: string[];
  /** Changes whenever anything stored for the statement changes. */
  hash: string;
}

/** Columns of `statements`, in the order `line` gives them. */
export const ROW_COLUMNS = [
  "id",
  "file",
  "line",
  "hash",
  "title",
  "body",
  "date",
  "first_day",
  "last_day",
  "date_key",
  "year",
  "source",
  "url",
  "lang",
  "meta",
  "title_words",
  "body_words",
  "tv",
  "pages",
  ...NAME_FIELDS,
] as const;

/** PostgreSQL keeps positions up to this; later ones are stored as this. */
export const MAX_POSITION = 16383;
/** PostgreSQL keeps at most this many positions of one lexeme in a vector. */
export const MAX_POSITIONS = 256;

/**
 * What changes whenever anything stored for a statement changes: its fields, where it was
 * read, and the tokenizer that makes its vector. Cheap: computed before the words are.
 */
export function statementHash(statement: Statement): string {
  return createHash("sha1")
    .update(TOKENIZER_FINGERPRINT)
    .update(
      JSON.stringify([
        statement.id,
        statement.origin,
        statement.title,
        statement.body,
        statement.date,
        statement.source,
        statement.url,
        statement.lang,
        statement.meta,
        // Rows imported before a key was renamed are written again.
        ...renamedKeys(statement),
        // And rows imported without names, when names are asked for.
        ...(statement.entities ? [statement.entities] : []),
      ]),
    )
    .digest("base64url");
}

// The metadata keys stored under another name, as a list, or none: most statements have none,
// so their hash stays what it was.
function renamedKeys(statement: Statement): string[][] {
  const renamed = Object.keys(statement.meta).filter((k) => fieldName(k) !== k);
  return renamed.length ? [renamed] : [];
}

/** The row of a statement, given its hash. */
export function statementRow(
  statement: Statement,
  hash = statementHash(statement),
): Row {
  const title = terms(statement.title);
  const body = terms(statement.body);
  const fields: [string, string][] = [
    ...(statement.source
      ? [["source", statement.source] as [string, string]]
      : []),
    ...(statement.lang ? [["lang", statement.lang] as [string, string]] : []),
    // Under the name URLs, facets and the query language know it by (`year` → `meta_year`).
    ...Object.entries(statement.meta).map(
      ([key, value]) => [fieldName(key), value] as [string, string],
    ),
  ];
  const { tv, distinct, where } = vector(title, body, fields);
  const span = statement.date ? dateSpan(statement.date) : undefined;
  const values: (string | number | undefined)[] = [
    statement.id,
    statement.origin.file,
    statement.origin.line,
    "",
    statement.title,
    statement.body,
    statement.date,
    span?.first,
    span?.last,
    statement.date ? dateSortKey(statement.date) : undefined,
    span ? Number(span.first.slice(0, 4)) : undefined,
    statement.source,
    statement.url,
    statement.lang,
    JSON.stringify(statement.meta),
    title.length,
    body.length,
    tv,
    statement.pages ? `{${statement.pages.join(",")}}` : undefined,
    ...NAME_FIELDS.map((field) => textArray(namesOf(statement, field))),
  ];
  values[3] = hash;
  return {
    id: statement.id,
    line: values.map(copyValue).join("\t") + "\n",
    terms: distinct,
    where,
    fields: [
      ...fields.map((pair) => JSON.stringify(pair)),
      ...NAME_FIELDS.flatMap((field) =>
        namesOf(statement, field).map((form) => JSON.stringify([field, form])),
      ),
    ],
    titleWords: title.length,
    bodyWords: body.length,
    hash,
  };
}

/**
 * The tsvector text of a statement's words, with its distinct terms and where each stands
 * (1 title, 2 body, 3 both). Each term's positions are chained through one array (`next`)
 * rather than a list per term, and the distinct terms come from the same map: a statement
 * has hundreds of distinct words, and this runs for every statement of an import.
 */
function vector(
  title: string[],
  body: string[],
  fields: [string, string][],
): { tv: string; distinct: string[]; where: Uint8Array } {
  const seq = title.length + 1 + body.length;
  const slot = new Map<string, number>();
  const distinct: string[] = [];
  const first: number[] = [];
  const last: number[] = [];
  const count: number[] = [];
  const where = new Uint8Array(seq);
  const next = new Int32Array(seq).fill(-1);
  const add = (term: string, i: number, field: number) => {
    const k = slot.get(term);
    if (k === undefined) {
      slot.set(term, first.length);
      distinct.push(term);
      where[first.length] = field;
      first.push(i);
      last.push(i);
      count.push(1);
    } else {
      where[k]! |= field;
      if (count[k]! < MAX_POSITIONS) {
        next[last[k]!] = i;
        last[k] = i;
        count[k]!++;
      }
    }
  };
  for (let i = 0; i < title.length; i++) add(title[i]!, i, 1);
  for (let i = 0; i < body.length; i++) add(body[i]!, title.length + 1 + i, 2);
  let out = "";
  for (let k = 0; k < distinct.length; k++) {
    const term = distinct[k]!;
    out += (out ? " " : "") + quoteLexeme(term) + ":";
    for (let i = first[k]!, n = 0; i >= 0; i = next[i]!, n++)
      out +=
        (n ? "," : "") +
        Math.min(i + 1, MAX_POSITION) +
        (i < title.length ? "A" : "");
  }
  for (const [field, value] of fields) {
    const positions = new Map<string, number[]>();
    terms(value).forEach((term, i) => {
      const lexeme = fieldLexeme(field, term);
      const list = positions.get(lexeme) ?? [];
      if (list.length < MAX_POSITIONS) list.push(Math.min(i + 1, MAX_POSITION));
      positions.set(lexeme, list);
    });
    for (const [lexeme, list] of positions)
      out +=
        (out ? " " : "") +
        quoteLexeme(lexeme) +
        ":" +
        list.map((p) => `${p}B`).join(",");
  }
  return { tv: out, distinct, where: where.subarray(0, distinct.length) };
}

/** A statement's distinct forms in a name field. */
function namesOf(statement: Statement, field: NameField): string[] {
  return [...new Set(statement.entities?.[field] ?? [])];
}

// An array literal as `text[]` input reads it: every element quoted, quotes and backslashes
// escaped (COPY escapes the backslashes again).
function textArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(",")}}`;
}

/** The lexeme standing for `term` in metadata field `field`. */
export function fieldLexeme(field: string, term: string): string {
  return `${field}=${term}`;
}

/** A lexeme as tsvector and tsquery input write it: quoted, quotes and backslashes doubled. */
export function quoteLexeme(term: string): string {
  if (!/['\\]/.test(term)) return `'${term}'`;
  return `'${term.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

// COPY's text format: \N for null; backslash, tab, newline and carriage return escaped. A
// text value cannot hold NUL, so it becomes U+FFFD, as a decoder shows a bad byte.
function copyValue(value: string | number | undefined): string {
  if (value === undefined) return "\\N";
  return String(value).replace(/[\\\t\n\r\0]/g, (c) =>
    c === "\\"
      ? "\\\\"
      : c === "\t"
        ? "\\t"
        : c === "\n"
          ? "\\n"
          : c === "\r"
            ? "\\r"
            : "\ufffd",
  );
}
