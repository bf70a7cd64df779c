import type { Archive } from "../archive.ts";
import { MemoryArchive } from "./memory/archive.ts";
import { DEFAULT_QUERY_CACHE } from "./memory/query-cache.ts";

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
}

/** The archive the edges talk to, from the command line's options; not yet opened. */
export function archiveFor(options: ArchiveOptions): Archive {
  return MemoryArchive.fromFolder({
    dataDir: options.data,
    cacheDir: options.cache,
    ...(options.log ? { log: options.log } : {}),
    queryCache: {
      ...DEFAULT_QUERY_CACHE,
      entries: options.queryCache ?? DEFAULT_QUERY_CACHE.entries,
    },
  });
}
