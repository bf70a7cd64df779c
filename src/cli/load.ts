import type { Config } from "../config.ts";
import {
  checkFolder,
  loadStatements,
  type LoadResult,
} from "../ingest/load.ts";
import { Library } from "../engines/memory/library.ts";
import { progressLine } from "../progress.ts";

/**
 * Reads a data folder without indexing it (for `check`), showing progress on `progress` when
 * given. When the folder itself cannot be read, says why on stderr and returns undefined.
 */
export async function readFolder(
  dir: string,
  progress?: NodeJS.WriteStream,
): Promise<LoadResult | undefined> {
  const reading = progress && progressLine(progress, "Reading");
  try {
    const loaded = await loadStatements(dir, {
      onProgress: (p) =>
        reading?.update(
          p.statements,
          undefined,
          `${p.files}/${p.totalFiles} files`,
        ),
    });
    reading?.done();
    return loaded;
  } catch (err) {
    reading?.done();
    console.error((err as Error).message);
    return undefined;
  }
}

/** Whether the data folder can be read; says why not on stderr. */
export async function dataFolderReadable(config: Config): Promise<boolean> {
  try {
    await checkFolder(config.data);
    return true;
  } catch (err) {
    console.error((err as Error).message);
    return false;
  }
}

/**
 * Opens the archive through a Library (saved index, changed files), drawing its progress on
 * `progress` while it loads. Returns undefined, having said why on stderr, when it cannot.
 */
export async function openLibrary(
  config: Config,
  progress: NodeJS.WriteStream | undefined,
  log: (line: string) => void,
  library = new Library({ dataDir: config.data, cacheDir: config.cache, log }),
): Promise<Library | undefined> {
  const reading = progress && progressLine(progress, "Reading");
  let line: ReturnType<typeof progressLine> | undefined;
  const timer = setInterval(() => {
    const { phase, done, total } = library.state;
    if (phase === "reading") reading?.update(done);
    if (phase === "indexing" && progress) {
      reading?.done();
      line ??= progressLine(progress, "Indexing");
      line.update(done, total);
    }
  }, 250);
  try {
    await library.open();
    return library;
  } catch (err) {
    console.error((err as Error).message);
    return undefined;
  } finally {
    clearInterval(timer);
    reading?.done();
    line?.done();
  }
}
