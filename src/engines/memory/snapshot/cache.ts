import {
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  writeFile,
} from "node:fs/promises";
import path from "node:path";
import type { Corpus } from "../corpus.ts";
import { INGEST_VERSION } from "../../../ingest/formats.ts";
import { isStamp, type FileStamp } from "../../../ingest/stamps.ts";
import type { Problem } from "../../../ingest/statement.ts";
import { VERSION } from "../../../runtime/version.ts";
import { TOKENIZER_FINGERPRINT } from "../../../text/fingerprint.ts";
import { MINISEARCH_VERSION } from "../minisearch/term-index.ts";
import { readSnapshot, writeSnapshot, type SnapshotFile } from "./snapshot.ts";

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

// 2: stamps hold the change time and inode (ingest/stamps.ts).
const FORMAT = 2;
const SNAPSHOT = "snapshot.bin";
const MANIFEST = "manifest.json";

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
  if (typeof manifest?.format === "number" && manifest.format < FORMAT)
    return { reason: "it was saved by an earlier Readout, in an older format" };
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
function inUse(name: string): boolean {
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
