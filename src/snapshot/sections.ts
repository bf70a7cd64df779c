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
      this.checksum = crc32(chunk, this.checksum);
      length += chunk.byteLength;
    }
    await this.write(Buffer.alloc(pad(this.position)));
    const size = Buffer.alloc(8);
    size.writeUInt32LE(Math.floor(length / 2 ** 32), 0);
    size.writeUInt32LE(length % 2 ** 32, 4);
    await this.handle.write(size, 0, 8, lengthAt);
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

/** Reads the sections of a file written by SectionWriter; each is a view on `buffer`. */
export function readSections(buffer: Buffer): {
  sections: Map<string, Uint8Array>;
  crc32: number;
} {
  const sections = new Map<string, Uint8Array>();
  let checksum = 0;
  let at = 0;
  while (at < buffer.length) {
    if (at + 12 > buffer.length)
      throw new Error("snapshot: the file ends inside a section header");
    const nameLength = buffer.readUInt32LE(at);
    if (at + 12 + nameLength > buffer.length)
      throw new Error("snapshot: a section name runs past the end");
    const name = buffer.subarray(at + 4, at + 4 + nameLength);
    const length =
      buffer.readUInt32LE(at + 4 + nameLength) * 2 ** 32 +
      buffer.readUInt32LE(at + 8 + nameLength);
    at += 12 + nameLength;
    at += pad(at);
    if (at + length > buffer.length)
      throw new Error(
        `snapshot: section "${name}" runs past the end of the file`,
      );
    const bytes = buffer.subarray(at, at + length);
    checksum = crc32(bytes, crc32(name, checksum));
    sections.set(name.toString("utf8"), bytes);
    at += length + pad(at + length);
  }
  return { sections, crc32: checksum };
}

function pad(position: number): number {
  return (8 - (position % 8)) % 8;
}
