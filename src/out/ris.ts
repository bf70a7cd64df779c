import { citeKey, fileLocator } from "./cite.ts";

/** What a RIS record says of a statement: its fields, and a person's note and tags. */
export interface RisStatement {
  id: string;
  title: string;
  date?: string;
  source?: string;
  url?: string;
  lang?: string;
  /** The file it was read from: named when there is no address to point at. */
  origin?: { file: string; line?: number };
}

/**
 * A statement as a RIS record (the format reference managers import: Zotero, EndNote,
 * Mendeley), pointing at the publisher's address or its permanent link, when there is one
 * others can open (`--public-url`), else naming its file; `accessed` is the day it is made
 * (YYYY-MM-DD). A note and tags, when given, go in N1 and KW.
 */
export function risRecord(
  statement: RisStatement,
  permalink: string | undefined,
  accessed: string,
  extra: { note?: string; tags?: string[] } = {},
): string {
  const { title, source, date, url } = statement;
  const [year, month, day] = (date ?? "").slice(0, 10).split("-");
  const web = url && /^https?:\/\//i.test(url) ? url : undefined;
  const lines: [string, string | undefined][] = [
    ["TY", "GEN"],
    ["ID", citeKey(statement.id)],
    ["TI", title],
    // A publisher is an author as a whole name: one AU line, no "Last, First" to split.
    ["AU", source],
    ["PY", year],
    ["DA", year ? `${year}/${month ?? ""}/${day ?? ""}/` : undefined],
    // One address: readers keep only one (the publisher's; the permalink is in N1).
    ["UR", web ?? permalink],
    ["Y2", accessed.replace(/-/g, "/")],
    ["DB", "Readout"],
    ["LA", statement.lang],
    [
      "N1",
      permalink
        ? `Readout permalink: ${permalink}; accessed ${accessed}`
        : `${!web && statement.origin ? `Readout, ${fileLocator({ origin: statement.origin })}; ` : ""}accessed ${accessed}`,
    ],
    ["N1", extra.note || undefined],
    ...(extra.tags ?? []).map((t): [string, string] => ["KW", t]),
  ];
  return (
    lines
      .filter((l): l is [string, string] => l[1] !== undefined && l[1] !== "")
      .map(([tag, value]) => `${tag}  - ${risText(value)}\r\n`)
      .join("") + "ER  - \r\n"
  );
}

// A record is a line per field: line ends in a value would start a field of their own.
function risText(value: string): string {
  return value
    .replace(/[\r\n]+/g, " ")
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .trim();
}
