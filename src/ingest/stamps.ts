/**
 * File stamps: what tells that a data file may have changed since it was read. One rule for
 * both engines (the saved index's stamps, PostgreSQL's catalog of files) and for a read in
 * progress (read.ts): a link is stamped as the file it leads to, or as itself when it leads
 * nowhere; a stamp holds the size, both times and the inode.
 */
import type { Stats } from "node:fs";
import { lstat, stat } from "node:fs/promises";
import path from "node:path";
import { walkFolder } from "./files.ts";

/** A data file as it was when looked at: any field changed means it must be read again. */
export interface FileStamp {
  file: string;
  size: number;
  mtimeMs: number;
  /**
   * The inode's change time: moved on by every write, rename over, link count or owner
   * change, and no program can set it back (`cp -p` and `rsync -t` set the mtime).
   */
  ctimeMs: number;
  /** Another inode at the same name: a file replaced by rename (editors, rsync, `sed -i`). */
  ino: number;
  /**
   * Stamped within SETTLE_MS of the file's last change: a second write in the same tick of
   * the file system's clock would leave the same stamp, so a live look reads it all the same.
   */
  settling?: true;
}

/**
 * How recent a change makes a stamp untrustworthy: file systems keep times to a clock tick
 * (a few milliseconds on Linux, 2 s on FAT), so two writes within one tick can look alike.
 */
export const SETTLE_MS = 2_000;

/** The stamp of a file whose `stat` says `info`, looked at `now` (ms since the epoch). */
export function stampOf(file: string, info: Stats, now: number): FileStamp {
  const changed = Math.max(info.mtimeMs, info.ctimeMs);
  return {
    file,
    size: info.size,
    mtimeMs: info.mtimeMs,
    ctimeMs: info.ctimeMs,
    ino: info.ino,
    ...(Math.abs(now - changed) < SETTLE_MS ? { settling: true as const } : {}),
  };
}

/** The stamp of one file (`abs`), or undefined when it is gone. */
export async function stampFile(
  abs: string,
  file = abs,
): Promise<FileStamp | undefined> {
  try {
    // A link that loops or leads nowhere is stamped as the link itself, so that reading it
    // reports why it is skipped (and its removal is noticed).
    const info = await stat(abs).catch(() => lstat(abs));
    return stampOf(file, info, Date.now());
  } catch {
    return undefined;
  }
}

/** Every data file below `dir` with its stamp; files inside `exclude` are left out. */
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
  for (const file of (await walkFolder(dir)).files) {
    if (inside(file)) continue;
    // Gone between the listing and now: it is not part of the archive.
    const stamp = await stampFile(path.join(dir, file), file);
    if (stamp) stamps.push(stamp);
  }
  return stamps;
}

/** Whether two stamps of a file say it is unchanged (whether either is settling aside). */
export function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return (
    a.size === b.size &&
    a.mtimeMs === b.mtimeMs &&
    a.ctimeMs === b.ctimeMs &&
    a.ino === b.ino
  );
}

/**
 * Files added or changed since `before`, and files gone. With `live` (a look while following
 * the folder), also the files unchanged by their stamps but changed so recently that their
 * stamps cannot tell (`settling`): read again all the same. Not at start-up, where files just
 * written would otherwise be read twice; the follower's first look reads them.
 */
export function compareStamps(
  before: FileStamp[],
  now: FileStamp[],
  live = false,
): { changed: string[]; removed: string[]; settling: string[] } {
  const old = new Map(before.map((s) => [s.file, s]));
  const changed: string[] = [];
  const settling: string[] = [];
  for (const stamp of now) {
    const was = old.get(stamp.file);
    if (!was || !sameStamp(was, stamp)) changed.push(stamp.file);
    else if (live && stamp.settling) settling.push(stamp.file);
  }
  const present = new Set(now.map((s) => s.file));
  return {
    changed,
    removed: before.filter((s) => !present.has(s.file)).map((s) => s.file),
    settling,
  };
}

/** A stamp as one string, for a store that keeps it as text (PostgreSQL's catalog of files). */
export function stampKey(stamp: FileStamp): string {
  return `${stamp.size}:${stamp.mtimeMs}:${stamp.ctimeMs}:${stamp.ino}`;
}

/** Whether `value` is a stamp as `stampOf` makes it (a saved manifest's, say). */
export function isStamp(value: unknown): value is FileStamp {
  const s = value as FileStamp | null;
  return (
    typeof s?.file === "string" &&
    typeof s.size === "number" &&
    typeof s.mtimeMs === "number" &&
    typeof s.ctimeMs === "number" &&
    typeof s.ino === "number" &&
    (s.settling === undefined || s.settling === true)
  );
}
