/**
 * The contract between the reader (read.ts) and each format's parser: what a parser is given
 * and what it returns. Formats and the registry (formats.ts) both import it, so no format
 * module imports the registry that loads it.
 */
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
  /**
   * What would read what was skipped: OCR with these language packs installed, or with
   * Tesseract itself when empty. A later start reads the file again once it is there.
   */
  awaitsOcr?: string[];
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
  /**
   * The format of a file by its name: a container (a mail's attachments) parses what it holds
   * with it, handed in so no format imports the registry that loads it.
   */
  formatOf(file: string): Format | undefined;
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

/** A file that only OCR can read, skipped because Tesseract (or a language) is not installed. */
export class OcrUnavailable extends FormatError {
  constructor(
    message: string,
    /** The language packs that would read it; empty when Tesseract itself is missing. */
    readonly languages: string[] = [],
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
