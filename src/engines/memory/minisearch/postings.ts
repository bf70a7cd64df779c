import type { Postings } from "../corpus.ts";

/**
 * A term's postings as MiniSearch keeps them (field id → document → frequency), read from a
 * snapshot only when first used. Most terms of an archive are never searched: building their
 * maps at start-up was most of a warm start, and most of its memory. MiniSearch reads and
 * writes them through the Map interface, so every Map method decodes first.
 */
class LazyPostings extends Map<number, Map<number, number>> {
  private data: Uint32Array | undefined;

  constructor(
    data: Uint32Array,
    private readonly at: number,
  ) {
    super();
    this.data = data;
  }

  private decode(): void {
    const data = this.data;
    if (!data) return;
    this.data = undefined;
    let at = this.at + 2;
    for (let field = 0; field < 2; field++) {
      const size = data[this.at + field]!;
      if (size === 0) continue;
      const docs = new Map<number, number>();
      for (let i = 0; i < size; i++, at += 2)
        docs.set(data[at]!, data[at + 1]!);
      super.set(field, docs);
    }
  }

  override get(field: number) {
    this.decode();
    return super.get(field);
  }
  override set(field: number, docs: Map<number, number>) {
    this.decode();
    return super.set(field, docs);
  }
  override has(field: number) {
    this.decode();
    return super.has(field);
  }
  override delete(field: number) {
    this.decode();
    return super.delete(field);
  }
  override clear() {
    this.decode();
    super.clear();
  }
  override get size() {
    this.decode();
    return super.size;
  }
  override keys() {
    this.decode();
    return super.keys();
  }
  override values() {
    this.decode();
    return super.values();
  }
  override entries() {
    this.decode();
    return super.entries();
  }
  override forEach(
    fn: (
      docs: Map<number, number>,
      field: number,
      map: Map<number, Map<number, number>>,
    ) => void,
  ) {
    this.decode();
    super.forEach(fn);
  }
  override [Symbol.iterator]() {
    return this.entries();
  }
}

/** Where each term's record starts in the packed postings: [title size, body size, (doc, tf)…]. */
export function* readPostings(
  data: Uint32Array,
  terms: string[],
): Generator<[string, Postings]> {
  let at = 0;
  for (const term of terms) {
    if (at + 2 > data.length)
      throw new Error("snapshot: the postings end before the terms");
    yield [term, new LazyPostings(data, at)];
    at += 2 + 2 * (data[at]! + data[at + 1]!);
  }
  if (at !== data.length)
    throw new Error("snapshot: the postings do not match the terms");
}

/** The postings of every term, packed as readPostings reads them, in chunks of about `chunk` bytes. */
export function* packPostings(
  entries: Iterable<[string, Postings]>,
  terms: string[],
  chunk: number,
): Generator<Uint8Array> {
  let out = new Uint32Array(chunk / 4);
  let at = 0;
  for (const [term, postings] of entries) {
    terms.push(term);
    const title = postings.get(0);
    const body = postings.get(1);
    const needed = 2 + 2 * ((title?.size ?? 0) + (body?.size ?? 0));
    if (at + needed > out.length) {
      if (at > 0) yield new Uint8Array(out.buffer, 0, at * 4);
      out = new Uint32Array(Math.max(chunk / 4, needed));
      at = 0;
    }
    out[at++] = title?.size ?? 0;
    out[at++] = body?.size ?? 0;
    for (const docs of [title, body]) {
      for (const [doc, tf] of docs ?? []) {
        out[at++] = doc;
        out[at++] = tf;
      }
    }
  }
  if (at > 0) yield new Uint8Array(out.buffer, 0, at * 4);
}
