/**
 * What word-processor files share once their text is out (.docx, .doc, .odt, .rtf): the
 * title a person would pick (the first heading, else the document's properties, else its
 * first line), the date the text states (on its first page or under its last lines) before
 * the file's own dates, which say when the file was made, not the statement.
 */
import { withoutTitle, type Block } from "./blocks.ts";
import { findDate } from "./find-date.ts";
import { FormatError } from "./format-contract.ts";
import { detectDocumentLanguage, primaryLanguage } from "../text/language.ts";
import type { RawRecord } from "./statement.ts";

/** What a file says of its document beside the text. */
export interface DocumentProperties {
  /** Titles in the order they are trusted (properties, a page header); blanks are passed over. */
  titles?: (string | undefined)[];
  /** The file's own dates (created, then modified), ISO-8601. */
  dates?: (string | undefined)[];
  language?: string;
}

/** The record of a document given as blocks of text. */
export function documentRecord(
  blocks: Block[],
  props: DocumentProperties,
): RawRecord {
  const body = blocks
    .map((b) => b.text.trim())
    .filter(Boolean)
    .join("\n\n");
  if (!body) throw new FormatError("the document holds no text");
  const heading = blocks.find(
    (b) => b.heading && b.text.trim().length <= 300 && !b.text.includes(" | "),
  );
  const title =
    heading?.text.trim() ??
    props.titles?.find((t) => t && /\p{L}{2}/u.test(t))?.trim() ??
    firstLine(
      blocks.find((b) => !isLetterhead(b.text) && /\p{L}{2}/u.test(b.text))
        ?.text ?? body,
    );
  const lang =
    primaryLanguage(props.language ?? "") ?? detectDocumentLanguage(body);
  const date =
    findDate(body.slice(0, 4000), lang)?.iso ??
    findDate(body.slice(-600), lang)?.iso ??
    props.dates?.find((d) => d && /^\d{4}-\d{2}-\d{2}/.test(d))?.slice(0, 10);
  const record: RawRecord = { title, body: withoutTitle(body, title) };
  if (date) record.date = date;
  if (lang) record.lang = lang;
  return record;
}

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 197)}…` : line;
}

// Words that name an institution, in the languages statements come in.
const INSTITUTION =
  /(?<!\p{L})(?:republic|kingdom|government|ministry|minister|ministers|embassy|permanent mission|mission|office|department|secretariat|commission|commissioner|council|united nations|nations unies|naciones unidas|presidency|prime minister|chancellery|r[ée]publique|royaume|gouvernement|minist[èe]re|ambassade|rep[úu]blica|gobierno|ministerio|embajada|bundes\p{L}*|ministerium|botschaft|республика|правительство|министерство|посольство|міністерство|посольство)(?!\p{L})/iu;

/**
 * Whether a line is a letterhead or masthead, not a title: set in capitals and naming an
 * institution (`MINISTRY OF FOREIGN AFFAIRS`, `REPUBLIQUE DU CAMEROUN`), or an annex mark
 * (`Annex II`, `（別添④）`, `Приложение 1`).
 */
export function isLetterhead(line: string): boolean {
  const text = line.trim();
  if (ANNEX_MARK.test(text)) return true;
  const letters = text.match(/\p{L}/gu) ?? [];
  const capitals = text.match(/\p{Lu}/gu) ?? [];
  return (
    letters.length >= 4 &&
    capitals.length >= letters.length * 0.8 &&
    INSTITUTION.test(text)
  );
}

// `Annex`, `Annex II`, `ANNEXE 3`, `Anexo`, `Anlage 2`, `Приложение 1`, `（別添④）`, `附件1`, `別紙`.
const ANNEX_MARK =
  /^[(（[]?\s{0,2}(?:annex(?:e|o)?|appendix|attachment|enclosure|anlage|приложение|додаток|別添|別紙|附件|附录)\s{0,2}[\p{N}IVXLivxl①-⑳-]{0,6}\s{0,2}[)）\]]?[.:]?$/iu;
