import { constants, type Stats } from "node:fs";
import {
  lstat,
  open,
  readdir,
  realpath,
  stat,
  type FileHandle,
} from "node:fs/promises";
import path from "node:path";

/**
 * Every file below `dir`, as paths relative to it with `/` separators, in a stable order.
 * Hidden files and folders (`.git`, `.readout-cache`) and README files are passed over.
 * A linked folder is walked only when it lies inside the data folder's real path (and only
 * once); any other link, and anything that is not a folder (a named pipe, a device), is
 * listed as a file, so that reading it reports why it is skipped.
 */
export async function listFiles(dir: string): Promise<string[]> {
  return (await walkFolder(dir)).files;
}

/**
 * The files below `dir` (as `listFiles` lists them) and the folders walked to find them, the
 * data folder first ("" ), as paths relative to it: what a folder follower watches.
 */
export async function walkFolder(
  dir: string,
): Promise<{ files: string[]; folders: string[] }> {
  const root = await realpath(dir);
  const files: string[] = [];
  const folders: string[] = [];
  const seen = new Set<string>();
  const walk = async (abs: string, rel: string) => {
    let real, entries;
    try {
      real = await realpath(abs);
      if (seen.has(real)) return;
      entries = await readdir(abs, { withFileTypes: true });
    } catch (err) {
      // A folder below the data folder removed while it is walked is simply gone.
      const code = (err as NodeJS.ErrnoException).code;
      if (rel && (code === "ENOENT" || code === "ENOTDIR")) return;
      throw err;
    }
    seen.add(real);
    folders.push(rel);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (isPassedOver(entry.name)) continue;
      const childAbs = path.join(abs, entry.name);
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(childAbs, childRel);
      else if (entry.isSymbolicLink()) {
        const target = await realpath(childAbs).catch(() => undefined);
        if (target && isInside(root, target) && (await isDirectory(target)))
          await walk(childAbs, childRel);
        else files.push(childRel);
      } else files.push(childRel);
    }
  };
  await walk(dir, "");
  return { files, folders };
}

/**
 * Names the walk passes over: hidden files and folders, and README files, which describe a
 * folder rather than hold a statement (`data/README.md` says where the sample comes from).
 */
export function isPassedOver(name: string): boolean {
  return name.startsWith(".") || /^readme(\.[a-z]+)?$/i.test(name);
}

async function isDirectory(file: string): Promise<boolean> {
  try {
    return (await lstat(file)).isDirectory();
  } catch {
    return false;
  }
}

/** Whether `real` (a resolved path) is `root` or lies below it. */
export function isInside(root: string, real: string): boolean {
  const relative = path.relative(root, real);
  return (
    relative === "" ||
    (!relative.startsWith(`..${path.sep}`) &&
      relative !== ".." &&
      !path.isAbsolute(relative))
  );
}

/** Why a file's bytes cannot be read as text, with the line where that is known. */
export class UnreadableText extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

// Opening a named pipe for reading waits for a writer; O_NONBLOCK returns at once, and the
// check that follows refuses it. O_NOFOLLOW: the real path was resolved just before, so a
// link appearing there now is refused too.
const OPEN_FLAGS =
  constants.O_RDONLY |
  (constants.O_NONBLOCK ?? 0) |
  (constants.O_NOFOLLOW ?? 0);

/**
 * What a data folder's files must be to be read, beyond lying inside its real path. A hard
 * link is the same file under a second name, and the other name may lie anywhere on the same
 * disk (`ln /etc/passwd data/x.txt`): nothing cheap tells which name is the file's own.
 */
export interface FileTrust {
  /** Read files with more than one name (`--follow-hard-links`). Default false. */
  followHardLinks?: boolean;
  /** Running as root: the only user whose files are read, the data folder's owner. */
  owner?: number;
}

/** The trust for the data folder at `root`: as root, only the folder owner's files are read. */
export async function trustFor(
  root: string,
  followHardLinks = false,
): Promise<FileTrust> {
  const owner = process.getuid?.() === 0 ? (await stat(root)).uid : undefined;
  return { followHardLinks, ...(owner === undefined ? {} : { owner }) };
}

/**
 * Opens a file of the data folder for reading, or says why it is not read: a link that leads
 * outside the data folder's real path (`root` must be that real path), a link that loops or
 * leads nowhere, anything but a regular file, and what `trust` refuses (a hard link, another
 * user's file). Never blocks on a pipe or a device.
 */
export async function openDataFile(
  root: string,
  file: string,
  trust: FileTrust = {},
): Promise<{ handle: FileHandle; info: Stats; real: string }> {
  const abs = path.join(root, file);
  let real: string;
  try {
    real = await realpath(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ELOOP")
      throw new UnreadableText("a symbolic link that loops");
    if (code === "ENOENT" && (await lstat(abs).catch(() => undefined)))
      throw new UnreadableText("a symbolic link to a missing file");
    throw err;
  }
  if (!isInside(root, real))
    throw new UnreadableText(`a link to ${real}, outside the data folder`);
  const handle = await open(real, OPEN_FLAGS);
  try {
    const info = await handle.stat();
    if (!info.isFile())
      throw new UnreadableText(
        `not a regular file (${kindOf(info)}); only regular files are read`,
      );
    if (info.nlink > 1 && !trust.followHardLinks)
      throw new UnreadableText(
        `a hard link: the file has ${info.nlink} names, and another may lie outside the data folder; Readout reads such files only with --follow-hard-links`,
      );
    if (trust.owner !== undefined && info.uid !== trust.owner)
      throw new UnreadableText(
        `owned by user ${info.uid}, not by the data folder's owner (user ${trust.owner}); running as root, Readout reads only the folder owner's files`,
      );
    return { handle, info, real };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return "a folder";
  if (info.isFIFO()) return "a named pipe";
  if (info.isCharacterDevice() || info.isBlockDevice()) return "a device";
  if (info.isSocket()) return "a socket";
  return "not a file";
}

/**
 * Reads a whole file of the data folder, at most `maxBytes` bytes: the limit counts the bytes
 * actually read, not the size the file claims, so a file that grows while it is read (or
 * lies about its size) cannot make the read unbounded.
 */
export async function readDataBytes(
  root: string,
  file: string,
  maxBytes: number,
  trust: FileTrust = {},
): Promise<Uint8Array> {
  const { handle, info } = await openDataFile(root, file, trust);
  try {
    if (info.size > maxBytes) throw tooLarge(info.size, maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes)
        throw new UnreadableText(
          `file grew past the limit of ${formatBytes(maxBytes)} while it was being read`,
        );
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

function tooLarge(size: number, maxBytes: number): UnreadableText {
  return new UnreadableText(
    `file is ${formatBytes(size)}, over the limit of ${formatBytes(maxBytes)}`,
  );
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });
const BOM = "\ufeff";

/**
 * Decodes bytes as UTF-8, naming the line of the first bad byte; strips a BOM. `what` names
 * the bytes in messages: a whole file, or one line of a record file starting at `firstLine`.
 */
export function decodeText(
  bytes: Uint8Array,
  what: "file" | "line" = "file",
  firstLine = 1,
): string {
  if (bytes.length === 0) throw new UnreadableText(`${what} is empty`);
  if (bytes.subarray(0, 8192).includes(0)) {
    throw new UnreadableText("binary data (contains NUL bytes), not text");
  }
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    const offset = firstInvalidByte(bytes);
    const line = firstLine + countNewlines(bytes, offset);
    throw new UnreadableText(
      `not valid UTF-8: bad byte at offset ${offset} of the ${what}`,
      line,
    );
  }
  if (text.startsWith(BOM)) text = text.slice(1);
  if (text.trim() === "") throw new UnreadableText(`${what} is empty`);
  return text;
}

// Only on the error path: the longest prefix that still decodes ends at the first bad byte.
function firstInvalidByte(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, mid), {
        stream: true,
      });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}

function countNewlines(bytes: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 10) n++;
  return n;
}

/**
 * Yields the lines of a data file with their 1-based numbers, reading it in chunks so that a
 * record file larger than memory (or than the longest string V8 allows) still streams. A line
 * longer than `maxLineBytes` is yielded as `tooLong` without its bytes. Opens the file as
 * `openDataFile` does: only regular files inside the data folder.
 */
export async function* readLines(
  root: string,
  file: string,
  maxLineBytes: number,
  trust: FileTrust = {},
): AsyncGenerator<{ line: number; bytes?: Uint8Array; tooLong?: number }> {
  const { handle } = await openDataFile(root, file, trust);
  try {
    const chunk = Buffer.allocUnsafe(1 << 20);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let line = 1;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      let from = 0;
      for (;;) {
        const nl = chunk.indexOf(10, from);
        if (nl < 0 || nl >= bytesRead) break;
        const size = pendingBytes + nl - from;
        if (size > maxLineBytes) yield { line, tooLong: size };
        else
          yield {
            line,
            bytes: Buffer.concat([...pending, chunk.subarray(from, nl)]),
          };
        pending = [];
        pendingBytes = 0;
        line += 1;
        from = nl + 1;
      }
      if (pendingBytes <= maxLineBytes)
        pending.push(Buffer.from(chunk.subarray(from, bytesRead)));
      pendingBytes += bytesRead - from;
    }
    if (pendingBytes > maxLineBytes) yield { line, tooLong: pendingBytes };
    else if (pendingBytes > 0) yield { line, bytes: Buffer.concat(pending) };
  } finally {
    await handle.close();
  }
}

/** `512 B`, `2.0 KiB`, `64.0 MiB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
