import type { Cell } from "./stats.ts";

/**
 * A Markdown table whose columns line up in a terminal too. Columns are right-aligned
 * (figures) after the first, unless `left` lists them.
 */
export function markdownTable(
  header: string[],
  rows: string[][],
  left: number[] = [0],
): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [
    line(header),
    `| ${widths.map((w, i) => (left.includes(i) ? "-".repeat(w) : "-".repeat(w - 1) + ":")).join(" | ")} |`,
    ...rows.map(line),
  ].join("\n");
}

/** Longest text in a cell. */
const MAX_TEXT = 44;

/**
 * A cell as text: `format` for figures, the reason otherwise, cut short (the report lists
 * failures in full below the tables); pipes would break the row.
 */
export function show(cell: Cell, format: (n: number) => string): string {
  let text =
    "value" in cell
      ? format(cell.value) + (cell.runs ? ` (${cell.runs})` : "")
      : cell.text;
  text = text.replace(/\s+/g, " ").replace(/^failed: (Error: )?/, "failed: ");
  if (text.length > MAX_TEXT) text = text.slice(0, MAX_TEXT - 1) + "…";
  return text.replace(/\|/g, "/");
}

const number = (n: number, digits = 0) =>
  n.toLocaleString("en", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });

export const formats = {
  count: (n: number) => number(n),
  seconds: (ms: number) => `${number(ms / 1000, ms < 10_000 ? 2 : 1)} s`,
  ms: (ms: number) => `${number(ms, ms < 10 ? 2 : ms < 100 ? 1 : 0)} ms`,
  bytes: (b: number) =>
    b >= 2 ** 30
      ? `${number(b / 2 ** 30, 2)} GB`
      : b >= 2 ** 20
        ? `${number(b / 2 ** 20, 0)} MB`
        : `${number(b / 2 ** 10, 1)} KB`,
  perSecond: (n: number) => `${number(n, n < 100 ? 1 : 0)}/s`,
  ratio: (n: number) => `${number(n, n < 0.1 ? 3 : n < 10 ? 2 : 1)}×`,
};
