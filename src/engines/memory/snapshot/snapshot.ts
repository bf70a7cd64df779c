import { closeSync, openSync, readSync } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import {
  bodyWords,
  changed,
  createCorpus,
  place,
  type Corpus,
} from "../corpus.ts";
import { hashTerm } from "../../../versions/shingles.ts";
import {
  VersionIndex,
  type SavedVersions,
} from "../../../versions/version-index.ts";
import type { Statement } from "../../../ingest/statement.ts";
import { TermIndex, type IndexMeta } from "../minisearch/term-index.ts";
import { packPostings, readPostings } from "../minisearch/postings.ts";
import { checksumAside, checksumLimits } from "./checksum.ts";
import { readSections, SectionWriter, type OnDisk } from "./sections.ts";

// Writes go out in pieces of about this many bytes: few system calls, little memory.
const CHUNK = 1 << 20;
const UTF8 = new TextDecoder();
// Where a restored statement's body is, unseen by JSON and by copies made with `...`.
const DOC = Symbol("readout.snapshot.doc");

/** Where a snapshot file is, and what the manifest says of it. */
export interface SnapshotFile {
  bytes: number;
  crc32: number;
}

/**
 * Writes a corpus to `file`: MiniSearch's postings and bookkeeping, the statements (bodies
 * apart), the vocabulary and the word positions. Returns the length and checksum.
 */
export async function writeSnapshot(
  corpus: Corpus,
  file: string,
): Promise<SnapshotFile> {
  // Written aside and renamed over `file`: a corpus read from `file` reads its bodies from it
  // while this runs, and keeps reading the old file (still open) after the rename.
  const temporary = `${file}.${process.pid}.tmp`;
  const out = await SectionWriter.create(temporary);
  try {
    const written = await writeSections(out, corpus);
    await rename(temporary, file);
    return written;
  } catch (err) {
    // A full disk (ENOSPC) or any other failed write leaves nothing behind.
    await out.abort();
    await rm(temporary, { force: true });
    throw err;
  }
}

async function writeSections(
  out: SectionWriter,
  corpus: Corpus,
): Promise<SnapshotFile> {
  const capacity = corpus.index.capacity;
  const terms: string[] = [];
  await out.section(
    "postings",
    packPostings(corpus.index.entries(), terms, CHUNK),
  );
  await out.section("terms", [Buffer.from(terms.join("\n"), "utf8")]);
  await out.section("meta", [
    Buffer.from(JSON.stringify(corpus.index.meta()), "utf8"),
  ]);
  await out.section("words", [Buffer.from(corpus.words.join("\n"), "utf8")]);
  const bodyOffsets = new Float64Array(capacity + 1);
  await out.section("statements", statementChunks(corpus.statements, capacity));
  await out.section(
    "bodies",
    bodyChunks(corpus.statements, capacity, bodyOffsets),
  );
  await out.section("body-offsets", [bytesOf(bodyOffsets)]);
  const offsets = new Uint32Array(capacity + 1);
  for (let doc = 0; doc < capacity; doc++)
    offsets[doc + 1] = offsets[doc]! + (corpus.positions[doc]?.length ?? 0);
  await out.section("offsets", [bytesOf(offsets)]);
  await out.section("positions", positionChunks(corpus.positions, capacity));
  const versions = corpus.versions.save();
  await out.section("versions", [
    Buffer.from(
      JSON.stringify({ options: versions.options, bodies: versions.bodies }),
      "utf8",
    ),
  ]);
  await out.section("version-features", [bytesOf(versions.features)]);
  await out.section("version-offsets", [bytesOf(versions.offsets)]);
  for (const [name, array] of Object.entries(versions.derived ?? {}))
    await out.section(`version-${name}`, [bytesOf(array)]);
  return out.close();
}

/**
 * Reads a corpus back from `file`. Throws with a reason when the file is not whole (length or
 * checksum differ from the manifest's) or not a snapshot. Postings and bodies stay in the
 * file's buffer and are decoded when first used.
 */
export async function readSnapshot(
  file: string,
  expected: SnapshotFile,
): Promise<Corpus> {
  const { size } = await stat(file);
  if (size !== expected.bytes) {
    throw new Error(
      `snapshot: ${file} is ${size} bytes, the manifest says ${expected.bytes}`,
    );
  }
  const aside =
    size >= checksumLimits.asideBytes ? checksumAside(file) : undefined;
  // Awaited below; a read that throws first must not leave its failure unhandled.
  aside?.catch(() => undefined);
  const { sections, onDisk, crc32 } = await readSections(file, {
    leave: new Set(["bodies"]),
    checksum: !aside,
  });
  const check = async () => {
    if ((aside ? await aside : crc32) !== expected.crc32)
      throw new Error(`snapshot: ${file} fails its checksum`);
  };
  if (!aside) await check();
  // Open for as long as the statements live; a newer save replaces the file by rename, and
  // this descriptor keeps reading the one it opened.
  const fd = openSync(file, "r");
  try {
    let corpus: Corpus;
    try {
      corpus = decode(file, fd, sections, onDisk);
    } catch (err) {
      // A damaged file is told as damaged, not by whatever its decoding tripped on.
      await check();
      throw err;
    }
    await check();
    return corpus;
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** The corpus in the sections of `file`, read by `readSnapshot`. */
function decode(
  file: string,
  fd: number,
  sections: Map<string, Uint8Array>,
  onDisk: Map<string, OnDisk>,
): Corpus {
  const section = (name: string) => {
    const bytes = sections.get(name);
    if (!bytes) throw new Error(`snapshot: ${file} has no "${name}" section`);
    return bytes;
  };
  const text = (name: string) => UTF8.decode(section(name));
  const meta = JSON.parse(text("meta")) as IndexMeta;
  const index = TermIndex.restore(
    meta,
    readPostings(view(section("postings"), Uint32Array), lines(text("terms"))),
  );
  const corpus = createCorpus(index, index.capacity);
  corpus.words = lines(text("words"));
  corpus.vocabulary = new Map(corpus.words.map((word, i) => [word, i]));
  corpus.termHashes = corpus.words.map(hashTerm);
  const offsets = view(section("offsets"), Uint32Array);
  const positions = view(section("positions"), Uint32Array);
  const bodyOffsets = view(section("body-offsets"), Float64Array);
  const bodies = onDisk.get("bodies");
  if (!bodies) throw new Error(`snapshot: ${file} has no "bodies" section`);
  const statements = section("statements");
  if (
    offsets.length !== index.capacity + 1 ||
    bodyOffsets.length !== index.capacity + 1
  ) {
    throw new Error("snapshot: the offsets do not match the documents");
  }
  // Read from disk each time it is wanted: a page shows a few bodies, an export streams them.
  // One getter serves every statement, finding its body by the number the statement carries:
  // a getter of its own for each cost a quarter of a second at 100,000 statements.
  function body(this: Statement): string {
    const doc = (this as Statement & { [DOC]: number })[DOC];
    const start = bodyOffsets[doc]!;
    return readText(fd, bodies!.offset + start, bodyOffsets[doc + 1]! - start);
  }
  let line = 0;
  for (let doc = 0; doc < index.capacity; doc++) {
    const end = statements.indexOf(10, line);
    if (end < 0) throw new Error("snapshot: fewer statements than documents");
    if (end > line) {
      const statement = JSON.parse(
        UTF8.decode(statements.subarray(line, end)),
      ) as Statement;
      Object.defineProperty(statement, DOC, { value: doc });
      Object.defineProperty(statement, "body", {
        enumerable: true,
        configurable: true,
        get: body,
      });
      place(
        corpus,
        doc,
        statement,
        positions.subarray(offsets[doc]!, offsets[doc + 1]!),
      );
    }
    line = end + 1;
  }
  corpus.versions = restoreVersions(corpus, sections);
  changed(corpus);
  return corpus;
}

// The saved grouping, or one made again from the word positions when it is missing or does
// not fit (a snapshot from before grouping, or damaged past its checksum's notice).
function restoreVersions(
  corpus: Corpus,
  sections: Map<string, Uint8Array>,
): VersionIndex {
  const json = sections.get("versions");
  const features = sections.get("version-features");
  const offsets = sections.get("version-offsets");
  if (json && features && offsets) {
    try {
      const head = JSON.parse(UTF8.decode(json)) as Omit<
        SavedVersions,
        "features" | "offsets"
      >;
      // What grouping worked out, when the save has it (older ones do not).
      const derived = ["boilerplate", "signed", "bands", "links"].map((name) =>
        sections.get(`version-${name}`),
      );
      const [boilerplate, signed, bands, links] = derived.map(
        (bytes) => bytes && view(bytes, Uint32Array),
      );
      const buckets = sections.get("version-buckets");
      return VersionIndex.restore({
        ...head,
        features: view(features, Uint32Array),
        offsets: view(offsets, Uint32Array),
        ...(boilerplate && signed && bands && links
          ? {
              derived: {
                boilerplate,
                signed,
                bands,
                links,
                ...(buckets ? { buckets: view(buckets, Uint16Array) } : {}),
              },
            }
          : {}),
      });
    } catch {
      // Made again below.
    }
  }
  const versions = new VersionIndex();
  versions.addAll(corpus.byId.values(), (s) => bodyWords(corpus, s));
  return versions;
}

// One JSON line per short id, the body left out; an empty line where a statement was removed.
function* statementChunks(
  statements: (Statement | undefined)[],
  capacity: number,
): Generator<Uint8Array> {
  let pending: string[] = [];
  let size = 0;
  for (let doc = 0; doc < capacity; doc++) {
    const statement = statements[doc];
    let line = "";
    if (statement) {
      const { body: _, ...rest } = statement;
      line = JSON.stringify(rest);
    }
    pending.push(line);
    size += line.length;
    if (size > CHUNK) {
      yield Buffer.from(pending.join("\n") + "\n", "utf8");
      [pending, size] = [[], 0];
    }
  }
  if (pending.length) yield Buffer.from(pending.join("\n") + "\n", "utf8");
}

function* bodyChunks(
  statements: (Statement | undefined)[],
  capacity: number,
  offsets: Float64Array,
): Generator<Uint8Array> {
  let pending: Buffer[] = [];
  let size = 0;
  for (let doc = 0; doc < capacity; doc++) {
    const bytes = Buffer.from(statements[doc]?.body ?? "", "utf8");
    offsets[doc + 1] = offsets[doc]! + bytes.length;
    pending.push(bytes);
    size += bytes.length;
    if (size > CHUNK) {
      yield Buffer.concat(pending);
      [pending, size] = [[], 0];
    }
  }
  if (pending.length) yield Buffer.concat(pending);
}

function* positionChunks(
  positions: (Uint32Array | undefined)[],
  capacity: number,
): Generator<Uint8Array> {
  let chunk = new Uint32Array(CHUNK / 4);
  let at = 0;
  for (let doc = 0; doc < capacity; doc++) {
    const ids = positions[doc];
    if (!ids?.length) continue;
    if (at + ids.length > chunk.length) {
      if (at > 0) yield bytesOf(chunk.subarray(0, at));
      chunk = new Uint32Array(Math.max(CHUNK / 4, ids.length));
      at = 0;
    }
    chunk.set(ids, at);
    at += ids.length;
  }
  if (at > 0) yield bytesOf(chunk.subarray(0, at));
}

function readText(fd: number, position: number, length: number): string {
  const bytes = Buffer.allocUnsafe(length);
  readSync(fd, bytes, 0, length, position);
  return bytes.toString("utf8");
}

function lines(text: string): string[] {
  return text === "" ? [] : text.split("\n");
}

function bytesOf(array: Uint16Array | Uint32Array | Float64Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

function view<T extends Uint16Array | Uint32Array | Float64Array>(
  bytes: Uint8Array,
  type: {
    new (b: ArrayBuffer, o: number, n: number): T;
    BYTES_PER_ELEMENT: number;
  },
): T {
  const size = type.BYTES_PER_ELEMENT;
  if (bytes.byteOffset % size !== 0 || bytes.byteLength % size !== 0)
    throw new Error("snapshot: a number section is misaligned");
  return new type(
    bytes.buffer as ArrayBuffer,
    bytes.byteOffset,
    bytes.byteLength / size,
  );
}
