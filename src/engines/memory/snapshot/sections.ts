import { open, type FileHandle } from "node:fs/promises";
import { crc32 } from "node:zlib";

/**
 * A file of named binary sections, written chunk by chunk so that no single string or buffer
 * has to hold a whole section (V8 strings stop at about 512 MB; archives do not). Each
 * section: name length (u32), name, byte length (two u32), padding to 8 bytes so typed arrays
 * can view the bytes in place, the bytes, padding. The checksum covers names and bytes in
 * order; a damaged length shifts the sections and so fails it too.
 */
export class SectionWriter {
  private position = 0;
  private checksum = 0;

  private constructor(private readonly handle: FileHandle) {}

  static async create(file: string): Promise<SectionWriter> {
    return new SectionWriter(await open(file, "w"));
  }

  /** Writes one section from its chunks, each as it comes; the length is filled in after. */
  async section(name: string, chunks: Iterable<Uint8Array>): Promise<void> {
    const nameBytes = Buffer.from(name, "utf8");
    const header = Buffer.alloc(12 + nameBytes.length);
    header.writeUInt32LE(nameBytes.length, 0);
    nameBytes.copy(header, 4);
    const lengthAt = this.position + 4 + nameBytes.length;
    await this.write(header);
    this.checksum = crc32(nameBytes, this.checksum);
    await this.write(Buffer.alloc(pad(this.position)));
    let length = 0;
    for (const chunk of chunks) {
      await this.write(chunk);
      this.checksum = crcOf(chunk, this.checksum);
      length += chunk.byteLength;
    }
    await this.write(Buffer.alloc(pad(this.position)));
    const size = Buffer.alloc(8);
    size.writeUInt32LE(Math.floor(length / 2 ** 32), 0);
    size.writeUInt32LE(length % 2 ** 32, 4);
    await this.handle.write(size, 0, 8, lengthAt);
  }

  /** Closes the file after a failed write, leaving it to be removed. */
  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }

  /** Closes the file; returns its length and checksum. */
  async close(): Promise<{ bytes: number; crc32: number }> {
    await this.handle.sync();
    await this.handle.close();
    return { bytes: this.position, crc32: this.checksum };
  }

  private async write(bytes: Uint8Array): Promise<void> {
    if (bytes.byteLength === 0) return;
    await this.handle.write(bytes, 0, bytes.byteLength, this.position);
    this.position += bytes.byteLength;
  }
}

/** Where a section left on disk stands in the file. */
export interface OnDisk {
  offset: number;
  length: number;
}

/** What `readSections` reads. */
export interface ReadPlan {
  /**
   * Sections only located, to be read from disk when wanted (statement bodies: most are never
   * shown, and they are most of an archive's bytes); `"all"` checks the file and keeps nothing.
   */
  leave?: ReadonlySet<string> | "all";
  /** Read only these sections, skipping the rest unread (the checksum is then not whole). */
  only?: ReadonlySet<string>;
  /** False when the checksum is worked out elsewhere: the left sections are then not read. */
  checksum?: boolean;
}

/**
 * Reads the sections of a file written by SectionWriter, each into its own buffer, except the
 * sections `leave` names, which are checked and located.
 */
export async function readSections(
  file: string,
  { leave = new Set(), only, checksum: summing = true }: ReadPlan = {},
): Promise<{
  sections: Map<string, Uint8Array>;
  onDisk: Map<string, OnDisk>;
  crc32: number;
  bytes: number;
}> {
  const handle = await open(file, "r");
  try {
    const bytes = (await handle.stat()).size;
    const sections = new Map<string, Uint8Array>();
    const onDisk = new Map<string, OnDisk>();
    let checksum = 0;
    let at = 0;
    let scratch: Uint8Array | undefined;
    const read = async (length: number, position: number) => {
      // An ArrayBuffer of its own: typed arrays need the section to start on an aligned offset.
      const out = new Uint8Array(new ArrayBuffer(length));
      // In pieces side by side: most of a large read is the kernel giving the new buffer its
      // pages, which the thread pool's threads do at once (380 MB of postings in 0.68 s, against
      // 1.29 s in one read).
      const pieces: Promise<{ bytesRead: number }>[] = [];
      for (let at = 0; at < length; at += CHUNK)
        pieces.push(
          handle.read(out, at, Math.min(CHUNK, length - at), position + at),
        );
      let bytesRead = 0;
      for (const piece of await Promise.all(pieces))
        bytesRead += piece.bytesRead;
      if (bytesRead !== length) throw new Error(`snapshot: ${file} ends early`);
      return out;
    };
    while (at < bytes) {
      if (at + 12 > bytes)
        throw new Error("snapshot: the file ends inside a section header");
      const nameLength = Buffer.from(await read(4, at)).readUInt32LE(0);
      if (at + 12 + nameLength > bytes)
        throw new Error("snapshot: a section name runs past the end");
      const header = Buffer.from(await read(8 + nameLength, at + 4));
      const name = header.subarray(0, nameLength);
      const length =
        header.readUInt32LE(nameLength) * 2 ** 32 +
        header.readUInt32LE(nameLength + 4);
      at += 12 + nameLength;
      at += pad(at);
      if (at + length > bytes)
        throw new Error(
          `snapshot: section "${name}" runs past the end of the file`,
        );
      if (summing) checksum = crc32(name, checksum);
      const key = name.toString("utf8");
      if (only && !only.has(key)) {
        at += length + pad(at + length);
        continue;
      }
      if (leave === "all" || leave.has(key)) {
        // Summed through one buffer: a new one per piece cost the kernel its pages each time.
        scratch ??= new Uint8Array(CHUNK);
        for (let done = 0; summing && done < length; done += CHUNK) {
          const piece = Math.min(CHUNK, length - done);
          const { bytesRead } = await handle.read(scratch, 0, piece, at + done);
          if (bytesRead !== piece)
            throw new Error(`snapshot: ${file} ends early`);
          checksum = crcOf(scratch.subarray(0, piece), checksum);
        }
        if (leave !== "all") onDisk.set(key, { offset: at, length });
      } else {
        const data = await read(length, at);
        if (summing) checksum = crcOf(data, checksum);
        sections.set(key, data);
      }
      at += length + pad(at + length);
    }
    return { sections, onDisk, crc32: checksum, bytes };
  } finally {
    await handle.close();
  }
}

const CHUNK = 16 << 20;

// zlib's crc32 of an empty view over an empty ArrayBuffer is 0, whatever came before: an
// empty section (no boilerplate yet) would wipe out the checksum of every section before it.
function crcOf(data: Uint8Array, checksum: number): number {
  return data.byteLength === 0 ? checksum : crc32(data, checksum);
}

function pad(position: number): number {
  return (8 - (position % 8)) % 8;
}
