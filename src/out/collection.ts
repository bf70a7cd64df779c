/**
 * A collection written out: its CSV and JSON Lines rows, its citations, its notes as
 * Markdown, and the evidence pack's manifest and README. Plain text in, plain text out; the
 * web layer streams them.
 */
import type { Statement } from "../ingest/statement.ts";
import type { CollectionRecord, ItemRecord } from "../workspace/model.ts";
import { bibtexText, cite } from "./cite.ts";
import { csvCell } from "./export.ts";
import { risRecord } from "./ris.ts";

/** Where a kept statement stands against the archive now. */
export type KeptStatus = "unchanged" | "changed" | "gone";

/** One statement of a collection as its exports write it. */
export interface CollectionRow {
  id: string;
  title: string;
  date: string;
  source: string;
  url: string;
  permalink: string;
  first_read: string;
  added: string;
  tags: string;
  note: string;
  /** `unchanged`, `changed` (its text or date differ from what was kept) or `gone`. */
  status: KeptStatus;
}

export const COLLECTION_COLUMNS: (keyof CollectionRow)[] = [
  "id",
  "title",
  "date",
  "source",
  "url",
  "permalink",
  "first_read",
  "added",
  "tags",
  "note",
  "status",
];

/** A kept statement's row: the text and date as kept, and where it stands now. */
export function collectionRow(
  item: ItemRecord,
  permalink: string,
  status: KeptStatus,
): CollectionRow {
  const { kept } = item;
  return {
    id: item.id,
    title: kept.title,
    date: kept.date ?? "",
    source: kept.source ?? "",
    url: kept.url ?? "",
    permalink,
    first_read: kept.firstRead ?? "",
    added: item.addedAt,
    tags: item.tags.join(", "),
    note: item.note,
    status,
  };
}

/** The CSV header line (with the byte-order mark spreadsheets read UTF-8 by). */
export function collectionCsvHead(): string {
  return "\ufeff" + COLLECTION_COLUMNS.join(",") + "\r\n";
}

export function collectionCsvLine(row: CollectionRow): string {
  return COLLECTION_COLUMNS.map((c) => csvCell(row[c])).join(",") + "\r\n";
}

/** The kept statement as a statement, for the citation formats. */
export function keptStatement(item: ItemRecord): Statement {
  const { kept } = item;
  return {
    id: item.id,
    title: kept.title,
    body: kept.body,
    meta: {},
    origin: kept.origin,
    ...(kept.date ? { date: kept.date } : {}),
    ...(kept.source ? { source: kept.source } : {}),
    ...(kept.url ? { url: kept.url } : {}),
  };
}

/** A BibTeX entry for a kept statement, its tags as `keywords` and its note as `annote`. */
export function collectionBibtex(
  item: ItemRecord,
  permalink: string | undefined,
  accessed: string,
): string {
  const entry = cite(keptStatement(item), permalink, accessed).bibtex;
  const extra = [
    item.tags.length
      ? `  keywords = {${bibtexText(item.tags.join(", "))}}`
      : "",
    item.note ? `  annote = {${bibtexText(item.note)}}` : "",
  ].filter(Boolean);
  return extra.length
    ? `${entry.slice(0, -2)},\n${extra.join(",\n")}\n}`
    : entry;
}

/** A RIS record for a kept statement, with its note and tags. */
export function collectionRis(
  item: ItemRecord,
  permalink: string | undefined,
  accessed: string,
): string {
  return risRecord(keptStatement(item), permalink, accessed, {
    note: item.note,
    tags: item.tags,
  });
}

/** The notes of a collection as one Markdown document. */
export function notesHead(collection: CollectionRecord, at: string): string {
  return `# ${oneLine(collection.name)}\n\nNotes of the collection "${oneLine(collection.name)}" (${collection.owner}), written out ${at}.\n`;
}

export function notesSection(item: ItemRecord, permalink: string): string {
  const { kept } = item;
  const about = [kept.source, kept.date].filter(Boolean).join(", ");
  return [
    "",
    `## ${oneLine(kept.title)}`,
    "",
    `${about ? `${about}. ` : ""}<${permalink}>`,
    item.tags.length ? `\nTags: ${item.tags.join(", ")}` : "",
    "",
    item.note || "_No note._",
    "",
  ].join("\n");
}

/** One line of the evidence pack's manifest. */
export interface ManifestRow {
  id: string;
  title: string;
  source: string;
  date: string;
  url: string;
  /** The file's name in the pack. */
  file: string;
  sha256: string;
  /** When Readout first read the statement. */
  first_read: string;
  added: string;
  /** Whether the file (or the text, for a record) changed since it was added. */
  changed_since_added: "no" | "yes" | "gone";
}

export const MANIFEST_COLUMNS: (keyof ManifestRow)[] = [
  "id",
  "title",
  "source",
  "date",
  "url",
  "file",
  "sha256",
  "first_read",
  "added",
  "changed_since_added",
];

export function manifestCsv(rows: ManifestRow[]): string {
  return (
    MANIFEST_COLUMNS.join(",") +
    "\r\n" +
    rows
      .map((r) => MANIFEST_COLUMNS.map((c) => csvCell(r[c])).join(",") + "\r\n")
      .join("")
  );
}

/** `sha256sum -c` reads this: each file's hash, two spaces, its name in the pack. */
export function checksumLines(
  files: { name: string; sha256: string }[],
): string {
  return files.map((f) => `${f.sha256}  ${f.name}\n`).join("");
}

/** What the evidence pack's README.txt says: what is in it and how to check it. */
export function packReadme(options: {
  collection: CollectionRecord;
  made: string;
  server: string;
  statements: number;
  changed: number;
  gone: number;
  /** The part of the archive that stopped answering while the pack was made: it is short. */
  missing?: string;
}): string {
  const { collection, made, server, statements, changed, gone, missing } =
    options;
  const warnings = [
    missing ? partialPackNote(missing, statements) : "",
    changed
      ? `WARNING: ${changed} statement(s) changed since they were added to the collection: see the column changed_since_added of manifest.csv. The pack holds the files as they are now; the text as it was when added is in kept/.`
      : "",
    gone
      ? `WARNING: ${gone} statement(s) are no longer in the archive: the pack holds the text kept when they were added, in kept/.`
      : "",
  ].filter(Boolean);
  return [
    `Evidence pack: ${oneLine(collection.name)}`,
    "",
    `Made by Readout at ${server} on ${made}, from the collection "${oneLine(collection.name)}" of ${collection.owner}: ${statements} statement(s).`,
    "",
    "What is in it",
    "  files/         each statement's file as Readout read it; for a statement that came from",
    "                 a file of many records (JSON, JSON Lines), its text as a .txt file",
    "  kept/          the text of a statement as it was when added, where it has changed since",
    "  manifest.csv   per statement: id, title, source, date, the publisher's URL, the file in",
    "                 this pack, its SHA-256, when Readout first read it, when it was added, and",
    "                 whether it changed since",
    "  citations.bib  the statements as BibTeX;  citations.ris  the same as RIS",
    "  notes.md       the notes written about each statement",
    "  SHA256SUMS     the SHA-256 of every other file in the pack",
    "",
    "How to check it",
    "  Unpack the archive, then in its folder run:",
    "",
    "      sha256sum -c SHA256SUMS",
    "",
    "  (on macOS: shasum -a 256 -c SHA256SUMS). Every line must say OK. The sha256 column of",
    "  manifest.csv gives the same hashes: a file whose hash matches is, byte for byte, the one",
    "  the manifest describes.",
    ...(warnings.length ? ["", ...warnings] : []),
    "",
  ].join("\n");
}

/**
 * What a pack made while a part of the archive did not answer says, in README.txt and in a
 * file of its own, `PARTIAL.txt`, that its listing shows first.
 */
export function partialPackNote(part: string, statements: number): string {
  return `WARNING: Part of the archive did not answer (${part}) while this pack was made: it holds the first ${statements} statement(s) of the collection only. Make it again when every part answers.`;
}

/**
 * A name for a file inside the pack: the statement's number, then its file's name with
 * anything but letters, digits, `.`, `_` and `-` made `_` (no folders, no `..`, nothing a
 * shell or an unzip tool reads as special).
 */
export function packFileName(n: number, name: string): string {
  const safe = name
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .replace(/^[._]+/, "")
    .slice(-80);
  return `${String(n).padStart(4, "0")}-${safe || "statement"}`;
}

/** A kept statement as plain text: what the pack holds for a record, or a text as added. */
export function statementText(s: {
  id: string;
  title: string;
  date?: string;
  source?: string;
  url?: string;
  body: string;
}): string {
  const head = [
    `Id: ${s.id}`,
    s.source ? `Source: ${s.source}` : "",
    s.date ? `Date: ${s.date}` : "",
    s.url ? `URL: ${s.url}` : "",
  ].filter(Boolean);
  return `${s.title}\n\n${head.join("\n")}\n\n${s.body}\n`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
