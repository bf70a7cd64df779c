/**
 * Word files (.docx): paragraphs and headings through Mammoth's HTML, tables row by row. The
 * title is the first heading, else the document's properties, else its page header; the date
 * is the first written in the text, else the properties'. A zip bomb is refused from what the
 * archive declares before anything is inflated.
 */
import { decodeXML } from "entities";
import mammoth from "mammoth";
import { parseHTML } from "linkedom";
import { blocksOf, withoutTitle, type El } from "./blocks.ts";
import { findDate } from "./find-date.ts";
import { withoutFootnoteMarks } from "./footnotes.ts";
import { FormatError, type Parsed } from "./format-contract.ts";
import { detectDocumentLanguage, primaryLanguage } from "../text/language.ts";
import type { RawRecord } from "./statement.ts";
import {
  readZipEntry,
  refuseZipBomb,
  zipEntries,
  type ZipEntry,
} from "./zip.ts";

const STYLE_MAP = [
  "p[style-name='Title'] => h1:fresh",
  "p[style-name='Subtitle'] => h2:fresh",
];

/** Reads a Word file into one statement. */
export async function parseDocx(bytes: Uint8Array): Promise<Parsed> {
  const entries = entriesOf(bytes);
  const props = coreProperties(bytes, entries);
  const result = await mammoth.convertToHtml(
    { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
    {
      styleMap: STYLE_MAP,
      externalFileAccess: false,
      // Pictures have no text; leaving them out keeps their bytes out of the HTML.
      convertImage: mammoth.images.imgElement(async () => ({ src: "" })),
    },
  );
  const { document } = parseHTML(
    `<html><body>${result.value}</body></html>`,
  ) as unknown as {
    document: { body: El };
  };
  const blocks = blocksOf(document.body);
  const body = blocks.map((b) => b.text).join("\n\n");
  if (!body.trim()) throw new FormatError("the document holds no text");
  const heading = blocks.find(
    (b) => b.heading && b.text.length <= 300 && !b.text.includes(" | "),
  );
  const title =
    heading?.text ??
    props.title ??
    pageHeader(bytes, entries) ??
    firstLine(blocks[0]?.text ?? "");
  const lang = props.language ?? detectDocumentLanguage(body);
  const date =
    findDate(body.slice(0, 4000), lang)?.iso ??
    findDate(body.slice(-600), lang)?.iso ??
    props.created ??
    props.modified;
  const record: RawRecord = { title, body: withoutTitle(body, title) };
  if (date) record.date = date;
  if (lang) record.lang = lang;
  return { records: [{ record }], problems: [] };
}

function entriesOf(bytes: Uint8Array): ZipEntry[] {
  // An encrypted Word file is an OLE compound file, as is an old .doc.
  if (
    bytes[0] === 0xd0 &&
    bytes[1] === 0xcf &&
    bytes[2] === 0x11 &&
    bytes[3] === 0xe0
  )
    throw new FormatError(
      "an encrypted (password-protected) Word file, or an old .doc saved as .docx",
    );
  let entries: ZipEntry[];
  try {
    entries = zipEntries(bytes);
  } catch (err) {
    throw new FormatError(`damaged Word file (${(err as Error).message})`);
  }
  if (!entries.some((e) => e.name === "word/document.xml"))
    throw new FormatError("not a Word document (it has no word/document.xml");
  refuseZipBomb(entries, bytes.length);
  return entries;
}

interface Properties {
  title?: string;
  created?: string;
  modified?: string;
  language?: string;
}

// The elements of `docProps/core.xml` read here, with their text. An element holds no other
// (`[^<]`), so one scan finds the first of each.
const CORE_FIELD =
  /<(dc:title|dc:language|dcterms:created|dcterms:modified)(?:\s[^<>]*)?>([^<]{1,1000})<\/\1>/g;

/** The title, dates and language in `docProps/core.xml`, when the author filled them in. */
function coreProperties(bytes: Uint8Array, entries: ZipEntry[]): Properties {
  const xml = entryText(bytes, entries, "docProps/core.xml");
  const fields = new Map<string, string>();
  for (const [, tag, text] of xml.matchAll(CORE_FIELD))
    if (!fields.has(tag!)) fields.set(tag!, decodeXML(text!).trim());
  const field = (tag: string) => fields.get(tag);
  const props: Properties = {};
  const title = field("dc:title");
  if (
    title &&
    /\p{L}{2}/u.test(title) &&
    !/^(?:untitled|document\d*)$/i.test(title)
  )
    props.title = title;
  const created = field("dcterms:created")?.slice(0, 10);
  if (created && /^\d{4}-\d{2}-\d{2}$/.test(created)) props.created = created;
  const modified = field("dcterms:modified")?.slice(0, 10);
  if (modified && /^\d{4}-\d{2}-\d{2}$/.test(modified))
    props.modified = modified;
  const language = field("dc:language");
  const lang = language && primaryLanguage(language);
  if (lang) props.language = lang;
  return props;
}

// `Page 3`, `Seite 3 von 8`, `3 of 66`, `3/66`. The lookbehind tries a number only from its
// first digit: from each digit of a long run in turn the scan would take quadratic time.
const PAGE_NUMBER =
  /^(?:page|seite|página|страница)(?![\p{L}\p{N}])|(?<!\d)\d+\s*(?:of|\/)\s*\d+$/iu;

/**
 * The text of the first page header, line by line, without page numbers, field codes
 * (`Page 3 of 66`) and footnote marks: some documents carry their title only there.
 */
function pageHeader(
  bytes: Uint8Array,
  entries: ZipEntry[],
): string | undefined {
  const header = entries
    .filter((e) => /^word\/header\d*\.xml$/.test(e.name))
    .sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }))[0];
  if (!header) return undefined;
  const xml = entryText(bytes, entries, header.name);
  // Tabs set the parts of a header apart: `Title <tab> Page 3 of 66`.
  const lines = [...xml.matchAll(/<w:p[\s>][\s\S]*?<\/w:p>/g)].flatMap(
    ([paragraph]) =>
      [
        ...paragraph.matchAll(
          /<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:(?:tab|br)\b[^>]*\/>/g,
        ),
      ]
        .map((m) => (m[1] === undefined ? "\t" : decodeXML(m[1])))
        .join("")
        .split(/\t+/)
        .map((part) => part.replace(/\s+/g, " ").trim())
        .filter((part) => /\p{L}{2}/u.test(part) && !PAGE_NUMBER.test(part)),
  );
  return lines.length > 0
    ? withoutFootnoteMarks(lines.join(" ").slice(0, 300))
    : undefined;
}

function entryText(
  bytes: Uint8Array,
  entries: ZipEntry[],
  name: string,
): string {
  const entry = entries.find((e) => e.name === name);
  if (!entry) return "";
  try {
    return new TextDecoder().decode(readZipEntry(bytes, entry, 1024 * 1024));
  } catch {
    return "";
  }
}

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 197)}…` : line;
}
