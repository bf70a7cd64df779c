/**
 * Rich Text Format (.rtf): the text of the document's body, paragraph by paragraph, read
 * control word by control word without a tree. Tables, fonts, colours, pictures, headers,
 * footers and field codes are passed over; the `\info` group gives the title and the date
 * the file was made; a paragraph in a heading style (by its name, or `\outlinelevel`) is a
 * heading. Characters come as `\'hh` in the document's code page (`\ansicpg1251`) or as
 * `\uN`. Groups nested past MAX_DEPTH are refused: the scan itself never recurses.
 */
import type { Block } from "./blocks.ts";
import { documentRecord } from "./document.ts";
import { FormatError, type Parsed } from "./format-contract.ts";

/** Groups nested deeper than this are a hostile file, not a document. */
export const MAX_DEPTH = 512;

// Destinations whose text is not the document's.
const SKIPPED = new Set(
  (
    "fonttbl colortbl stylesheet info pict object header headerl headerr headerf footer " +
    "footerl footerr footerf fldinst listtable listoverridetable rsidtbl generator pgdsctbl " +
    "themedata colorschememapping latentstyles datastore xmlnstbl listtext pntext pntxta " +
    "pntxtb footnote annotation atnid atnauthor bkmkstart bkmkend userprops revtbl " +
    "filetbl mmathPr fchars lchars ftnsep ftnsepc aftnsep aftnsepc"
  ).split(" "),
);
const HEADING_STYLE =
  /^(?:title|heading\b|überschrift|titel|titre|t[ií]tulo|заголовок|название)/i;

interface Group {
  /** Inside a destination left out (its text is not collected). */
  skip: boolean;
  /** Characters to skip after a \u (the \uc count of this group). */
  uc: number;
  /** The info field this group holds (`title`, `creatim`), if any. */
  info?: string;
  /** Inside the style sheet: its entries are read for their names. */
  styles?: boolean;
}

/** Reads an RTF document into one statement. */
export function parseRtf(bytes: Uint8Array): Parsed {
  const rtf = new TextDecoder("latin1").decode(bytes);
  if (!rtf.startsWith("{\\rtf"))
    throw new FormatError(
      "not an RTF document (it does not start with {\\rtf)",
    );
  const { blocks, title, created } = readRtf(rtf);
  const record = documentRecord(blocks, {
    titles: [title],
    dates: [created],
  });
  return { records: [{ record }], problems: [] };
}

/** The blocks of an RTF document's body, and its `\info` title and creation date. */
export function readRtf(rtf: string): {
  blocks: Block[];
  title?: string;
  created?: string;
} {
  const blocks: Block[] = [];
  const stack: Group[] = [];
  let group: Group = { skip: false, uc: 1 };
  let codePage = "windows-1252";
  let text = "";
  let heading = false;
  let bytes: number[] = [];
  let skipChars = 0;
  const info: Record<string, string> = {};
  const created: Record<string, number> = {};
  const headingStyles = new Set<number>();
  let styleNumber = 0;
  let styleName = "";

  const flushBytes = () => {
    if (bytes.length === 0) return;
    const decoded = decode(Uint8Array.from(bytes), codePage);
    bytes = [];
    emit(decoded);
  };
  const emit = (chars: string) => {
    if (group.styles) styleName += chars;
    else if (group.info) info[group.info] = (info[group.info] ?? "") + chars;
    else if (!group.skip) text += chars;
  };
  const endParagraph = () => {
    flushBytes();
    const t = text.replace(/[ \t]+/g, " ").trim();
    if (t) blocks.push({ text: t, heading });
    text = "";
  };

  let i = 0;
  const n = rtf.length;
  while (i < n) {
    const c = rtf[i]!;
    if (skipChars > 0 && c !== "{" && c !== "}") {
      // The fallback characters of a \u: a \'hh counts as one.
      skipChars--;
      i += c === "\\" && rtf[i + 1] === "'" ? 4 : c === "\\" ? 2 : 1;
      continue;
    }
    if (c === "{") {
      flushBytes();
      stack.push(group);
      if (stack.length > MAX_DEPTH)
        throw new FormatError(
          `its groups are nested more than ${MAX_DEPTH} deep (a hostile file?)`,
        );
      group = { ...group, info: undefined };
      if (group.styles) {
        styleNumber = 0;
        styleName = "";
      }
      i++;
    } else if (c === "}") {
      flushBytes();
      if (stack[stack.length - 1]?.styles && group.styles) {
        if (HEADING_STYLE.test(styleName.split(";")[0]!.trim()))
          headingStyles.add(styleNumber);
      }
      group = stack.pop() ?? group;
      i++;
    } else if (c === "\\") {
      const next = rtf[i + 1] ?? "";
      if (next === "'") {
        const hex = rtf.slice(i + 2, i + 4);
        if (/^[0-9a-f]{2}$/i.test(hex)) bytes.push(parseInt(hex, 16));
        i += 4;
        continue;
      }
      flushBytes();
      if (/[a-z]/i.test(next)) {
        const m = /^([a-z]{1,32})(-?\d{1,10})? ?/i.exec(
          rtf.slice(i + 1, i + 48),
        );
        const word = m?.[1] ?? next;
        const arg = m?.[2] === undefined ? undefined : Number(m[2]);
        i += 1 + (m?.[0].length ?? 1);
        if (SKIPPED.has(word)) {
          if (word === "info") group.skip = true;
          else if (word === "stylesheet") {
            group.skip = true;
            group.styles = true;
          } else {
            group.skip = true;
            group.styles = false;
          }
          continue;
        }
        if (isInfoField(word)) group.info = word;
        switch (word) {
          case "par":
          case "sect":
          case "page":
          case "row":
            endParagraph();
            break;
          case "pard":
            heading = false;
            break;
          case "line":
            emit("\n");
            break;
          case "tab":
            emit("\t");
            break;
          case "cell":
            emit(" | ");
            break;
          case "emdash":
            emit("—");
            break;
          case "endash":
            emit("–");
            break;
          case "lquote":
            emit("‘");
            break;
          case "rquote":
            emit("’");
            break;
          case "ldblquote":
            emit("“");
            break;
          case "rdblquote":
            emit("”");
            break;
          case "bullet":
            emit("•");
            break;
          case "ansicpg":
            if (arg) codePage = arg === 65001 ? "utf-8" : `windows-${arg}`;
            break;
          case "uc":
            group.uc = Math.max(0, Math.min(arg ?? 1, 8));
            break;
          case "u":
            if (arg !== undefined) {
              emit(String.fromCharCode(arg < 0 ? arg + 65536 : arg));
              skipChars = group.uc;
            }
            break;
          case "s":
            if (group.styles) styleNumber = arg ?? 0;
            else if (headingStyles.has(arg ?? 0)) heading = true;
            break;
          case "outlinelevel":
            if (!group.styles) heading = true;
            break;
          case "yr":
          case "mo":
          case "dy":
            if (group.info === "creatim" && arg !== undefined)
              created[word] = arg;
            break;
        }
      } else if (next === "*") {
        // An optional destination this reader does not know: its text is not the body's.
        group.skip = true;
        i += 2;
      } else {
        if (next === "\\" || next === "{" || next === "}") emit(next);
        else if (next === "~") emit("\u00a0");
        else if (next === "_") emit("\u2011");
        else if (next === "\n" || next === "\r") endParagraph();
        i += 2;
      }
    } else if (c === "\r" || c === "\n") i++;
    else {
      let j = i;
      while (j < n && !"{}\\\r\n".includes(rtf[j]!)) j++;
      if (j === i) j++;
      // Plain characters are in the code page too (bytes over 0x7f read as latin1 above).
      const run = rtf.slice(i, j);
      if (/[\u0080-\u00ff]/.test(run))
        bytes.push(...Array.from(run, (ch) => ch.charCodeAt(0)));
      else {
        flushBytes();
        emit(run);
      }
      i = j;
    }
  }
  endParagraph();
  const date =
    created.yr && created.mo && created.dy
      ? `${created.yr}-${String(created.mo).padStart(2, "0")}-${String(created.dy).padStart(2, "0")}`
      : undefined;
  const title = info.title?.replace(/\s+/g, " ").trim();
  return {
    blocks,
    ...(title ? { title } : {}),
    ...(date ? { created: date } : {}),
  };
}

// The \info fields read: their groups' text goes to `info`, not the body.
function isInfoField(word: string): boolean {
  return word === "title" || word === "creatim";
}

function decode(bytes: Uint8Array, codePage: string): string {
  try {
    return new TextDecoder(codePage).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}
