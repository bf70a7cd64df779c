import type { SearchPage } from "../archive.ts";
import {
  csvLine,
  EXPORT_COLUMNS,
  exportRow,
  plainText,
  type ExportRow,
} from "../out/export.ts";
import { permalink } from "../out/permalink.ts";
import { safeJsonValue, safeText } from "../out/safe.ts";
import type { Html } from "../search/highlight.ts";
import { count } from "./format.ts";

const BOLD = "\u001b[1m";
const NORMAL = "\u001b[22m";

/** The results as CSV: a header, then one line per hit in ranked order. */
export function formatCsv(page: SearchPage): string {
  const header = Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, c]));
  return (
    csvLine(header as Record<keyof ExportRow, string>) +
    page.hits.map((hit) => csvLine(exportRow(hit, permalink(hit.id)))).join("")
  );
}

/** The results as JSON: the web's `/search.json?all=1` shape, plus the notes. */
export function formatJson(page: SearchPage): string {
  const { q, description, total, relaxed, notes, didYouMean } = page;
  const out = {
    q,
    description,
    total,
    relaxed,
    notes,
    ...(didYouMean ? { didYouMean } : {}),
    hits: page.hits.map((hit) => exportRow(hit, permalink(hit.id))),
  };
  return JSON.stringify(out, safeJsonValue, 2) + "\n";
}

/**
 * The results for reading: how many matched and how the query was understood, the notes,
 * then per hit its rank and title, date · source · permanent path, and its snippet. With
 * `bold`, matched words are set in bold for a terminal.
 */
export function formatText(page: SearchPage, bold: boolean): string {
  const lines = [summary(page)];
  for (const note of page.notes) lines.push(`Note: ${note}`);
  if (page.relaxed)
    lines.push(
      "Note: No statement contains every word, so these contain some of them, best matches first.",
    );
  if (page.didYouMean)
    lines.push(
      `Did you mean: ${page.didYouMean.q} (${count(page.didYouMean.total, "statement")})?`,
    );
  const width = String(page.hits.length).length;
  const indent = " ".repeat(width + 2);
  page.hits.forEach((hit, i) => {
    const where = [hit.dateLabel, hit.source, permalink(hit.id)];
    lines.push(
      "",
      `${String(i + 1).padStart(width)}. ${terminalText(hit.titleHtml, bold)}`,
      indent +
        where
          .filter((w): w is string => Boolean(w))
          .map(clean)
          .join(" · "),
      indent + terminalText(hit.snippet, bold),
    );
  });
  return lines.join("\n") + "\n";
}

function summary(page: SearchPage): string {
  if (page.total === 0) return `No statements match: ${page.description}`;
  const verb = page.total === 1 ? "matches" : "match";
  const shown =
    page.hits.length < page.total
      ? ` (showing the first ${page.hits.length}; raise --limit to see more)`
      : "";
  return `${count(page.total, "statement")} ${verb}: ${page.description}${shown}`;
}

/** Highlighted HTML as terminal text: marks become bold (or nothing), the rest plain. */
function terminalText(html: Html, bold: boolean): string {
  const [open, close] = bold ? [BOLD, NORMAL] : ["", ""];
  return html
    .split(/(<\/?mark[^>]*>)/)
    .map((part) =>
      part.startsWith("<mark")
        ? open
        : part.startsWith("</mark")
          ? close
          : clean(plainText(part as Html)),
    )
    .join("");
}

// Statements are untrusted text: an escape sequence in one must not reach the terminal.
function clean(text: string): string {
  return safeText(text).replace(/\s+/g, " ");
}
