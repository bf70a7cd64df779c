import { existsSync } from "node:fs";
import { copyFile, lstat, mkdir, readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { root } from "./child.ts";
import { benchDir, syntheticCorpus } from "./synthetic.ts";

/** A data folder to measure. */
export interface BenchCorpus {
  label: string;
  dir: string;
  /** Bytes of its statement files. */
  bytes: number;
}

/**
 * The shared real corpus: `shared/corpus` beside the repository, or beside a folder above it,
 * so that a git worktree (`wt/NAME`) finds the one its main checkout finds.
 */
export const realCorpusDir = findShared(path.dirname(root));

function findShared(dir: string): string {
  const candidate = path.join(dir, "shared", "corpus");
  const parent = path.dirname(dir);
  if (existsSync(candidate) || parent === dir)
    return existsSync(candidate)
      ? candidate
      : path.resolve(root, "..", "shared", "corpus");
  return findShared(parent);
}

/**
 * The real corpus, copied into a folder of its own: the shared folder is read-only (a cache
 * must be able to go next to the data) and holds a README that is not a statement. Copies,
 * not links: ingest refuses a link that leads out of the data folder.
 */
export async function realCorpus(): Promise<BenchCorpus> {
  const dir = path.join(benchDir, "real-corpus-copy");
  const files = (await readdir(realCorpusDir)).filter((f) =>
    f.endsWith(".jsonl"),
  );
  await mkdir(dir, { recursive: true });
  for (const file of files) {
    const [from, to] = [path.join(realCorpusDir, file), path.join(dir, file)];
    const copied = await lstat(to).catch(() => undefined);
    if (copied?.isFile() && copied.size === (await stat(from)).size) continue;
    await rm(to, { force: true });
    await copyFile(from, to);
  }
  return { label: "real", dir, bytes: await folderBytes(dir) };
}

export async function synthetic(
  size: number,
  seed: number,
  log: (line: string) => void,
): Promise<BenchCorpus> {
  const dir = await syntheticCorpus(size, seed, log);
  return {
    label: `synthetic ${size.toLocaleString("en")}`,
    dir,
    bytes: await folderBytes(dir),
  };
}

/** Where the snapshot feature keeps its cache for a data folder. */
export const cacheDir = (dir: string) => path.join(dir, ".readout-cache");

/** Removes a data folder's cache, so that the next start is cold. */
export const clearCache = (dir: string) =>
  rm(cacheDir(dir), { recursive: true, force: true });

/** Total size of the files below `dir` (following links); hidden ones, as ingest, pass over. */
export async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const file = path.join(dir, entry.name);
    const info = await stat(file);
    total += info.isDirectory() ? await folderBytes(file) : info.size;
  }
  return total;
}
