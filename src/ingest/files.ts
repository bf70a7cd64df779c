import { open, readdir, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";

/** The file endings ingest reads, and which parser each goes to. */
export const FORMATS = {
  ".txt": "txt",
  ".md": "markdown",
  ".markdown": "markdown",
  ".json": "json",
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
} as const;
export type Format = (typeof FORMATS)[keyof typeof FORMATS];

export function formatOf(file: string): Format | undefined {
  return FORMATS[path.extname(file).toLowerCase() as keyof typeof FORMATS];
}

/**
 * Every file below `dir`, as paths relative to it with `/` separators, in a stable order.
 * Hidden files and folders (`.git`, `.readout-cache`) are passed over; linked folders are
 * followed once.
 */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = async (abs: string, rel: string) => {
    const real = await realpath(abs);
    if (seen.has(real)) return;
    seen.add(real);
    const entries = await readdir(abs, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const childAbs = path.join(abs, entry.name);
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      const isDir =
        entry.isDirectory() ||
        (entry.isSymbolicLink() && (await isDirectory(childAbs)));
      if (isDir) await walk(childAbs, childRel);
      else out.push(childRel);
    }
  };
  await walk(dir, "");
  return out;
}

async function isDirectory(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isDirectory();
  } catch {
    return false;
  }
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

const UTF8 = new TextDecoder("utf-8", { fatal: true });
const BOM = "\ufeff";

/** Reads a whole file as UTF-8 text, refusing empty, binary and mis-encoded files. */
export async function readText(
  file: string,
  maxBytes: number,
): Promise<string> {
  const info = await stat(file);
  if (info.size > maxBytes) {
    throw new UnreadableText(
      `file is ${formatBytes(info.size)}, over the limit of ${formatBytes(maxBytes)}`,
    );
  }
  return decodeText(await readFile(file));
}

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
 * Yields the lines of a file with their 1-based numbers, reading it in chunks so that a
 * record file larger than memory (or than the longest string V8 allows) still streams.
 * A line longer than `maxLineBytes` is yielded as `tooLong` without its bytes.
 */
export async function* readLines(
  file: string,
  maxLineBytes: number,
): AsyncGenerator<{ line: number; bytes?: Uint8Array; tooLong?: number }> {
  const handle = await open(file, "r");
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

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
