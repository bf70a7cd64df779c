/**
 * Whether an archive will fit in the memory Readout may use, judged before loading it: an
 * archive that does not fit would otherwise push the computer into swap for minutes and then
 * die on V8's heap limit with a stack trace. The estimate comes from file sizes alone (no
 * reading), so it is rough; it errs low, refusing only what clearly cannot fit.
 */
import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { freemem } from "node:os";
import path from "node:path";
import { getHeapStatistics } from "node:v8";
import { availableMemory, gib } from "./launcher.ts";

/**
 * Memory at the peak of a build, per byte of statement text. Measured since a build packs its
 * postings (issue 16): 100,000 synthetic statements (587 MB of JSON Lines) peak at 2.22 GB
 * resident (3.8×); before, the real corpus peaked at 7.6× and this factor was 8.
 */
export const BUILD_FACTOR = 4;
/** Memory per byte of saved index when it is loaded: the same corpus's 254 MB index, 360 MB resident (1.4×). */
export const LOAD_FACTOR = 1.5;

/**
 * The share of a file's bytes that is statement text, by extension; formats Readout skips
 * count for nothing. Markup, PDF and Word files carry much besides the words.
 */
const TEXT_SHARE: Record<string, number> = {
  ".txt": 1,
  ".md": 1,
  ".markdown": 1,
  ".json": 1,
  ".jsonl": 1,
  ".ndjson": 1,
  ".html": 0.3,
  ".htm": 0.3,
  ".docx": 0.3,
  ".pdf": 0.1,
};

/** What loading an archive will need, and from what that was judged. */
export interface MemoryNeed {
  bytes: number;
  /** In words, with the figure: `the saved index (254 MB)`, `1.2 GiB of text in /data`. */
  basis: string;
  /** Loading a saved index, or building one from the data. */
  kind: "load" | "build";
}

/**
 * Estimates the memory loading will need: from the saved index's size when `cache` holds
 * one, else from the sizes of the data folder's files (hidden ones skipped, as ingest does).
 */
export async function estimateNeed(
  data: string,
  cache: string | null,
): Promise<MemoryNeed> {
  const saved = cache ? await folderBytes(cache, () => 1) : 0;
  if (saved > 0)
    return {
      bytes: saved * LOAD_FACTOR,
      basis: `the saved index in ${cache} (${size(saved)})`,
      kind: "load",
    };
  const text = await folderBytes(
    data,
    (name) => TEXT_SHARE[path.extname(name).toLowerCase()] ?? 0,
  );
  return {
    bytes: text * BUILD_FACTOR,
    basis: `about ${size(text)} of text in ${data}`,
    kind: "build",
  };
}

/**
 * Says whether `need` fits: an error when it exceeds the heap limit (`limit`, bytes), a
 * warning when it fits the limit but not the memory free now (`free`), else nothing.
 */
export function judgeFit(
  need: MemoryNeed,
  limit: number,
  machine: number,
  free: number,
): { error: string } | { warning: string } | undefined {
  const what =
    need.kind === "build" ? "building the index of" : "loading the index of";
  const needs = `${what} this archive needs about ${size(need.bytes)} of memory (judged from ${need.basis})`;
  if (need.bytes > limit)
    return {
      error: `memory: ${needs}, but Readout may use ${size(limit)} (its heap limit; this computer has ${size(machine)}). Stopped before the computer runs short. Raise the limit with --max-memory (e.g. --max-memory ${Math.ceil((need.bytes * 1.2) / 2 ** 30)}g), read a smaller folder, or use a computer with more memory.`,
    };
  if (need.bytes > free)
    return {
      warning: `memory: ${needs} and ${size(free)} is free now: the computer may swap and slow down until other programs free some.`,
    };
  return undefined;
}

/** `estimateNeed` judged against this process's heap limit and the memory free now. */
export async function checkFit(
  data: string,
  cache: string | null,
): Promise<ReturnType<typeof judgeFit>> {
  return judgeFit(
    await estimateNeed(data, cache),
    getHeapStatistics().heap_size_limit,
    availableMemory(),
    freemem(),
  );
}

// Sums the sizes of the files under `dir`, each weighted by `share(name)`; a folder that
// cannot be read counts for nothing (ingest reports it).
async function folderBytes(
  dir: string,
  share: (name: string) => number,
): Promise<number> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let total = 0;
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await folderBytes(full, share);
    else if (entry.isFile()) {
      const weight = share(entry.name);
      if (weight > 0)
        total += weight * (await stat(full).catch(() => ({ size: 0 }))).size;
    }
  }
  return total;
}

function size(bytes: number): string {
  if (bytes >= 2 ** 30) return gib(bytes);
  if (bytes >= 2 ** 20) return `${Math.round(bytes / 2 ** 20)} MiB`;
  return `${Math.ceil(bytes / 1024)} KiB`;
}
