import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import { listFiles, trustFor } from "./files.ts";
import { formatOf } from "./formats.ts";
import { borrowPool, defaultWorkers, type PoolOptions } from "./pool.ts";
import { readDataFile, type FileResult, type ReadTask } from "./read.ts";
import type { Problem, Statement } from "./statement.ts";

export type { Problem, Statement } from "./statement.ts";
export { fileId } from "./read.ts";

export interface LoadOptions extends PoolOptions {
  /** Largest file (or, for JSON Lines, largest line) read, in bytes. Default 64 MiB. */
  maxFileBytes?: number;
  /** Read files with more than one name (`--follow-hard-links`, see files.ts). Default false. */
  followHardLinks?: boolean;
  /**
   * The languages scans are read in by OCR (Tesseract's names: `eng`, `fra`); default every
   * language installed; empty: scans are not read.
   */
  ocrLanguages?: readonly string[];
  /** Which files (paths relative to the folder) to read; default all. */
  include?: (file: string) => boolean;
  /** Called after every file and every 1,000 records, for a progress display. */
  onProgress?: (progress: LoadProgress) => void;
  /**
   * Worker threads to parse in. Default: as many as `defaultWorkers()` when the folder holds
   * a web page, PDF or Word file (these are always parsed in a worker, under limits) or more
   * than 8 MiB of text; otherwise 0, reading a small folder of text in this thread.
   */
  workers?: number;
  /**
   * Find each statement's people, places and organisations while parsing
   * (`Statement.entities`). Default false: nothing indexes them yet (issue 26).
   */
  entities?: boolean;
}

export interface LoadProgress {
  files: number;
  totalFiles: number;
  statements: number;
  file: string;
  /** Pages read by OCR so far. */
  ocrPages: number;
}

/** What a data folder held: the statements, and everything that could not be taken as it was. */
export interface LoadResult {
  statements: Statement[];
  problems: Problem[];
  /** Files that held at least one statement. */
  files: number;
}

export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;
// Less than this much text is read faster in this thread than workers can start.
const WORKER_THRESHOLD_BYTES = 8 * 1024 * 1024;
// A record file this large is streamed in this thread: a worker would hold all of it.
const LARGEST_IN_WORKER = 256 * 1024 * 1024;

/**
 * Reads every statement below `dir`. A bad file or record is reported in `problems` and
 * skipped, never silently; a duplicate id keeps the first statement (in file order). A file
 * that changes while it is read (still being written) is read again, and skipped with a note
 * if it keeps changing. Only regular files inside the folder's real path are read. Throws
 * only when the folder itself cannot be read.
 */
export async function loadStatements(
  dir: string,
  options: LoadOptions = {},
): Promise<LoadResult> {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  await checkFolder(dir);
  const root = await realpath(dir);
  const trust = await trustFor(root, options.followHardLinks);
  const files = (await listFiles(dir)).filter(options.include ?? (() => true));
  const sizes = await Promise.all(files.map((f) => sizeOf(root, f)));
  const workers = options.workers ?? chooseWorkers(files, sizes);
  const lease = workers > 0 ? borrowPool({ ...options, workers }) : undefined;
  const pool = lease?.pool;
  const taskOf = (file: string): ReadTask => ({
    root,
    file,
    maxBytes,
    trust,
    ...(options.ocrLanguages ? { ocrLanguages: options.ocrLanguages } : {}),
    ...(options.entities ? { entities: true } : {}),
  });

  const statements: Statement[] = [];
  const problems: Problem[] = [];
  const seen = new Map<string, Statement["origin"]>();
  let filesWithStatements = 0;
  let committed = 0;
  // Pages read by OCR in files done, and so far in each file under way.
  let ocrDone = 0;
  const ocrReading = new Map<string, number>();
  const ocrPages = () =>
    ocrDone + [...ocrReading.values()].reduce((a, b) => a + b, 0);
  const report = (file: string, reading = 0) =>
    options.onProgress?.({
      files: committed,
      totalFiles: files.length,
      statements: statements.length + reading,
      file,
      ocrPages: ocrPages(),
    });

  // Files are read in parallel but taken in their listed order, so that which of two
  // statements with one id is kept does not depend on which file was parsed first.
  const results: Promise<FileResult>[] = files.map((file, i) => {
    const task = taskOf(file);
    const progress = (count: number, pages?: number) => {
      if (pages !== undefined) ocrReading.set(file, pages);
      report(file, count);
    };
    const inWorker =
      pool &&
      (formatOf(file)?.shape !== "lines" || sizes[i]! <= LARGEST_IN_WORKER);
    return inWorker ? pool.read(task, progress) : Promise.resolve(undefined!);
  });
  try {
    for (const [i, file] of files.entries()) {
      const read =
        (await results[i]) ??
        (await readDataFile(taskOf(file), (n) => report(file, n)));
      ocrDone += ocrReading.get(file) ?? 0;
      ocrReading.delete(file);
      const fileProblems = [...read.problems];
      let kept = 0;
      for (const statement of read.statements) {
        const first = seen.get(statement.id);
        if (first) {
          const firstAt = first.line
            ? `${first.file}:${first.line}`
            : first.file;
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
      problems.push(
        ...fileProblems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
      );
      if (kept > 0) filesWithStatements += 1;
      committed = i + 1;
      report(file);
    }
  } finally {
    lease?.release();
  }
  return { statements, problems, files: filesWithStatements };
}

function chooseWorkers(files: string[], sizes: number[]): number {
  const isolated = files.some((f) => formatOf(f)?.isolated);
  const bytes = sizes.reduce((a, b) => a + b, 0);
  if (!isolated && bytes < WORKER_THRESHOLD_BYTES) return 0;
  return Math.min(defaultWorkers(), files.length);
}

async function sizeOf(root: string, file: string): Promise<number> {
  try {
    return (await stat(path.join(root, file))).size;
  } catch {
    return 0;
  }
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
