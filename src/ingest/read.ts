import { entitiesOf } from "../text/entities.ts";
import {
  formatBytes,
  openDataFile,
  readDataBytes,
  readLines,
  UnreadableText,
  type FileTrust,
} from "./files.ts";
import {
  FormatError,
  OcrUnavailable,
  formatOf,
  knownExtensions,
  type Format,
  type ParseContext,
  type Parsed,
  type ParsedRecord,
} from "./formats.ts";
import { fileId } from "./file-id.ts";
import { ocrLanguages } from "./ocr.ts";

export { fileId } from "./file-id.ts";
import { sameStamp, stampFile } from "./stamps.ts";
import { toStatement, type Problem, type Statement } from "./statement.ts";

/** One file to read: where the data folder is, which file, and the size limit. */
export interface ReadTask {
  /** The data folder's real path (symbolic links resolved). */
  root: string;
  /** The file, relative to the data folder, with `/` separators. */
  file: string;
  /** Largest file (for record files, largest line) read, in bytes. */
  maxBytes: number;
  /** Hard links and other users' files (files.ts); default: neither is read when refused. */
  trust?: FileTrust;
  /**
   * The languages to read scans in (Tesseract's names: `eng`, `fra`); undefined: every
   * language installed; empty: no OCR.
   */
  ocrLanguages?: readonly string[];
  /** Find each statement's people, places and organisations (`Statement.entities`). */
  entities?: boolean;
}

/** What one file gave: its statements (ids not yet compared with other files') and problems. */
export interface FileResult {
  statements: Statement[];
  problems: Problem[];
}

/**
 * Hears a long read go on: statements so far, every 1,000 records of a record file, and
 * pages read by OCR so far in this file, after each.
 */
export type ReadProgress = (statements: number, ocrPages?: number) => void;

/** How often a file that changes while it is read is read again before it is skipped. */
const READ_ATTEMPTS = 3;

/**
 * Reads one file of the data folder into statements, until two looks at it, before and
 * after, agree on its size and time (a file still being written is read again, then skipped
 * with a note). Never throws: every reason a file cannot be read becomes a problem.
 */
export async function readDataFile(
  task: ReadTask,
  progress: ReadProgress = () => {},
): Promise<FileResult> {
  const abs = `${task.root}/${task.file}`;
  for (let attempt = 1; ; attempt++) {
    const before = await stampFile(abs);
    const read = await readOnce(task, progress);
    const after = await stampFile(abs);
    if (before && after && sameStamp(before, after)) return read;
    if (!after)
      return skipped(task.file, "the file was removed while it was being read");
    if (attempt === READ_ATTEMPTS)
      return skipped(
        task.file,
        "the file kept changing while it was being read (still being written?); skipped — Readout reads it again once it stops changing",
      );
    await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
  }
}

/** A file that gave no statement, and why. */
export function skipped(file: string, message: string): FileResult {
  return { statements: [], problems: [{ file, message, kept: false }] };
}

async function readOnce(
  task: ReadTask,
  progress: ReadProgress,
): Promise<FileResult> {
  const { file } = task;
  const result: FileResult = { statements: [], problems: [] };
  const format = formatOf(file);
  try {
    if (!format) {
      // A link out of the folder is reported as one, whatever its name.
      await (await openDataFile(task.root, file, task.trust)).handle.close();
      return skipped(
        file,
        `not a statement file; Readout reads ${knownExtensions()}`,
      );
    }
    const parse = await format.load();
    let ocrPages = 0;
    const context: ParseContext = {
      ocr: () => ocrLanguages(task.ocrLanguages),
      ocrPage: () => progress(result.statements.length, ++ocrPages),
      formatOf,
    };
    if (format.shape === "lines") {
      for await (const { line, bytes, tooLong } of readLines(
        task.root,
        file,
        task.maxBytes,
        task.trust,
      )) {
        if (tooLong !== undefined) {
          result.problems.push({
            file,
            line,
            message: `line is ${tooLong} bytes, over the limit of ${task.maxBytes}`,
            kept: false,
          });
          continue;
        }
        const parsed = await parse(bytes!, file, context);
        accept(task, parsed, result, { line, key: String(line) });
        if (line % 1000 === 0) progress(result.statements.length);
      }
      // Only blank lines: as empty as an empty .txt, and reported the same way.
      if (result.statements.length === 0 && result.problems.length === 0)
        return skipped(file, "file is empty");
    } else {
      const bytes = await readDataBytes(
        task.root,
        file,
        task.maxBytes,
        task.trust,
      );
      accept(task, await parse(bytes, file, context), result);
    }
  } catch (err) {
    result.problems.push(problemOf(file, err, format));
  }
  // In the order of the file, as a person reading the list goes through it.
  result.problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return result;
}

/** Checks each record a format found and adds the statements and problems to `result`. */
function accept(
  task: ReadTask,
  parsed: Parsed,
  result: FileResult,
  at: { line?: number; key?: string } = {},
): void {
  const { file } = task;
  for (const p of parsed.problems)
    result.problems.push({
      file,
      ...((p.line ?? at.line) ? { line: p.line ?? at.line } : {}),
      message: p.message,
      kept: p.kept,
      ...(p.awaitsOcr ? { awaitsOcr: p.awaitsOcr } : {}),
    });
  for (const found of parsed.records) {
    const line = found.line ?? at.line;
    const key = found.key ?? at.key;
    const checked = toStatement(
      found.record,
      withRecord(task.file, found, line, key),
    );
    for (const p of checked.problems)
      result.problems.push(
        found.label ? { ...p, message: `${found.label}: ${p.message}` } : p,
      );
    if (checked.statement) {
      if (task.entities) {
        const { title, body, lang } = checked.statement;
        checked.statement.entities = entitiesOf(`${title}\n\n${body}`, lang);
      }
      result.statements.push(checked.statement);
    }
  }
}

function withRecord(
  file: string,
  found: ParsedRecord,
  line: number | undefined,
  key: string | undefined,
) {
  return {
    file,
    ...(line === undefined ? {} : { line }),
    fallbackId: key === undefined ? fileId(file) : `${fileId(file)}/${key}`,
    ...(folderSource(file) ? { fallbackSource: folderSource(file)! } : {}),
    ...(found.pages ? { pages: found.pages } : {}),
  };
}

function problemOf(file: string, err: unknown, format?: Format): Problem {
  const problem = (message: string, line?: number): Problem => ({
    file,
    ...(line === undefined ? {} : { line }),
    message,
    kept: false,
  });
  if (err instanceof OcrUnavailable)
    return { ...problem(err.message), awaitsOcr: err.languages };
  if (err instanceof UnreadableText || err instanceof FormatError)
    return problem(err.message, err.line);
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOENT")
    return problem("the file was removed while it was being read");
  if (code === "EACCES") return problem("cannot be read (permission denied)");
  if (err instanceof RangeError && /string length/i.test(err.message))
    return problem(
      `its text is too long to hold (over ${formatBytes(2 ** 29)})`,
    );
  const what = format ? ` as a ${format.name} file` : "";
  return problem(`could not be read${what}: ${(err as Error).message}`);
}

/** A file in a sub-folder takes the folder's name as its source. */
function folderSource(file: string): string | undefined {
  const parts = file.split("/");
  return parts.length > 1 ? parts[parts.length - 2] : undefined;
}
