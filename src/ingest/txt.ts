import { decodeText } from "./files.ts";
import type { Parsed } from "./format-contract.ts";
import type { RawRecord } from "./statement.ts";

/**
 * Reads a statement in the seed format: the title line, a blank line, the title again
 * (optional), a date line `# 07 September 2023 20:51 (UTC +04:00)` (optional), then the body.
 * The date is passed on as written; checking it is toStatement's job.
 */
export function parseTxt(text: string): RawRecord {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  let i = skipBlank(lines, 0);
  const title = (lines[i] ?? "").trim();
  i = skipBlank(lines, i + 1);
  if (title && lines[i]?.trim() === title) i = skipBlank(lines, i + 1);
  let date: string | undefined;
  const dateLine = /^#(.*)$/.exec(lines[i]?.trim() ?? "");
  if (dateLine) {
    date = dateLine[1]!.trim();
    i += 1;
  }
  return { title, date, body: lines.slice(i).join("\n") };
}

function skipBlank(lines: string[], from: number): number {
  let i = from;
  while (i < lines.length && lines[i]!.trim() === "") i += 1;
  return i;
}

/** The text format's parser for the format table: one statement per file. */
export function parseTxtFile(bytes: Uint8Array): Parsed {
  return { records: [{ record: parseTxt(decodeText(bytes)) }], problems: [] };
}
