/**
 * A PDF decompression bomb: a small file whose Flate streams unpack to gigabytes. pdf.js
 * decodes a stream into one ArrayBuffer, which the worker's heap limit does not cover, so a
 * 1.3 MB file could take 2.9 GB of memory. Before pdf.js sees a file, every Flate stream in
 * it is inflated here chunk by chunk into nothing, counting bytes, and the file is refused
 * once they pass its bound: memory stays a chunk, whatever the stream holds.
 */
import { createInflate } from "node:zlib";
import { formatBytes } from "./files.ts";
import { FormatError } from "./format-contract.ts";

/** A PDF may unpack to this many times its size (text and fonts pack 3–10 times)… */
export const MAX_RATIO = 100;
/** …but always to this much (a small file of line art), and never to more than the cap. */
export const MIN_UNPACKED = 64 * 1024 * 1024;
export const MAX_UNPACKED = 512 * 1024 * 1024;

const STREAM = Buffer.from("stream");
const END = Buffer.from("endstream");

/** The bytes a PDF of `size` bytes may unpack to. */
export function unpackedLimit(size: number): number {
  return Math.min(MAX_UNPACKED, Math.max(MIN_UNPACKED, size * MAX_RATIO));
}

/** Refuses a PDF whose Flate streams unpack to more than `unpackedLimit` of its size. */
export async function refusePdfBomb(bytes: Uint8Array): Promise<void> {
  const pdf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const limit = unpackedLimit(pdf.length);
  let total = 0;
  for (
    let at = pdf.indexOf(STREAM);
    at >= 0;
    at = pdf.indexOf(STREAM, at + 1)
  ) {
    // `stream` opens data only after a dictionary (`>>`), not inside `endstream`.
    if (pdf[at - 1] === 0x64 /* d of endstream */) continue;
    const head = pdf.subarray(Math.max(0, at - 1024), at).toString("latin1");
    const dictionary = head.slice(head.lastIndexOf("<<"));
    if (!/>>\s*$/.test(head) || !/\/(?:FlateDecode|Fl)\b/.test(dictionary))
      continue;
    let start = at + STREAM.length;
    if (pdf[start] === 0x0d) start++;
    if (pdf[start] === 0x0a) start++;
    let end = pdf.indexOf(END, start);
    if (end < 0) end = pdf.length;
    total += await inflatedSize(pdf.subarray(start, end), limit - total);
    if (total > limit)
      throw new FormatError(
        `a decompression bomb: its ${formatBytes(pdf.length)} would unpack to more than ${formatBytes(limit)}`,
      );
    at = end;
  }
}

// The size `data` inflates to, counting no further than `budget` bytes past which it stops.
function inflatedSize(data: Uint8Array, budget: number): Promise<number> {
  return new Promise((resolve) => {
    let size = 0;
    const inflate = createInflate({ chunkSize: 64 * 1024 });
    const done = () => {
      inflate.removeAllListeners();
      inflate.destroy();
      resolve(size);
    };
    inflate.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > budget) done();
    });
    // A damaged stream counts as far as it inflates: pdf.js reads no more of it either.
    inflate.on("error", done);
    inflate.on("end", done);
    inflate.end(data);
  });
}
