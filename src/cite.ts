import { formatDate } from "./text/dates.ts";
import type { Statement } from "./ingest/statement.ts";

/** How to cite a statement, in words and as BibTeX, pointing at its permanent link. */
export interface Citation {
  text: string;
  bibtex: string;
}

/** `accessed` is the day the citation is made (YYYY-MM-DD). */
export function cite(
  statement: Statement,
  permalink: string,
  accessed: string,
): Citation {
  const { title, source, date, url } = statement;
  const parts = [
    source ? `${source}.` : "",
    `“${title}.”`,
    date ? `${formatDate(date)}.` : "Undated.",
    url ? `${url}.` : "",
    `Readout: ${permalink} (accessed ${formatDate(accessed)}).`,
  ];
  const [year, month, day] = (date ?? "").slice(0, 10).split("-");
  const fields: [string, string | undefined][] = [
    ["title", `{${bibtex(title)}}`],
    ["author", source ? `{{${bibtex(source)}}}` : undefined],
    ["year", year ? `{${year}}` : undefined],
    ["month", month ? `{${Number(month)}}` : undefined],
    ["day", day ? `{${Number(day)}}` : undefined],
    [
      "url",
      `{${bibtexUrl(url && /^https?:\/\//i.test(url) ? url : permalink)}}`,
    ],
    [
      "note",
      `{Readout permalink: \\url{${bibtexUrl(permalink)}}; accessed ${accessed}}`,
    ],
  ];
  const body = fields
    .filter((f): f is [string, string] => f[1] !== undefined)
    .map(([k, v]) => `  ${k} = ${v}`)
    .join(",\n");
  return {
    text: parts.filter(Boolean).join(" "),
    bibtex: `@misc{${citeKey(statement)},\n${body}\n}`,
  };
}

/** A BibTeX key from the id: letters, digits and a few marks only. */
function citeKey(statement: Statement): string {
  const base = statement.id
    .normalize("NFD")
    .replace(/[^A-Za-z0-9:_-]+/g, "-")
    .replace(/^-+|(?<!-)-+$/g, "");
  return (base || "statement").slice(0, 60);
}

// BibTeX gives meaning to these characters; escaped, a title prints as written.
function bibtex(text: string): string {
  return text
    .replace(/\\/g, "\\textbackslash{}")
    .replace(/([{}%&$#_])/g, "\\$1")
    .replace(/\^/g, "\\^{}")
    .replace(/~/g, "\\~{}");
}

// Inside \url{} only unbalanced braces and % break the entry.
function bibtexUrl(url: string): string {
  return url.replace(/[{}%\\]/g, (c) => encodeURIComponent(c));
}
