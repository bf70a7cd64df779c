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
  /** The formats and parsers the statements were read with (INGEST_VERSION), `+names` with `--entities`. */
  ingest: string;
  createdAt: string;
  /** The snapshot this manifest vouches for: its file in the cache folder, length and checksum. */
  snapshot: SnapshotFile & { file: string };
  stamps: FileStamp[];
  problems: Problem[];
}

// Statements read with their names (`--entities`) are another reading of the same files.
const ingestOf = (names: boolean) => INGEST_VERSION + (names ? "+names" : "");

// 2: stamps hold the change time and inode (ingest/stamps.ts).
const FORMAT = 2;
/** `snapshot-<pid>-<time>.bin`: each save a file of its own, so the last one stays whole until the next is. */
const SNAPSHOT = /^snapshot-(\d+)-[0-9a-z]+\.bin$/;
/** The one snapshot file of format 1, named by no manifest. */
const FORMAT_1_SNAPSHOT = "snapshot.bin";
const MANIFEST = "manifest.json";

/**
 * The snapshot file of the saved index in `dir`, as its manifest names it, whatever Readout
 * wrote it (one of format 1 is `snapshot.bin`); undefined when there is none to name.
 */
export async function snapshotFile(dir: string): Promise<string | undefined> {
  try {
    const manifest = JSON.parse(
      await readFile(path.join(dir, MANIFEST), "utf8"),
    ) as Partial<Manifest> | null;
    const file = manifest?.snapshot?.file;
    if (typeof file === "string" && SNAPSHOT.test(file))
      return path.join(dir, file);
    return manifest?.format === 1
      ? path.join(dir, FORMAT_1_SNAPSHOT)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the cache, or says why it cannot be used: missing, unreadable, written by another
 * version of Readout or another tokenizer, damaged. Never throws: a bad cache is rebuilt.
 */
export async function readCache(
  dir: string,
  names = false,
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
    typeof manifest.snapshot.file !== "string" ||
    !SNAPSHOT.test(manifest.snapshot.file) ||
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
  if (manifest.ingest !== ingestOf(names))
    return {
      reason:
        manifest.ingest === ingestOf(!names)
          ? names
            ? "it was read without people, places and organisations (--no-entities)"
            : "it was read with people, places and organisations, and this start is without (--no-entities)"
          : "it was read by another version of Readout's file readers",
    };
  if (manifest.tokenizer !== TOKENIZER_FINGERPRINT)
    return {
      reason: "it was made with a tokenizer that reads text differently",
    };
  try {
    return {
      corpus: await readSnapshot(
        path.join(dir, manifest.snapshot.file),
        manifest.snapshot,
      ),
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
 * A file this or another live process is writing or has written (`name.<pid>.tmp`,
 * `snapshot-<pid>-….bin`), which a cleanup must leave alone; one whose process is gone was
 * left by a crash.
 */
export function inUse(name: string): boolean {
  const pid = Number(
    /\.(\d+)\.tmp$/.exec(name)?.[1] ?? SNAPSHOT.exec(name)?.[1],
  );
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

/**
 * Saves the corpus and its manifest. The snapshot goes to a file of its own and the manifest
 * follows, by rename: until then the saved index is the previous one, whole, and a failed
 * write (a full disk) leaves it so, with nothing of this save behind. The previous snapshot
 * is removed once the new manifest is in place.
 */
export async function writeCache(
  dir: string,
  corpus: Corpus,
  stamps: FileStamp[],
  problems: Problem[],
  names = false,
): Promise<Manifest> {
  await mkdir(dir, { recursive: true });
  const manifestFile = path.join(dir, MANIFEST);
  const previous = await readFile(manifestFile, "utf8")
    .then((text) => (JSON.parse(text) as Manifest).snapshot?.file)
    .catch(() => undefined);
  // Left by a process killed while saving; another server's save under way stays.
  for (const name of await readdir(dir)) {
    const left =
      name.endsWith(".tmp") || (SNAPSHOT.test(name) && name !== previous);
    if ((left && !inUse(name)) || name === FORMAT_1_SNAPSHOT)
      await rm(path.join(dir, name), { force: true });
  }
  const file = `snapshot-${process.pid}-${Date.now().toString(36)}.bin`;
  const temporary = path.join(dir, `${MANIFEST}.${process.pid}.tmp`);
  let manifest: Manifest;
  try {
    const snapshot = await writeSnapshot(corpus, path.join(dir, file));
    manifest = {
      format: FORMAT,
      readout: VERSION,
      tokenizer: TOKENIZER_FINGERPRINT,
      minisearch: MINISEARCH_VERSION,
      ingest: ingestOf(names),
      createdAt: new Date().toISOString(),
      snapshot: { file, ...snapshot },
      // Whether a file was settling is a live look's concern, not the next start's.
      stamps: stamps.map(({ settling: _, ...stamp }) => stamp),
      problems,
    };
    await writeFile(temporary, JSON.stringify(manifest));
    await rename(temporary, manifestFile);
  } catch (err) {
    await rm(temporary, { force: true });
    await rm(path.join(dir, file), { force: true });
    throw err;
  }
  // A process reading bodies from it keeps its open file; the space is freed when it exits.
  if (previous && previous !== file)
    await rm(path.join(dir, previous), { force: true }).catch(() => undefined);
  return manifest;
}
