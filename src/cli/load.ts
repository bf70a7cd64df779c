import type { Config } from "../runtime/config.ts";
import { archiveFor, type Archive } from "../archive.ts";
import {
  checkFolder,
  loadStatements,
  type LoadResult,
} from "../ingest/load.ts";
import { checkFit } from "../runtime/memory.ts";
import { progressLine } from "../runtime/progress.ts";
import { writeLine, type Io } from "./io.ts";

/**
 * Reads a data folder without indexing it (for `check`), showing progress on a terminal.
 * When the folder itself cannot be read, says why and returns undefined.
 */
export async function readFolder(
  dir: string,
  io: Io,
  options: { ocrLanguages?: string[]; followHardLinks?: boolean } = {},
): Promise<LoadResult | undefined> {
  const reading = io.err.isTTY ? progressLine(io.err, "Reading") : undefined;
  try {
    const ocr = ocrRate();
    const loaded = await loadStatements(dir, {
      ...options,
      onProgress: (p) =>
        reading?.update(
          p.statements,
          undefined,
          [`${p.files}/${p.totalFiles} files`, ocr(p.ocrPages)]
            .filter(Boolean)
            .join(", "),
        ),
    });
    reading?.done();
    return loaded;
  } catch (err) {
    reading?.done();
    writeLine(io.err, (err as Error).message);
    return undefined;
  }
}

/** Whether the data folder can be read; says why not. */
export async function dataFolderReadable(
  config: Config,
  io: Io,
): Promise<boolean> {
  // On PostgreSQL without a named folder, the database is the archive: no folder to read.
  if (config.pg && !config.dataGiven) return true;
  try {
    await checkFolder(config.data);
    return true;
  } catch (err) {
    writeLine(io.err, (err as Error).message);
    return false;
  }
}

/**
 * Opens the archive (saved index, changed files), drawing its progress on a terminal while it
 * loads. Returns undefined, having said why, when it cannot.
 */
export async function openArchive(
  config: Config,
  io: Io,
  log: (line: string) => void,
  archive: Archive = archiveFor({
    data: config.data,
    cache: config.cache,
    log,
    ...(config.pg ? { pg: config.pg, followData: config.dataGiven } : {}),
    ...(config.followHardLinks ? { followHardLinks: true } : {}),
    ...(config.ocrLanguages ? { ocrLanguages: config.ocrLanguages } : {}),
  }),
): Promise<Archive | undefined> {
  // An archive too big for the heap limit is refused before it fills the memory.
  const fit = await checkFit(config.data, config.cache);
  if (fit && "error" in fit) {
    writeLine(io.err, fit.error);
    return undefined;
  }
  if (fit) writeLine(io.err, fit.warning);
  const progress = io.err.isTTY ? io.err : undefined;
  const reading = progress && progressLine(progress, "Reading");
  let line: ReturnType<typeof progressLine> | undefined;
  const ocr = ocrRate();
  const timer = setInterval(() => {
    const { phase, done, total, ocrPages } = archive.state();
    if (phase === "reading") reading?.update(done, undefined, ocr(ocrPages));
    if (phase === "indexing" && progress) {
      reading?.done();
      line ??= progressLine(progress, "Indexing");
      line.update(done, total);
    }
  }, 250);
  try {
    await archive.open();
    return archive;
  } catch (err) {
    writeLine(io.err, (err as Error).message);
    return undefined;
  } finally {
    clearInterval(timer);
    reading?.done();
    line?.done();
  }
}

/**
 * `12 pages by OCR, 1.4 pages/s`: pages read by OCR so far and their rate since the first,
 * for the progress line; empty before any.
 */
export function ocrRate(): (pages?: number) => string {
  let first: { at: number; pages: number } | undefined;
  return (pages) => {
    if (!pages) return "";
    const now = performance.now();
    first ??= { at: now, pages };
    const seconds = (now - first.at) / 1000;
    const rate =
      seconds >= 1
        ? `, ${((pages - first.pages) / seconds).toFixed(1)} pages/s`
        : "";
    return `${pages.toLocaleString("en")} page${pages === 1 ? "" : "s"} by OCR${rate}`;
  };
}
