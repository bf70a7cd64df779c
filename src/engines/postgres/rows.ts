import { createHash } from "node:crypto";
import type { Statement } from "../../archive.ts";
import { dateSortKey, dateSpan } from "../../text/dates.ts";
import { terms } from "../../text/terms.ts";

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
  /** Distinct terms of the title and body, each with where it stands (1 title, 2 body, 3 both): what the vocabulary counts. */
  terms: Map<string, number>;
  titleWords: number;
  bodyWords: number;
  /** `[field, value]` of `source` and each metadata field, as JSON: what facets count. */
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
  "meta",
  "title_words",
  "body_words",
  "tv",
] as const;

/** PostgreSQL keeps positions up to this; later ones are stored as this. */
export const MAX_POSITION = 16383;
/** PostgreSQL keeps at most this many positions of one lexeme in a vector. */
export const MAX_POSITIONS = 256;

/** The row of a statement. */
export function statementRow(statement: Statement): Row {
  const title = terms(statement.title);
  const body = terms(statement.body);
  const positions = new Map<string, string[]>();
  const add = (term: string, at: number, weight: string) => {
    let list = positions.get(term);
    if (!list) positions.set(term, (list = []));
    if (list.length < MAX_POSITIONS)
      list.push(`${Math.min(at, MAX_POSITION)}${weight}`);
  };
  title.forEach((term, i) => add(term, i + 1, "A"));
  body.forEach((term, i) => add(term, title.length + 2 + i, ""));
  const words = new Map<string, number>();
  for (const term of title) words.set(term, 1);
  for (const term of body) words.set(term, (words.get(term) ?? 0) | 2);
  const fields: [string, string][] = [
    ...(statement.source
      ? [["source", statement.source] as [string, string]]
      : []),
    ...Object.entries(statement.meta),
  ];
  for (const [field, value] of fields)
    terms(value).forEach((term, i) =>
      add(fieldLexeme(field, term), i + 1, "B"),
    );
  let tv = "";
  for (const [term, list] of positions)
    tv += `${tv ? " " : ""}${quoteLexeme(term)}:${list.join(",")}`;

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
    JSON.stringify(statement.meta),
    title.length,
    body.length,
    tv,
  ];
  const hash = createHash("sha1")
    .update(JSON.stringify(values))
    .digest("base64url");
  values[3] = hash;
  return {
    id: statement.id,
    line: values.map(copyValue).join("\t") + "\n",
    terms: words,
    fields: fields.map((pair) => JSON.stringify(pair)),
    titleWords: title.length,
    bodyWords: body.length,
    hash,
  };
}

/** The lexeme standing for `term` in metadata field `field`. */
export function fieldLexeme(field: string, term: string): string {
  return `${field}=${term}`;
}

/** A lexeme as tsvector and tsquery input write it: quoted, quotes and backslashes doubled. */
export function quoteLexeme(term: string): string {
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
