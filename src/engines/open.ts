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
  /**
   * Recent queries whose match sets are kept for paging and facet clicks; 0 keeps none.
   * Default READOUT_QUERY_CACHE, else 256 (the benchmark sets 0 to measure uncached pages).
   */
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
      entries:
        options.queryCache ?? cacheEntries(process.env.READOUT_QUERY_CACHE),
    },
  });
}

function cacheEntries(raw: string | undefined): number {
  const n = Number(raw);
  if (raw === undefined || raw === "") return DEFAULT_QUERY_CACHE.entries;
  if (!Number.isInteger(n) || n < 0)
    throw new Error(
      `open: READOUT_QUERY_CACHE must be a whole number ≥ 0, got "${raw}"`,
    );
  return n;
}
