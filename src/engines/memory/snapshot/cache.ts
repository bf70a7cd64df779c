import {
  lstat,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from "node:fs/promises";
import path from "node:path";
import type { Corpus } from "../corpus.ts";
import { listFiles } from "../../../ingest/files.ts";
import { INGEST_VERSION } from "../../../ingest/formats.ts";
import type { Problem } from "../../../ingest/statement.ts";
import { VERSION } from "../../../runtime/version.ts";
import { TOKENIZER_FINGERPRINT } from "../../../text/fingerprint.ts";
import { MINISEARCH_VERSION } from "../minisearch/term-index.ts";
import { readSnapshot, writeSnapshot, type SnapshotFile } from "./snapshot.ts";

/** A data file as it was when indexed: a change in size or time means it must be read again. */
export interface FileStamp {
  file: string;
  size: number;
  mtimeMs: number;
}

/** What the cache folder says of its snapshot, written last so a half-written cache has none. */
export interface Manifest {
  format: number;
  readout: string;
  tokenizer: string;
  /** The MiniSearch whose postings layout the snapshot holds. */
  minisearch: string;
  /** The formats and parsers the statements were read with (INGEST_VERSION). */
  ingest: string;
  createdAt: string;
  snapshot: SnapshotFile;
  stamps: FileStamp[];
  problems: Problem[];
}

const FORMAT = 1;
export const SNAPSHOT = "snapshot.bin";
const MANIFEST = "manifest.json";

/** Every data file below `dir` with its size and time; files inside `exclude` are left out. */
export async function stampFolder(
  dir: string,
  exclude?: string,
): Promise<FileStamp[]> {
  const relativeExclude = exclude && path.relative(dir, exclude);
  const inside = (file: string) =>
    relativeExclude &&
    !relativeExclude.startsWith("..") &&
    (file === relativeExclude || file.startsWith(relativeExclude + "/"));
  const stamps: FileStamp[] = [];
  for (const file of await listFiles(dir)) {
    if (inside(file)) continue;
    try {
      // A link that loops or leads nowhere is stamped as the link itself, so that reading
      // it reports why it is skipped (and its removal is noticed).
      const abs = path.join(dir, file);
      const info = await stat(abs).catch(() => lstat(abs));
      stamps.push({ file, size: info.size, mtimeMs: info.mtimeMs });
    } catch {
      // Gone between the listing and now: it is not part of the archive.
    }
  }
  return stamps;
}

/** Files added or changed since `before`, and files gone. */
export function compareStamps(
  before: FileStamp[],
  now: FileStamp[],
): { changed: string[]; removed: string[] } {
  const old = new Map(before.map((s) => [s.file, s]));
  const changed = now.filter((s) => {
    const was = old.get(s.file);
    return !was || was.size !== s.size || was.mtimeMs !== s.mtimeMs;
  });
  const present = new Set(now.map((s) => s.file));
  return {
    changed: changed.map((s) => s.file),
    removed: before.filter((s) => !present.has(s.file)).map((s) => s.file),
  };
}

/**
 * Reads the cache, or says why it cannot be used: missing, unreadable, written by another
 * version of Readout or another tokenizer, damaged. Never throws: a bad cache is rebuilt.
 */
export async function readCache(
  dir: string,
): Promise<{ corpus: Corpus; manifest: Manifest } | { reason: string }> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(
      await readFile(path.join(dir, MANIFEST), "utf8"),
    ) as Manifest;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      reason:
        code === "ENOENT"
          ? "there is no saved index yet"
          : `its manifest cannot be read (${(err as Error).message})`,
    };
  }
  if (
    manifest?.format !== FORMAT ||
    typeof manifest.snapshot?.bytes !== "number" ||
    typeof manifest.snapshot.crc32 !== "number" ||
    !Array.isArray(manifest.stamps) ||
    !manifest.stamps.every(isStamp) ||
    !Array.isArray(manifest.problems) ||
    !manifest.problems.every(isProblem)
  ) {
    return { reason: "its manifest is not one Readout wrote" };
  }
  if (manifest.readout !== VERSION)
    return {
      reason: `it was saved by Readout ${manifest.readout}, this is ${VERSION}`,
    };
  if (manifest.minisearch !== MINISEARCH_VERSION)
    return {
      reason: `it was saved with MiniSearch ${manifest.minisearch ?? "unknown"}, this is ${MINISEARCH_VERSION}`,
    };
  if (manifest.ingest !== INGEST_VERSION)
    return {
      reason: "it was read by another version of Readout's file readers",
    };
  if (manifest.tokenizer !== TOKENIZER_FINGERPRINT)
    return {
      reason: "it was made with a tokenizer that reads text differently",
    };
  try {
    return {
      corpus: await readSnapshot(path.join(dir, SNAPSHOT), manifest.snapshot),
      manifest,
    };
  } catch (err) {
    return { reason: `the saved index is damaged (${(err as Error).message})` };
  }
}

function isStamp(s: unknown): s is FileStamp {
  const stamp = s as FileStamp | null;
  return (
    typeof stamp?.file === "string" &&
    typeof stamp.size === "number" &&
    typeof stamp.mtimeMs === "number"
  );
}

function isProblem(p: unknown): p is Problem {
  const problem = p as Problem | null;
  return (
    typeof problem?.file === "string" &&
    typeof problem.message === "string" &&
    typeof problem.kept === "boolean" &&
    (problem.line === undefined || typeof problem.line === "number")
  );
}

/**
 * A temporary file this or another live process is writing (`name.<pid>.tmp`), which a
 * cleanup must leave alone; one whose process is gone was left by a crash.
 */
export function inUse(name: string): boolean {
  const pid = Number(/\.(\d+)\.tmp$/.exec(name)?.[1]);
  if (!pid) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Saves the corpus and its manifest; the manifest goes last, by rename, so a crash leaves no manifest. */
export async function writeCache(
  dir: string,
  corpus: Corpus,
  stamps: FileStamp[],
  problems: Problem[],
): Promise<Manifest> {
  await mkdir(dir, { recursive: true });
  await rm(path.join(dir, MANIFEST), { force: true });
  // Left by a process that was killed while saving; another server's save under way stays.
  for (const name of await readdir(dir)) {
    if (name.endsWith(".tmp") && !inUse(name))
      await rm(path.join(dir, name), { force: true });
  }
  const snapshot = await writeSnapshot(corpus, path.join(dir, SNAPSHOT));
  const manifest: Manifest = {
    format: FORMAT,
    readout: VERSION,
    tokenizer: TOKENIZER_FINGERPRINT,
    minisearch: MINISEARCH_VERSION,
    ingest: INGEST_VERSION,
    createdAt: new Date().toISOString(),
    snapshot,
    stamps,
    problems,
  };
  const temporary = path.join(dir, `${MANIFEST}.${process.pid}.tmp`);
  await writeFile(temporary, JSON.stringify(manifest));
  await rename(temporary, path.join(dir, MANIFEST));
  return manifest;
}
