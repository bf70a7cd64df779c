import { buildCorpus, type Corpus } from "../corpus.ts";
import { loadStatements, type LoadResult } from "../ingest/load.ts";
import { progressLine } from "../progress.ts";

/**
 * Reads a data folder, showing progress on `progress` when given. When the folder itself
 * cannot be read, says why on stderr and returns undefined.
 */
export async function readFolder(
  dir: string,
  progress?: NodeJS.WriteStream,
): Promise<LoadResult | undefined> {
  const reading = progress && progressLine(progress, "Reading");
  try {
    const loaded = await loadStatements(dir, {
      onProgress: (p) =>
        reading?.update(p.statements, `${p.files}/${p.totalFiles} files`),
    });
    reading?.done();
    return loaded;
  } catch (err) {
    reading?.done();
    console.error((err as Error).message);
    return undefined;
  }
}

/** Builds the search index, showing progress on `progress` when given. */
export function indexStatements(
  loaded: LoadResult,
  progress?: NodeJS.WriteStream,
): Corpus {
  const indexing = progress && progressLine(progress, "Indexing");
  const corpus = buildCorpus(loaded.statements, (done) =>
    indexing?.update(done),
  );
  indexing?.done();
  return corpus;
}
