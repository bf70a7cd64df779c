import type { Hit } from "../search/pages.ts";
import type { Html } from "../search/highlight.ts";
import { safeText } from "./safe.ts";

/** What an export holds for each statement, as plain text; the columns of the CSV. */
export interface ExportRow {
  id: string;
  title: string;
  date: string;
  source: string;
  url: string;
  permalink: string;
  score: number;
  snippet: string;
  /** The id of its group of near-identical versions, empty when it has none. */
  group: string;
}

export const EXPORT_COLUMNS: (keyof ExportRow)[] = [
  "id",
  "title",
  "date",
  "source",
  "url",
  "permalink",
  "score",
  "snippet",
  "group",
];

/** A hit as the exports write it: plain safe text (safe.ts), the ISO date, its permanent link. */
export function exportRow(hit: Hit, permalink: string): ExportRow {
  return {
    id: safeText(hit.id),
    title: safeText(hit.title),
    date: hit.date ?? "",
    source: safeText(hit.source ?? ""),
    url: safeText(hit.url ?? ""),
    permalink,
    score: hit.score,
    snippet: safeText(plainText(hit.snippet)),
    group: safeText(hit.group ?? ""),
  };
}

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
};

/** The text of highlighted HTML: marks dropped, the five escapes undone. */
export function plainText(html: Html): string {
  return html
    .replace(/<\/?mark[^>]*>/g, "")
    .replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!);
}

/**
 * One CSV cell (RFC 4180). A cell a spreadsheet would run as a formula (starting with `=`,
 * `+`, `-`, `@`, or a tab or carriage return) gets a leading `'`, so it shows as text.
 */
export function csvCell(value: string | number): string {
  let text = safeText(String(value));
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line, CRLF-terminated as RFC 4180 asks. */
export function csvLine(
  row: ExportRow | Record<keyof ExportRow, string>,
): string {
  return (
    EXPORT_COLUMNS.map((column) => csvCell(row[column])).join(",") + "\r\n"
  );
}
