import { createHash } from "node:crypto";
import { formatDate } from "../text/dates.ts";
import type { Statement } from "../ingest/statement.ts";
import { safeText } from "./safe.ts";

/**
 * How to cite a statement: in words, as BibTeX and as CSL-JSON (what citation processors
 * read). RIS, which reference managers import, is `risRecord` (ris.ts).
 */
export interface Citation {
  text: string;
  bibtex: string;
  csl: CslItem;
}

/** A CSL-JSON item (citationstyles.org's schema), the fields a statement fills. */
export interface CslItem {
  id: string;
  type: "document";
  title: string;
  author?: { literal: string }[];
  issued?: { "date-parts": number[][] };
  URL?: string;
  accessed: { "date-parts": number[][] };
  note?: string;
  language?: string;
}

/**
 * A statement's citation. It points at the publisher's web address when the statement has
 * one, and at Readout's `permalink` when there is one others can open (`--public-url`);
 * without either it names the file the statement was read from. `accessed` is the day the
 * citation is made (YYYY-MM-DD).
 */
export function cite(
  statement: Statement,
  permalink: string | undefined,
  accessed: string,
): Citation {
  const title = safeText(statement.title);
  const source = statement.source && safeText(statement.source);
  const url = statement.url && safeText(statement.url);
  const { date } = statement;
  const web = url && /^https?:\/\//i.test(url) ? url : undefined;
  const where = web || permalink ? undefined : fileLocator(statement);
  // Where to find it, the last one read on the day the citation was made.
  const locators = [
    url,
    permalink && `Readout: ${permalink}`,
    where && `Readout, ${where}`,
  ].filter((l): l is string => Boolean(l));
  const parts = [
    source ? `${source}.` : "",
    `“${title}.”`,
    date ? `${formatDate(date)}.` : "Undated.",
    ...locators.map((l, i) =>
      i < locators.length - 1
        ? `${l}.`
        : `${l} (accessed ${formatDate(accessed)}).`,
    ),
  ];
  const [year, month, day] = (date ?? "").slice(0, 10).split("-");
  const note = permalink
    ? `Readout permalink: \\url{${bibtexUrl(permalink)}}; accessed ${accessed}`
    : `${where ? `Readout, ${bibtexText(where)}; ` : ""}accessed ${accessed}`;
  const fields: [string, string | undefined][] = [
    // Double braces keep the title's case: styles lower-case titles otherwise.
    ["title", `{{${bibtexText(title)}}}`],
    ["author", source ? `{{${bibtexText(source)}}}` : undefined],
    // Without an author, styles sort by `key`: the title.
    ["key", source ? undefined : `{${bibtexText(title)}}`],
    ["year", year ? `{${year}}` : undefined],
    // The standard styles' month macros print the month in the document's language.
    ["month", month ? MONTHS[Number(month) - 1] : undefined],
    ["day", day ? `{${Number(day)}}` : undefined],
    ["url", web || permalink ? `{${bibtexUrl(web ?? permalink!)}}` : undefined],
    ["note", `{${note}}`],
  ];
  const body = fields
    .filter((f): f is [string, string] => f[1] !== undefined)
    .map(([k, v]) => `  ${k} = ${v}`)
    .join(",\n");
  const key = citeKey(statement.id);
  const noteText = permalink
    ? `Readout permalink: ${permalink}`
    : where && `Readout, ${where}`;
  const dateParts = [year, month, day].filter(Boolean).map(Number);
  return {
    text: parts.filter(Boolean).join(" "),
    bibtex: `@misc{${key},\n${body}\n}`,
    csl: {
      id: key,
      type: "document",
      title,
      ...(source ? { author: [{ literal: source }] } : {}),
      ...(dateParts.length ? { issued: { "date-parts": [dateParts] } } : {}),
      ...(web || permalink ? { URL: web ?? permalink! } : {}),
      accessed: { "date-parts": [accessed.split("-").map(Number)] },
      ...(noteText ? { note: noteText } : {}),
      ...(statement.lang ? { language: statement.lang } : {}),
    },
  };
}

/**
 * Where a citation points when there is neither a web address nor a permanent link others
 * can open: the file the statement was read from (`file speeches.jsonl, line 12`).
 */
export function fileLocator(statement: Pick<Statement, "origin">): string {
  const { file, line } = statement.origin;
  return `file ${file}${line !== undefined ? `, line ${line}` : ""}`;
}

const MONTHS = [
  "jan",
  "feb",
  "mar",
  "apr",
  "may",
  "jun",
  "jul",
  "aug",
  "sep",
  "oct",
  "nov",
  "dec",
];

/** Letters of the id kept in a key, before its hash. */
const KEY_PREFIX = 40;

/**
 * A BibTeX key for a statement id: a readable prefix of the id, then a hash of the whole id.
 * Ids are unique and permanent, so keys are too: a prefix alone made 934 keys shared by
 * 2,284 statements of the real corpus, which BibTeX rejects as repeated entries.
 */
export function citeKey(id: string): string {
  const prefix = id
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .slice(0, KEY_PREFIX)
    .replace(/^-+|(?<!-)-+$/g, "");
  const hash = createHash("sha256").update(id).digest("hex").slice(0, 8);
  return `${prefix || "statement"}-${hash}`;
}

// What LaTeX would read as a command, or BibTeX as a brace that is not one. BibTeX counts
// every brace, escaped or not, so `\{` alone leaves an entry unbalanced: braces are written
// as commands. `\~{}` and `\^{}` are accents, not the characters.
const LATEX: Record<string, string> = {
  "\\": "\\textbackslash{}",
  "{": "\\textbraceleft{}",
  "}": "\\textbraceright{}",
  "~": "\\textasciitilde{}",
  "^": "\\textasciicircum{}",
  "<": "\\textless{}",
  ">": "\\textgreater{}",
  "|": "\\textbar{}",
  "%": "\\%",
  "&": "\\&",
  $: "\\$",
  "#": "\\#",
  _: "\\_",
};

/** Text as a BibTeX field prints it as written: special characters escaped in one pass. */
export function bibtexText(text: string): string {
  return safeText(text)
    .replace(/[\t\n\r]+/g, " ")
    .replace(/[\\{}~^<>|%&$#_]/g, (c) => LATEX[c]!);
}

// A URL is written as it is: re-encoding its `%` (`%e2` → `%25e2`) named another address.
// Only what cannot stand in a URL and would break the entry (braces, backslashes, spaces,
// control characters) is percent-encoded.
function bibtexUrl(url: string): string {
  return url.replace(/[{}\\\s\u0000-\u001f\u007f]/g, (c) =>
    encodeURIComponent(c),
  );
}
