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

/**
 * Reads every statement below `dir`. A bad file or record is reported in `problems` and
 * skipped, never silently; a duplicate id keeps the first statement. Throws only when the
 * folder itself cannot be read.
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

  const accept = (
    record: RawRecord,
    file: string,
    fallbackId: string,
    line?: number,
  ) => {
    const result = toStatement(record, {
      file,
      fallbackId,
      fallbackSource: folderSource(file),
      ...(line === undefined ? {} : { line }),
    });
    problems.push(...result.problems);
    const statement = result.statement;
    if (!statement) return false;
    const first = seen.get(statement.id);
    if (first) {
      const firstAt = first.line ? `${first.file}:${first.line}` : first.file;
      problems.push({
        file,
        ...(line === undefined ? {} : { line }),
        message: `duplicate id "${statement.id}", first used by ${firstAt}`,
        kept: false,
      });
      return false;
    }
    seen.set(statement.id, statement.origin);
    statements.push(statement);
    return true;
  };

  for (const [i, file] of files.entries()) {
    const abs = path.join(dir, file);
    const format = formatOf(file);
    const before = statements.length;
    const report = (message: string, line?: number) =>
      problems.push({
        file,
        ...(line === undefined ? {} : { line }),
        message,
        kept: false,
      });
    try {
      if (!format) {
        report(
          `not a statement file; Readout reads ${Object.keys(FORMATS).join(" ")}`,
        );
      } else if (format === "jsonl") {
        const problemsBefore = problems.length;
        let sinceProgress = 0;
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
            accept(record, file, `${fileId(file)}/${line}`, line);
          if (++sinceProgress === 1000) {
            sinceProgress = 0;
            options.onProgress?.({
              files: i,
              totalFiles: files.length,
              statements: statements.length,
              file,
            });
          }
        }
        // Only blank lines: as empty as an empty .txt, and reported the same way.
        if (statements.length === before && problems.length === problemsBefore)
          report("file is empty");
      } else {
        const text = await readText(abs, maxBytes);
        if (format === "json") {
          // Records of an array have no line of their own: problems name them by position.
          const records = parseJsonArray(text);
          if (records.length === 0) report("the array holds no records");
          records.forEach((record, n) => {
            const mark = problems.length;
            accept(record, file, `${fileId(file)}/${n + 1}`);
            for (const p of problems.slice(mark))
              p.message = `record ${n + 1}: ${p.message}`;
          });
        } else {
          const record =
            format === "txt" ? parseTxt(text) : parseMarkdown(text);
          accept(record, file, fileId(file));
        }
      }
    } catch (err) {
      if (err instanceof UnreadableText || err instanceof FormatError)
        report(err.message, err.line);
      else report(`could not be read: ${(err as Error).message}`);
    }
    if (statements.length > before) filesWithStatements += 1;
    options.onProgress?.({
      files: i + 1,
      totalFiles: files.length,
      statements: statements.length,
      file,
    });
  }
  return { statements, problems, files: filesWithStatements };
}

async function checkFolder(dir: string): Promise<void> {
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
        part.replace(/[^\p{L}\p{N}_.~-]+/gu, "-").replace(/^-+|-+$/g, "") ||
        "-",
    )
    .join("/");
}

/** A `.txt` file in a sub-folder takes the folder's name as its source. */
function folderSource(file: string): string | undefined {
  const parts = file.split("/");
  return parts.length > 1 ? parts[parts.length - 2] : undefined;
}
