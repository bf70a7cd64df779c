import path from "node:path";
import type { RawRecord } from "./statement.ts";

/** A record a format found in a file, before it is checked and made a Statement. */
export interface ParsedRecord {
  record: RawRecord;
  /** The line the record starts on, for record files. */
  line?: number;
  /**
   * What tells the record apart within its file (`3` for the third record of a .json array);
   * it becomes part of the record's default id. Absent for a file that is one statement.
   */
  key?: string;
  /** How problems name the record (`record 3`). */
  label?: string;
  /** The body offset where each page begins, for paged documents (PDF). */
  pages?: number[];
}

/** Something a format could not take as it was, in a file it was given. */
export interface FileProblem {
  message: string;
  line?: number;
  /** Whether the file's statement was still indexed (a warning), or the file was skipped. */
  kept: boolean;
}

/** What a format made of a file's bytes. */
export interface Parsed {
  records: ParsedRecord[];
  problems: FileProblem[];
}

/** What a parser may ask for beyond the bytes: how to read scans, and a way to show progress. */
export interface ParseContext {
  /**
   * The languages to read scans in with OCR, or undefined when OCR cannot be done (Tesseract
   * is not installed, or `--ocr-languages none`); `missing` names languages asked for that
   * are not installed.
   */
  ocr(): Promise<{ languages: string[]; missing: string[] } | undefined>;
  /** Called after each page read by OCR: it keeps the file's clock from running out. */
  ocrPage(): void;
}

/** A problem that stops a format reading a file, with the line when it is known. */
export class FormatError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/**
 * A file format Readout reads. Adding one is a module in `src/ingest/` with a pure parser
 * (bytes and the file's path in, records and problems out, no file I/O) and a row in FORMATS.
 */
export interface Format {
  /** What messages and `readout check` call it. */
  name: string;
  extensions: readonly string[];
  /** The type the original file is served with when it is downloaded. */
  contentType: string;
  /**
   * `whole`: the parser gets the whole file (at most the size limit). `lines`: one record per
   * line; the file is streamed and may be any size, each line bounded by the limit.
   */
  shape: "whole" | "lines";
  /**
   * Parsed by third-party code that can be made to hang or explode by a hostile file (a zip
   * bomb, a PDF with a million objects): such files are always parsed in a worker thread,
   * under a time and memory limit.
   */
  isolated: boolean;
  /** Loads the parser when first needed, so that starting up loads no PDF reader. */
  load: () => Promise<
    (
      bytes: Uint8Array,
      file: string,
      context: ParseContext,
    ) => Parsed | Promise<Parsed>
  >;
}

/** Every format, in the order `readout check` lists them. */
export const FORMATS: readonly Format[] = [
  {
    name: "text",
    extensions: [".txt"],
    contentType: "text/plain; charset=utf-8",
    shape: "whole",
    isolated: false,
    load: async () => (await import("./txt.ts")).parseTxtFile,
  },
  {
    name: "Markdown",
    extensions: [".md", ".markdown"],
    contentType: "text/markdown; charset=utf-8",
    shape: "whole",
    isolated: false,
    load: async () => (await import("./markdown.ts")).parseMarkdownFile,
  },
  {
    name: "JSON",
    extensions: [".json"],
    contentType: "application/json; charset=utf-8",
    shape: "whole",
    isolated: false,
    load: async () => (await import("./json.ts")).parseJsonFile,
  },
  {
    name: "JSON Lines",
    extensions: [".jsonl", ".ndjson"],
    contentType: "application/x-ndjson; charset=utf-8",
    shape: "lines",
    isolated: false,
    load: async () => (await import("./json.ts")).parseJsonLine,
  },
  {
    name: "web page",
    extensions: [".html", ".htm", ".xhtml"],
    // Served as a download only (see resolveOriginal): a saved page runs no script here.
    contentType: "text/html",
    shape: "whole",
    isolated: true,
    load: async () => (await import("./html.ts")).parseHtml,
  },
  {
    name: "PDF",
    extensions: [".pdf"],
    contentType: "application/pdf",
    shape: "whole",
    isolated: true,
    load: async () => (await import("./pdf.ts")).parsePdf,
  },
  {
    name: "Word",
    extensions: [".docx"],
    contentType:
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    shape: "whole",
    isolated: true,
    load: async () => (await import("./docx.ts")).parseDocx,
  },
  {
    name: "Word 97–2003",
    extensions: [".doc"],
    contentType: "application/msword",
    shape: "whole",
    isolated: true,
    load: async () => (await import("./doc.ts")).parseDoc,
  },
  {
    name: "OpenDocument text",
    extensions: [".odt"],
    contentType: "application/vnd.oasis.opendocument.text",
    shape: "whole",
    isolated: true,
    load: async () => (await import("./odt.ts")).parseOdt,
  },
  {
    name: "RTF",
    extensions: [".rtf"],
    contentType: "application/rtf",
    shape: "whole",
    isolated: true,
    load: async () => (await import("./rtf.ts")).parseRtf,
  },
  {
    name: "e-mail",
    extensions: [".eml"],
    contentType: "message/rfc822",
    shape: "whole",
    isolated: true,
    load: async () => (await import("./mail.ts")).parseEml,
  },
  {
    name: "mailbox",
    extensions: [".mbox"],
    contentType: "application/mbox",
    shape: "whole",
    isolated: true,
    load: async () => (await import("./mail.ts")).parseMbox,
  },
  ...(
    [
      ["PNG image", [".png"], "image/png"],
      ["JPEG image", [".jpg", ".jpeg"], "image/jpeg"],
      ["TIFF image", [".tif", ".tiff"], "image/tiff"],
    ] as const
  ).map(([name, extensions, contentType]): Format => ({
    name,
    extensions,
    contentType,
    shape: "whole",
    // Read by Tesseract, a program of its own, started from a worker that bounds it.
    isolated: true,
    load: async () => (await import("./image.ts")).parseImage,
  })),
];

const BY_EXTENSION = new Map(
  FORMATS.flatMap((format) => format.extensions.map((ext) => [ext, format])),
);

/** The format of a file, by its extension (any case), or undefined for other files. */
export function formatOf(file: string): Format | undefined {
  return BY_EXTENSION.get(path.extname(file).toLowerCase());
}

/** `.txt .md .markdown …`: every extension read, for messages. */
export function knownExtensions(): string {
  return FORMATS.flatMap((f) => f.extensions).join(" ");
}

/**
 * What the saved index must have been read with: the formats and the version of their
 * parsers. A saved index made by other parsers was made from other text (or took files of a
 * new format for unreadable), so it is rebuilt rather than trusted. Raise the number when a
 * parser reads any file differently.
 */
export const INGEST_VERSION = `3:${FORMATS.flatMap((f) => f.extensions).join(",")}`;
