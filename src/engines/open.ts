import type { Archive } from "../archive.ts";
import { MemoryArchive } from "./memory/archive.ts";
import { DEFAULT_QUERY_CACHE } from "./memory/query-cache.ts";
import { PostgresArchive } from "./postgres/archive.ts";
import { parseSpec } from "./postgres/spec.ts";

/** Where an archive's statements come from, and where its index is kept. */
export interface ArchiveOptions {
  /** Folder of statements, read recursively. */
  data: string;
  /** Folder for the saved index; null: never save or load one. */
  cache: string | null;
  /** Hears what happens while loading and following: cache used or rebuilt, files re-read. */
  log?: (line: string) => void;
  /** Recent queries whose match sets are kept for paging and facet clicks; 0 keeps none. Default 256. */
  queryCache?: number;
  /** PostgreSQL servers (`--pg`): the archive lives there instead of in memory. */
  pg?: string;
  /** With `pg`: keep the database in step with `data` (it was named on the command line). */
  followData?: boolean;
  /** Keep the earlier texts of changed statements in the cache folder. */
  history?: boolean;
  /** The languages scans are read in by OCR; default every one installed; empty: none. */
  ocrLanguages?: string[];
  /**
   * Collections and saved searches: kept and written (`serve`), only read (`saved`), or
   * left alone (default: the other commands never touch them).
   */
  workspace?: "write" | "read";
}

/** The archive the edges talk to, from the command line's options; not yet opened. */
export function archiveFor(options: ArchiveOptions): Archive {
  if (options.pg)
    return new PostgresArchive({
      spec: parseSpec(options.pg),
      ...(options.followData ? { dataDir: options.data } : {}),
      ...(options.log ? { log: options.log } : {}),
      ...(options.ocrLanguages ? { ocrLanguages: options.ocrLanguages } : {}),
    });
  return MemoryArchive.fromFolder({
    dataDir: options.data,
    cacheDir: options.cache,
    ...(options.log ? { log: options.log } : {}),
    queryCache: {
      ...DEFAULT_QUERY_CACHE,
      entries: options.queryCache ?? DEFAULT_QUERY_CACHE.entries,
    },
    ...(options.history ? { history: true } : {}),
    ...(options.ocrLanguages ? { ocrLanguages: options.ocrLanguages } : {}),
    ...(options.workspace ? { workspace: options.workspace } : {}),
  });
}
