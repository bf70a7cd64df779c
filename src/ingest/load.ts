import { stat } from "node:fs/promises";
import path from "node:path";
import {
  decodeText,
  formatOf,
  listFiles,
  readLines,
  readText,
  UnreadableText,
  FORMATS,
} from "./files.ts";
import { FormatError, parseMarkdown } from "./markdown.ts";
import { parseTxt } from "./txt.ts";
import {
  toStatement,
  type Problem,
  type RawRecord,
  type Statement,
} from "./statement.ts";

export type { Problem, Statement } from "./statement.ts";

export interface LoadOptions {
  /** Largest file (or, for JSON Lines, largest line) read, in bytes. Default 64 MiB. */
  maxFileBytes?: number;
  /** Which files (paths relative to the folder) to read; default all. */
  include?: (file: string) => boolean;
  /** Called after every file and every 1,000 records, for a progress display. */
  onProgress?: (progress: LoadProgress) => void;
}

export interface LoadProgress {
  files: number;
  totalFiles: number;
  statements: number;
  file: string;
}

/** What a data folder held: the statements, and everything that could not be taken as it was. */
export interface LoadResult {
  statements: Statement[];
  problems: Problem[];
  /** Files that held at least one statement. */
  files: number;
}

export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

/** How often a file that changes while it is read is read again before it is skipped. */
const READ_ATTEMPTS = 3;

/**
 * Reads every statement below `dir`. A bad file or record is reported in `problems` and
 * skipped, never silently; a duplicate id keeps the first statement. A file that changes
 * while it is read (still being written) is read again, and skipped with a note if it keeps
 * changing. Throws only when the folder itself cannot be read.
 */
export async function loadStatements(
  dir: string,
  options: LoadOptions = {},
): Promise<LoadResult> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  await checkFolder(dir);
  const files = (await listFiles(dir)).filter(options.include ?? (() => true));
  const statements: Statement[] = [];
  const problems: Problem[] = [];
  const seen = new Map<string, Statement["origin"]>();
  let filesWithStatements = 0;

  for (const [i, file] of files.entries()) {
    const progress = (count: number) =>
      options.onProgress?.({
        files: i,
        totalFiles: files.length,
        statements: statements.length + count,
        file,
      });
    const read = await readSteadily(
      path.join(dir, file),
      file,
      maxBytes,
      progress,
    );
    const fileProblems = [...read.problems];
    let kept = 0;
    for (const statement of read.statements) {
      const first = seen.get(statement.id);
      if (first) {
        const firstAt = first.line ? `${first.file}:${first.line}` : first.file;
        const line = statement.origin.line;
        fileProblems.push({
          file,
          ...(line === undefined ? {} : { line }),
          message: `duplicate id "${statement.id}", first used by ${firstAt}`,
          kept: false,
        });
        continue;
      }
      seen.set(statement.id, statement.origin);
      statements.push(statement);
      kept++;
    }
    // In the order of the file, as a person reading the list goes through it.
    problems.push(
      ...fileProblems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
    );
    if (kept > 0) filesWithStatements += 1;
    options.onProgress?.({
      files: i + 1,
      totalFiles: files.length,
      statements: statements.length,
      file,
    });
  }
  return { statements, problems, files: filesWithStatements };
}

/** Reads a file until two looks at it, before and after, agree on its size and time. */
async function readSteadily(
  abs: string,
  file: string,
  maxBytes: number,
  progress: (count: number) => void,
) {
  for (let attempt = 1; ; attempt++) {
    const before = await stamp(abs);
    const read = await readFile(abs, file, maxBytes, progress);
    const after = await stamp(abs);
    if (before && after === before) return read;
    if (!after)
      return {
        statements: [],
        problems: [
          {
            file,
            message: "the file was removed while it was being read",
            kept: false,
          },
        ],
      };
    if (attempt === READ_ATTEMPTS) {
      const message =
        "the file kept changing while it was being read (still being written?); skipped — Readout reads it again once it stops changing";
      return { statements: [], problems: [{ file, message, kept: false }] };
    }
    await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
  }
}

async function stamp(file: string): Promise<string | undefined> {
  try {
    const info = await stat(file);
    return `${info.size}:${info.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** The statements and problems of one file, before ids are compared across files. */
async function readFile(
  abs: string,
  file: string,
  maxBytes: number,
  progress: (count: number) => void,
): Promise<{ statements: Statement[]; problems: Problem[] }> {
  const format = formatOf(file);
  const statements: Statement[] = [];
  const problems: Problem[] = [];
  const report = (message: string, line?: number) =>
    problems.push({
      file,
      ...(line === undefined ? {} : { line }),
      message,
      kept: false,
    });
  const accept = (record: RawRecord, fallbackId: string, line?: number) => {
    const result = toStatement(record, {
      file,
      fallbackId,
      fallbackSource: folderSource(file),
      ...(line === undefined ? {} : { line }),
    });
    problems.push(...result.problems);
    if (result.statement) statements.push(result.statement);
  };
  try {
    if (!format) {
      report(
        `not a statement file; Readout reads ${Object.keys(FORMATS).join(" ")}`,
      );
    } else if (format === "jsonl") {
      for await (const { line, bytes, tooLong } of readLines(abs, maxBytes)) {
        if (tooLong !== undefined) {
          report(
            `line is ${tooLong} bytes, over the limit of ${maxBytes}`,
            line,
          );
          continue;
        }
        const record = parseJsonLine(bytes!, line, report);
        if (record !== undefined)
          accept(record, `${fileId(file)}/${line}`, line);
        if (line % 1000 === 0) progress(statements.length);
      }
      // Only blank lines: as empty as an empty .txt, and reported the same way.
      if (statements.length === 0 && problems.length === 0)
        report("file is empty");
    } else {
      const text = await readText(abs, maxBytes);
      if (format === "json") {
        // Records of an array have no line of their own: problems name them by position.
        const records = parseJsonArray(text);
        if (records.length === 0) report("the array holds no records");
        records.forEach((record, n) => {
          const mark = problems.length;
          accept(record, `${fileId(file)}/${n + 1}`);
          for (const p of problems.slice(mark))
            p.message = `record ${n + 1}: ${p.message}`;
        });
      } else {
        accept(
          format === "txt" ? parseTxt(text) : parseMarkdown(text),
          fileId(file),
        );
      }
    }
  } catch (err) {
    if (err instanceof UnreadableText || err instanceof FormatError)
      report(err.message, err.line);
    else if ((err as NodeJS.ErrnoException).code === "ENOENT")
      report("the file was removed while it was being read");
    else report(`could not be read: ${(err as Error).message}`);
  }
  return { statements, problems };
}

/** Throws with a plain message when `dir` is missing, unreadable or not a folder. */
export async function checkFolder(dir: string): Promise<void> {
  let info;
  try {
    info = await stat(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "does not exist"
        : code === "EACCES"
          ? "cannot be read (permission denied)"
          : (err as Error).message;
    throw new Error(`ingest: data folder "${dir}" ${reason}`);
  }
  if (!info.isDirectory())
    throw new Error(`ingest: data folder "${dir}" is a file, not a folder`);
}

function parseJsonLine(
  bytes: Uint8Array,
  line: number,
  report: (m: string, l?: number) => void,
): RawRecord | undefined {
  // A blank line between records is harmless.
  if (bytes.every((b) => b === 32 || b === 9 || b === 13)) return undefined;
  try {
    return JSON.parse(decodeText(bytes, "line", line)) as RawRecord;
  } catch (err) {
    const reason =
      err instanceof UnreadableText
        ? err.message
        : `not valid JSON: ${(err as Error).message}`;
    report(reason, line);
    return undefined;
  }
}

function parseJsonArray(text: string): RawRecord[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    // V8 quotes the text around the error, newlines and all: keep the message on one line.
    const message = (err as Error).message.replace(/\s+/g, " ");
    const position = /position (\d+)/.exec(message);
    const line = position
      ? text.slice(0, Number(position[1])).split("\n").length
      : undefined;
    throw new FormatError(`not valid JSON: ${message}`, line);
  }
  if (!Array.isArray(data))
    throw new FormatError("a .json file must hold an array of records");
  return data as RawRecord[];
}

/** The id of a file's statement: its path without the extension, each part made URL-safe. */
export function fileId(file: string): string {
  return file
    .replace(/\.[^./]+$/, "")
    .split("/")
    .map(
      (part) =>
        part
          .replace(/[^\p{L}\p{N}_.~-]+/gu, "-")
          .replace(/^-+|(?<!-)-+$/g, "") || "-",
    )
    .join("/");
}

/** A `.txt` file in a sub-folder takes the folder's name as its source. */
function folderSource(file: string): string | undefined {
  const parts = file.split("/");
  return parts.length > 1 ? parts[parts.length - 2] : undefined;
}
