import { existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { cacheDir, clearCache, folderBytes } from "./corpora.ts";
import type { Outcome } from "./child.ts";
import { readoutServerArgs, startServer } from "./server.ts";

/** Two starts of Readout's server on one data folder: without, then with its saved index. */
export interface StartFigures {
  /** Spawn to first answer with no cache: the cold start. */
  coldMs: number;
  /** The same again, after the first start could write its cache: the warm start. */
  warmMs: number;
  /** Size of `.readout-cache` after the first start, if the snapshot feature made one. */
  snapshotBytes?: number;
  /** From the first start's first answer until its cache stopped changing. */
  snapshotMs?: number;
  /** Resident memory once the warm server answered. */
  rss: number;
}

/** A cold start, then a warm start, each until `readyPath` answers 200. */
export async function measureReadoutStarts(
  dir: string,
  readyPath: string,
  timeoutMs: number,
): Promise<Outcome<StartFigures>> {
  try {
    await clearCache(dir);
    const cold = await startServer(
      readoutServerArgs(dir),
      readyPath,
      timeoutMs,
    );
    const snapshotMs = await awaitCache(cacheDir(dir), timeoutMs);
    await cold.stop();
    const cache = cacheDir(dir);
    const snapshotBytes = existsSync(cache)
      ? await folderBytes(cache)
      : undefined;
    const warm = await startServer(
      readoutServerArgs(dir),
      readyPath,
      timeoutMs,
    );
    try {
      return {
        ok: true,
        value: {
          coldMs: cold.readyMs,
          warmMs: warm.readyMs,
          ...(snapshotBytes === undefined ? {} : { snapshotBytes }),
          ...(snapshotMs === undefined ? {} : { snapshotMs }),
          rss: warm.memory().rss,
        },
      };
    } finally {
      await warm.stop();
    }
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}

/**
 * Waits for the server to finish writing its cache: stopping it mid-write would leave the
 * second start cold. Done when the folder has files, none temporary, unchanged for 2 s;
 * undefined when no cache folder shows up within 5 s (no snapshot feature).
 */
export async function awaitCache(
  cache: string,
  timeoutMs: number,
): Promise<number | undefined> {
  const started = performance.now();
  let last = "";
  let since = started;
  while (performance.now() - started < timeoutMs) {
    const now = performance.now();
    if (!existsSync(cache)) {
      if (now - started > 5000) return undefined;
    } else {
      const files = await listing(cache);
      if (files !== last) [last, since] = [files, now];
      else if (files && !/\.tmp\b/.test(files) && now - since >= 2000)
        return since - started;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return undefined;
}

/** Names and sizes of a folder's files, as one string to compare. */
async function listing(dir: string): Promise<string> {
  try {
    const names = (await readdir(dir)).sort();
    const sizes = await Promise.all(
      names.map((n) => stat(path.join(dir, n)).then((s) => s.size)),
    );
    return names.map((n, i) => `${n}:${sizes[i]}`).join(" ");
  } catch {
    return "";
  }
}
