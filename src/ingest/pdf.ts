/**
 * PDFs: the text layer in reading order, as paragraphs, with the body offset of every page.
 * `unpdf` bundles Mozilla's pdf.js with no native parts (no canvas is ever loaded: only
 * text is read). Pages without text (a scan) are read by OCR where Tesseract is installed
 * (`ocr.ts`): the text layer wins on every page that has one. A scan without Tesseract, an
 * encrypted PDF, a damaged one and one whose fonts carry no character map are each refused
 * with the reason.
 */
import { availableParallelism } from "node:os";
import { getDocumentProxy, getMeta } from "unpdf";
import { findDate } from "./find-date.ts";
import { withoutTitle } from "./blocks.ts";
import { isLetterhead } from "./document.ts";
import { refusePdfBomb } from "./pdf-bomb.ts";
import { withoutFootnoteMarks } from "./footnotes.ts";
import {
  FormatError,
  OcrUnavailable,
  type ParseContext,
  type Parsed,
} from "./format-contract.ts";
import {
  drawPdfPage,
  OCR_DPI,
  OCR_INSTALL,
  recognize,
  type OcrPage,
} from "./ocr.ts";
import { detectDocumentLanguage, primaryLanguage } from "../text/language.ts";
import type { RawRecord } from "./statement.ts";

/** More pages than this are not read (a statement is rarely a book): the rest is noted. */
export const MAX_PAGES = 3000;

interface TextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
  hasEOL?: boolean;
}

/** A line of text on a page: where it stands and how large its type is. */
export interface Line {
  text: string;
  y: number;
  size: number;
  /** Whether all of the line is set in one size (a title is; a masthead mixing sizes is not). */
  uniform: boolean;
  /** Read by OCR: whether the line begins a paragraph, as Tesseract laid the page out. */
  paragraph?: boolean;
}

/** Reads a PDF's text layer (and its scanned pages, by OCR) into one statement. */
export async function parsePdf(
  bytes: Uint8Array,
  _file = "",
  context?: ParseContext,
): Promise<Parsed> {
  await refusePdfBomb(bytes);
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // A copy: pdf.js takes over (detaches) the buffer it is given, and refuses a Buffer.
    pdf = await getDocumentProxy(new Uint8Array(bytes), {
      disableFontFace: true,
      useSystemFonts: false,
      stopAtErrors: false,
      verbosity: 0,
    });
  } catch (err) {
    throw openError(err as Error);
  }
  try {
    return await readDocument(pdf, bytes, context);
  } finally {
    await pdf.cleanup().catch(() => {});
    await pdf.loadingTask.destroy();
  }
}

function openError(err: Error): FormatError {
  if (err.name === "PasswordException")
    return new FormatError("encrypted PDF (it needs a password to open)");
  if (err.name === "InvalidPDFException")
    return new FormatError(`damaged PDF (${err.message})`);
  return new FormatError(`damaged PDF (${err.message})`);
}

async function readDocument(
  pdf: Awaited<ReturnType<typeof getDocumentProxy>>,
  bytes: Uint8Array,
  context: ParseContext | undefined,
): Promise<Parsed> {
  const problems: Parsed["problems"] = [];
  const pageCount = Math.min(pdf.numPages, MAX_PAGES);
  if (pdf.numPages > MAX_PAGES)
    problems.push({
      message: `only the first ${MAX_PAGES} of ${pdf.numPages} pages were read`,
      kept: true,
    });
  const pages: Line[][] = [];
  for (let n = 1; n <= pageCount; n++) {
    const page = await pdf.getPage(n);
    const content = await page.getTextContent();
    pages.push(linesOf(content.items as TextItem[]));
    page.cleanup();
  }
  const lettersOf = (lines: Line[]) =>
    lines.reduce((sum, l) => sum + (l.text.match(/\p{L}/gu)?.length ?? 0), 0);
  const scanned = pages.flatMap((lines, i) =>
    lettersOf(lines) < PAGE_LETTERS ? [i + 1] : [],
  );
  const ocr = scanned.length ? await context?.ocr() : undefined;
  let ocrNote: string | undefined;
  if (ocr) {
    const read = await readScans(bytes, scanned, ocr.languages, context!);
    for (const [n, lines] of read.pages) pages[n - 1] = lines;
    ocrNote = read.note;
    if (ocr.missing.length)
      problems.push({
        message: `OCR languages not installed: ${ocr.missing.join(", ")} (apt-get install ${ocr.missing.map((l) => `tesseract-ocr-${l.replace(/_/g, "-").toLowerCase()}`).join(" ")})`,
        kept: true,
        awaitsOcr: ocr.missing,
      });
  }
  const letters = lettersOf(pages.flat());
  if (letters < Math.max(40, 10 * pageCount)) {
    if (ocr)
      throw new FormatError(
        `no text found in ${pageCount} page${pageCount === 1 ? "" : "s"}, by the text layer or by OCR`,
      );
    throw new OcrUnavailable(
      `no text layer (a scanned image?) in ${pageCount} page${pageCount === 1 ? "" : "s"}; Readout reads scans by OCR once Tesseract is installed: ${OCR_INSTALL}`,
    );
  }
  const sample = pages
    .flat()
    .map((l) => l.text)
    .join(" ");
  if (!isReadable(sample))
    throw new FormatError(
      "its text cannot be read (its fonts map no characters, so the text layer is gibberish)",
    );

  const { info, metadata } = await getMeta(pdf).catch(() => ({
    info: {} as Record<string, unknown>,
    metadata: undefined,
  }));
  const xmp = (name: string): string | undefined => {
    try {
      const value = metadata?.get(name);
      return typeof value === "string" ? value : undefined;
    } catch {
      return undefined;
    }
  };
  const found = recordOfPages(pages, {
    titles: [String(info.Title ?? ""), xmp("dc:title") ?? ""],
    dates: [
      pdfDate(String(info.CreationDate ?? "")),
      pdfDate(xmp("xmp:createdate") ?? ""),
      pdfDate(String(info.ModDate ?? "")),
    ].flatMap((d) => (d ? [d] : [])),
    lang: String(info.Language ?? ""),
  });
  if (ocrNote) found.record.ocr = ocrNote;
  return { records: [found], problems };
}

/** What a document's file says of it besides its pages: titles, dates and language. */
export interface DocumentHints {
  titles: string[];
  dates: string[];
  lang?: string;
}

/**
 * The statement of a document given as lines on pages (a PDF's text layer, or lines read by
 * OCR): its body as paragraphs with where each page begins, title, date and language.
 */
export function recordOfPages(pages: Line[][], hints: DocumentHints) {
  const { body, starts } = bodyOf(withoutRunningHeads(pages));
  const firstPages = pages
    .slice(0, 2)
    .flat()
    .map((l) => l.text)
    .join("\n");
  const lang =
    primaryLanguage(hints.lang ?? "") ?? detectDocumentLanguage(body);
  const title =
    hints.titles.reduce<string | undefined>(
      (found, t) => found ?? meaningfulTitle(t, firstPages),
      undefined,
    ) ??
    letterTitle(pages) ??
    titleFromText(pages[0] ?? []) ??
    titleFromText(pages.flat());
  // A document's date stands on its first page or under its last lines; dates elsewhere
  // are deadlines and events it speaks of. The file's own dates come last: a file is often
  // made long after the text it holds (a declaration of 1948 saved in 2016).
  const firstPage = body.slice(0, Math.min(starts[1] ?? body.length, 4000));
  const date =
    findDate(firstPage, lang)?.iso ??
    findDate(body.slice(-600), lang)?.iso ??
    hints.dates[0];
  // The title is shown above the body: its paragraph goes, and the pages move up with it.
  const text = withoutTitle(body, title);
  const cut = body.length - text.length;
  const record: RawRecord = { title: title ?? "", body: text };
  if (date) record.date = date;
  if (lang) record.lang = lang;
  const shifted = starts.map((start) => Math.max(0, start - cut));
  return { record, pages: shifted };
}

// Scanned pages

// A page with fewer letters than this has no text layer worth the name (a page number, a
// stamp): it is read by OCR.
const PAGE_LETTERS = 20;
const PAGES_AT_ONCE = Math.max(1, Math.min(2, availableParallelism()));

/**
 * Reads the scanned pages (1-based numbers) by OCR, each drawn by pdftoppm and read by
 * Tesseract, into lines as the text layer gives them, and says what was read and how sure
 * Tesseract was: `pages 1–7, Tesseract eng, mean confidence 91%`.
 */
async function readScans(
  bytes: Uint8Array,
  numbers: number[],
  languages: string[],
  context: ParseContext,
): Promise<{ pages: Map<number, Line[]>; note: string }> {
  const pages = new Map<number, Line[]>();
  let words = 0;
  let confidence = 0;
  // Two pages at a time: a scan alone in a folder still uses both cores of a small machine.
  const queue = [...numbers];
  const readNext = async (): Promise<void> => {
    const n = queue.shift();
    if (n === undefined) return;
    const image = await drawPdfPage(bytes, n);
    const [page] = await recognize(image, { languages });
    context.ocrPage();
    if (page) {
      pages.set(n, ocrLines(page));
      words += page.words;
      confidence += page.confidence;
    }
    return readNext();
  };
  await Promise.all(
    Array.from({ length: Math.min(PAGES_AT_ONCE, numbers.length) }, readNext),
  );
  const mean = words ? Math.round(confidence / words) : 0;
  return {
    pages,
    note: `${pageList(numbers)}, Tesseract ${languages.join("+")}, mean confidence ${mean}%`,
  };
}

/** OCR lines as the text layer's: in points from the page's foot, paragraphs as Tesseract saw them. */
export function ocrLines(page: OcrPage): Line[] {
  const scale = 72 / OCR_DPI;
  return page.lines.map((l) => ({
    text: tidy(l.text),
    y: (page.height - l.bottom) * scale,
    // Heights of OCR boxes vary by a pixel from word to word: half points are enough.
    size: Math.round(l.height * scale * 2) / 2,
    uniform: true,
    paragraph: l.paragraph,
  }));
}

// `page 3`, `pages 1–7`, `pages 2, 5 and 9`.
function pageList(numbers: number[]): string {
  const contiguous = numbers.every(
    (n, i) => i === 0 || n === numbers[i - 1]! + 1,
  );
  if (numbers.length === 1) return `page ${numbers[0]}`;
  if (contiguous) return `pages ${numbers[0]}–${numbers.at(-1)}`;
  return `pages ${numbers.slice(0, -1).join(", ")} and ${numbers.at(-1)}`;
}

// Lines

/**
 * The lines of a page, in the order pdf.js gives its text (the content stream's, which is
 * the reading order for nearly every PDF written from a word processor). A new line starts
 * where pdf.js marks one or the baseline moves; pieces of a line are joined with a space
 * only where there is a gap between them.
 */
function linesOf(items: TextItem[]): Line[] {
  type Open = Line & { end: number; smallest: number };
  const lines: Open[] = [];
  let current: Open | undefined;
  let breakNext = false;
  for (const item of items) {
    if (typeof item.str !== "string") continue;
    const size =
      Math.hypot(item.transform[2] ?? 0, item.transform[3] ?? 0) ||
      item.height ||
      1;
    const x = item.transform[4] ?? 0;
    const y = item.transform[5] ?? 0;
    if (item.str === "") {
      if (item.hasEOL) breakNext = true;
      continue;
    }
    const sameLine =
      current &&
      !breakNext &&
      Math.abs(y - current.y) <= Math.max(size, current.size) * 0.5;
    if (!sameLine) {
      if (current) lines.push(current);
      current = {
        text: item.str,
        y,
        size,
        end: x + item.width,
        smallest: size,
        uniform: true,
      };
    } else {
      const gap = x - current!.end;
      const spaced =
        /\s$/.test(current!.text) || /^\s/.test(item.str) || gap <= size * 0.15;
      current!.text += (spaced ? "" : " ") + item.str;
      current!.end = x + item.width;
      current!.size = Math.max(current!.size, size);
      if (item.str.trim())
        current!.smallest = Math.min(current!.smallest, size);
    }
    breakNext = Boolean(item.hasEOL);
  }
  if (current) lines.push(current);
  return lines
    .map((l) => ({
      text: tidy(l.text),
      y: l.y,
      size: l.size,
      uniform: l.size - l.smallest <= 0.5,
    }))
    .filter((l) => l.text !== "");
}

// Chinese and Japanese: Han, kana, CJK punctuation and full-width forms. The class is
// written out in each pattern: patterns in src/ are literals, so that tests/security can
// check them.
const SPACE_IN_CJK =
  /(?<=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]) +(?=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef])/gu;
const CJK_FIRST =
  /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]/u;
const CJK_LAST =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]$/u;
const CJK_PAIR =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]{2}/u;
const CJK_CHARS =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]/gu;

// Collapse spaces; between two Chinese or Japanese characters a space is typesetting, not a word break.
function tidy(text: string): string {
  return text.replace(/\s+/g, " ").trim().replace(SPACE_IN_CJK, "");
}

/**
 * The pages without their running heads and feet: a line that starts or ends most pages
 * (numbers aside: `A/HRC/43/15`, `Page 3 of 8`), and a bare page number.
 */
function withoutRunningHeads(pages: Line[][]): Line[][] {
  const shape = (text: string) => text.replace(/\d+/g, "#").toLowerCase();
  const edge = (lines: Line[]) => [...lines.slice(0, 2), ...lines.slice(-2)];
  const counts = new Map<string, number>();
  for (const lines of pages)
    for (const key of new Set(edge(lines).map((l) => shape(l.text))))
      counts.set(key, (counts.get(key) ?? 0) + 1);
  const running = (text: string) =>
    /^(?:page |p\. ?|- ?)?\d{1,4}(?: ?(?:of|\/) ?\d{1,4})?(?: ?-)?$/i.test(
      text,
    ) ||
    (pages.length >= 3 && (counts.get(shape(text)) ?? 0) >= pages.length / 2);
  return pages.map((lines) => {
    const edges = new Set(edge(lines));
    return lines.filter((l) => !(edges.has(l) && running(l.text)));
  });
}

// Paragraphs

const SENTENCE_END = /[.!?:;。！？」』"”)]$/u;

/**
 * The body as paragraphs, and where each page begins in it. A paragraph ends where the gap
 * to the next line is clearly wider than the page's usual line spacing, where the type size
 * changes (a heading), or after a short line that ends a sentence. A paragraph carries on
 * over a page break when it did not end a sentence and the next page starts in lower case.
 */
function bodyOf(pages: Line[][]): { body: string; starts: number[] } {
  let body = "";
  const starts: number[] = [];
  let last: Line | undefined;
  let lastWidth = 0;
  for (const lines of pages) {
    const spacing = usualSpacing(lines);
    const widest = Math.max(1, ...lines.map((l) => l.text.length));
    let pageStart: number | undefined;
    lines.forEach((line, i) => {
      const prev = i > 0 ? lines[i - 1] : undefined;
      let joiner: string;
      if (!last) joiner = "";
      else if (!prev) {
        // The first line of a page: does the paragraph of the previous page go on?
        const goesOn =
          !SENTENCE_END.test(last.text) && /^\p{Ll}/u.test(line.text);
        joiner = goesOn ? joinerOf(last.text, line.text) : "\n\n";
      } else {
        const gap = prev.y - line.y;
        // OCR lines say where paragraphs begin; the text layer's are judged by their layout.
        const newParagraph =
          line.paragraph ??
          (gap > spacing * 1.45 ||
            gap < 0 ||
            Math.abs(line.size - prev.size) > 0.75 ||
            (lastWidth < widest * 0.6 && SENTENCE_END.test(prev.text)));
        joiner = newParagraph ? "\n\n" : joinerOf(prev.text, line.text);
      }
      if (joiner === "" && body.endsWith("-") && /\p{Ll}-$/u.test(body))
        body = body.slice(0, -1);
      body += joiner;
      pageStart ??= body.length;
      body += line.text;
      last = line;
      lastWidth = line.text.length;
    });
    starts.push(pageStart ?? body.length);
  }
  return { body, starts };
}

// A hyphen that breaks a word at the end of a line joins it with the next; CJK lines join
// without a space.
function joinerOf(before: string, after: string): string {
  if (/\p{Ll}-$/u.test(before) && /^\p{Ll}/u.test(after)) return "";
  if (CJK_LAST.test(before) && CJK_FIRST.test(after)) return "";
  return " ";
}

// The distance between the baselines of two lines of one paragraph: the lower quartile of
// the gaps between lines of the same type size (gaps between paragraphs are the wider ones).
function usualSpacing(lines: Line[]): number {
  const gaps: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const gap = lines[i - 1]!.y - lines[i]!.y;
    if (gap > 0 && Math.abs(lines[i - 1]!.size - lines[i]!.size) < 0.5)
      gaps.push(Math.round(gap * 2) / 2);
  }
  if (gaps.length === 0) return (lines[0]?.size ?? 10) * 1.2;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 4)]!;
}

// Title

// A line that names the series or kind of document, not this one: UN mastheads, "Press release".
const MASTHEAD =
  /^(?:\p{Lu}\s+)?(?:united nations|nations unies|naciones unidas|организация объединенных наций|general assembly|security council|economic and social council|human rights council|press release|news release|media release|for immediate release|communiqu[eé] de presse|pressemitteilung|пресс-релиз|statement)$/iu;

/**
 * The document's title from its metadata, when it is one: not empty, a placeholder
 * (`untitled`, `Microsoft Word - x.docx`), a file name, lost to an encoding (`??????`), nor a
 * title left from another document the file was made from (its words must be on the first
 * pages).
 */
function meaningfulTitle(
  title: string,
  firstPages: string,
): string | undefined {
  const text = title.replace(/\s+/g, " ").trim();
  if (!text || /\?{2,}|\uFFFD/.test(text)) return undefined;
  if (
    /^(?:untitled|microsoft word|document\b|slide\b|title\b|unbenannt)/i.test(
      text,
    )
  )
    return undefined;
  if (
    /\.(?:docx?|pdf|rtf|odt|indd|qxd|tmp)$/i.test(text) ||
    /[\\/]\w+[\\/]/.test(text)
  )
    return undefined;
  const words = text.match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length < 2 && !CJK_PAIR.test(text)) return undefined;
  const page = firstPages.toLowerCase().replace(/\s+/g, "");
  const missing = words.filter((w) => !page.includes(w.toLowerCase())).length;
  return missing <= Math.floor(words.length / 10) ? text : undefined;
}

/**
 * The title as printed: the lines in the largest type on the first page that read as words
 * (not a bar code, a document symbol, a masthead, a letterhead or an annex mark), up to
 * three lines together. When no line
 * stands out by its size, the first line that reads as words.
 */
function titleFromText(lines: Line[]): string | undefined {
  const wordy = (l: Line) => {
    const words = l.text.match(/\p{L}{2,}/gu) ?? [];
    const cjk = l.text.match(CJK_CHARS)?.length ?? 0;
    return (
      (words.length >= 2 || cjk >= 4) &&
      l.uniform &&
      !MASTHEAD.test(l.text) &&
      !isLetterhead(l.text)
    );
  };
  const candidates = lines.filter(wordy);
  if (candidates.length === 0) return undefined;
  const sizes = lines.map((l) => l.size).sort((a, b) => a - b);
  const usual = sizes[Math.floor(sizes.length / 2)]!;
  const largest = Math.max(...candidates.map((l) => l.size));
  if (largest < usual * 1.1) return clip(candidates[0]!.text);
  const start = lines.findIndex((l) => wordy(l) && l.size >= largest - 0.5);
  const group: string[] = [];
  for (let i = start; i < lines.length && group.length < 3; i++) {
    const line = lines[i]!;
    if (
      Math.abs(line.size - largest) > 0.5 ||
      MASTHEAD.test(line.text) ||
      isLetterhead(line.text)
    )
      break;
    group.push(line.text);
  }
  return clip(group.join(" "));
}

// Letters

const SALUTATION =
  /^(?:(?:your|his|her) )?excellency|^(?:dear|sehr geehrte|уважаем)[\p{L} .,'-]{0,60}[,:!]?$|^(?:madam|sir|madame|monsieur|excelencia|señora?|mr\.? president|madam president)[,:!]?$/iu;
const CLOSING =
  /assurances? of (?:my|our) (?:highest|high|most distinguished|distinguished) consideration|yours (?:sincerely|faithfully|truly)|sincerely(?: yours)?,?$|with best regards|haute considération|sentiments (?:distingués|respectueux)|distinguida consideración|atentamente|hochachtungsvoll|mit freundlichen grüßen|с уважением/iu;
const ADDRESSEE =
  /^(?:h\.\s?e\.|his excellency|her excellency|s\.\s?e\.|son excellence|su excelencia)(?!\p{L})/iu;
// The state or body a letter goes to, on the last line of its address: `Republic of Slovenia`.
const ADDRESSED_STATE =
  /(?:[Rr]epublic|[Kk]ingdom|[Ss]tate|[Pp]rincipality|[Gg]rand [Dd]uchy|[Ff]ederation|[Cc]ommonwealth|[Ss]ultanate|[Cc]onfederation) of (?:the )?(\p{Lu}[\p{L} -]{1,40})$/u;
// Words of an office that signs a letter.
const ROLE =
  /(?:commissioner|minister|secretary|president|ambassador|representative|director|chair(?:person|man|woman)?|rapporteur|envoy|coordinator|head of|prime minister|chancellor|mayor|governor)/i;

/**
 * The title of a letter, which prints none: a salutation (`Excellency,`, `Dear Minister,`)
 * opens its first page, and a closing formula (`the assurances of my highest consideration`)
 * is followed by the signer's name and office. The title says who wrote to whom, as the UN
 * titles its letters: `Letter of the High Commissioner for Human Rights to Slovenia`.
 */
function letterTitle(pages: Line[][]): string | undefined {
  const first = pages[0] ?? [];
  const opening = first.slice(0, 40).findIndex((l) => SALUTATION.test(l.text));
  if (opening < 0) return undefined;
  const lines = pages.flat();
  let closing = -1;
  for (let i = lines.length - 1; i >= 0 && closing < 0; i--)
    if (CLOSING.test(lines[i]!.text)) closing = i;
  if (closing < 0) return undefined;
  // The signer's office, in the lines under the closing formula, but not an addressee's
  // (an address block, `H.E. …`, may follow the signature).
  const under = lines.slice(closing + 1, closing + 8).map((l) => l.text);
  const addressed = under.findIndex((t) => ADDRESSEE.test(t));
  const role = (addressed < 0 ? under : under.slice(0, addressed))
    .map((t) => t.replace(/[,.]$/, ""))
    .find((t) => ROLE.test(t) && (t.match(/\p{L}{2,}/gu)?.length ?? 0) >= 2);
  if (!role) return undefined;
  let to: string | undefined;
  const address = lines.findIndex((l) => ADDRESSEE.test(l.text));
  if (address >= 0)
    for (const line of lines.slice(address, address + 6)) {
      const state = ADDRESSED_STATE.exec(line.text.trim());
      if (state) to = state[1]!.trim();
    }
  const office = role.replace(/^the /i, "");
  return clip(`Letter of the ${office}${to ? ` to ${to}` : ""}`);
}

// Footnote marks (`Review*`) are not part of a title; a very long "title" is cut.
function clip(title: string): string {
  const text = withoutFootnoteMarks(title).trim();
  return text.length > 300 ? `${text.slice(0, 297)}…` : text;
}

// Dates and readability

/** `D:20200219140429+01'00'` → `2020-02-19`. The day only: the time is when a file was made. */
function pdfDate(raw: string): string | undefined {
  const match = /(\d{4})-?(\d{2})-?(\d{2})/.exec(raw.replace(/^D:/, ""));
  if (!match) return undefined;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCMonth() !== Number(m) - 1 || Number(y) < 1990)
    return undefined;
  return `${y}-${m}-${d}`;
}

/**
 * Whether extracted text reads as text: a PDF whose fonts map no characters gives runs of
 * symbols and letters in the wrong places (`7X\zQ⇤QJ{Q`). Too many symbols, private-use or
 * replacement characters, or too few words that are all letters, and it is not.
 */
function isReadable(text: string): boolean {
  const sample = text.slice(0, 20000);
  const visible = sample.replace(/\s+/g, "");
  if (visible.length === 0) return false;
  const odd = visible.match(/[\p{S}\p{Co}\p{Cc}\uFFFD]/gu)?.length ?? 0;
  if (odd / visible.length > 0.08) return false;
  const words = sample.split(/\s+/).filter((w) => w.length > 1);
  if (words.length < 10) return true;
  const clean = words.filter((w) =>
    /^[\p{L}\p{M}\p{N}\p{P}]+$/u.test(w),
  ).length;
  return clean / words.length > 0.5;
}
