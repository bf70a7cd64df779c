import { inflateRawSync } from "node:zlib";
import { formatBytes } from "./files.ts";
import { FormatError } from "./format-contract.ts";

/** The most a zipped document (.docx, .odt) may unpack to. */
export const MAX_UNPACKED_BYTES = 256 * 1024 * 1024;
// A part that unpacks to more than this many times its packed size is a bomb, not text.
const MAX_RATIO = 200;

/**
 * Refuses a zip bomb by what its directory declares, before anything is inflated: more than
 * MAX_UNPACKED_BYTES in all, a large part packed past MAX_RATIO, or a size left to a
 * ZIP64 record.
 */
export function refuseZipBomb(entries: ZipEntry[], packedBytes: number): void {
  const total = entries.reduce((sum, e) => sum + e.size, 0);
  const bomb = entries.find(
    (e) => e.size > 16 * 1024 * 1024 && e.size > e.compressedSize * MAX_RATIO,
  );
  if (
    total > MAX_UNPACKED_BYTES ||
    bomb ||
    entries.some((e) => e.size === 0xffffffff)
  )
    throw new FormatError(
      `a zip bomb: its ${formatBytes(packedBytes)} would unpack to ${formatBytes(total)}`,
    );
}

/** A file inside a zip archive, as its central directory describes it. */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  /** What the directory declares; a hostile archive may lie, so inflating is bounded too. */
  size: number;
  localHeader: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

/**
 * The entries of a zip archive (a .docx is one), read from its central directory without
 * inflating anything, so that a zip bomb can be refused by what it declares. Throws on an
 * archive that is not a zip or is cut short.
 */
export function zipEntries(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--)
    if (view.getUint32(i, true) === END_OF_DIRECTORY) {
      end = i;
      break;
    }
  if (end < 0) throw new Error("not a zip archive (no central directory)");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== DIRECTORY_ENTRY)
      throw new Error("the zip archive's directory is damaged");
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const comment = view.getUint16(at + 32, true);
    entries.push({
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      localHeader: view.getUint32(at + 42, true),
      name: new TextDecoder().decode(
        bytes.subarray(at + 46, at + 46 + nameLength),
      ),
    });
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

/**
 * The bytes of one entry, inflated to at most `maxBytes` (more throws): small parts of an
 * archive (a .docx's properties and page headers) are read without a library.
 */
export function readZipEntry(
  bytes: Uint8Array,
  entry: ZipEntry,
  maxBytes: number,
): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localHeader;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL_HEADER)
    throw new Error(`the zip entry ${entry.name} is damaged`);
  const start =
    at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return data.subarray(0, maxBytes);
  if (entry.method !== 8)
    throw new Error(`the zip entry ${entry.name} uses an unknown compression`);
  return inflateRawSync(data, { maxOutputLength: maxBytes });
}
