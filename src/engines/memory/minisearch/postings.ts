import { FIELDS, type Postings } from "./term-index.ts";

// One count per field heads each term's record.
const HEAD = FIELDS.length;

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

  /** The packed record, while it has not been decoded into maps: what a snapshot copies as is. */
  record(): Uint32Array | undefined {
    const data = this.data;
    if (!data) return undefined;
    let docs = 0;
    for (let field = 0; field < HEAD; field++) docs += data[this.at + field]!;
    return data.subarray(this.at, this.at + HEAD + 2 * docs);
  }

  /**
   * Documents holding the term in any field, counted from the packed record without building
   * its maps (undefined once they are built): a word's frequency is asked for every word a
   * `*` or `~` word reaches and every word of a statement whose related ones are listed, and
   * decoding thousands of lists for that held the event loop for seconds and filled the heap.
   */
  docCount(): number | undefined {
    return this.data && distinctDocs(this.data, this.at);
  }

  private decode(): void {
    const data = this.data;
    if (!data) return;
    this.data = undefined;
    let at = this.at + HEAD;
    for (let field = 0; field < HEAD; field++) {
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

// Marks of the documents seen by the count under way, one slot per document: a new stamp per
// count, so nothing is cleared or allocated between counts.
let seen = new Uint32Array(0);
let stamp = 0;

/** Distinct documents in a packed record's fields (the same document may hold the term in several). */
function distinctDocs(data: Uint32Array, at: number): number {
  let pairs = 0;
  let fields = 0;
  for (let field = 0; field < HEAD; field++) {
    pairs += data[at + field]!;
    if (data[at + field]! > 0) fields++;
  }
  if (fields <= 1) return pairs;
  if (++stamp === 0xffffffff) {
    seen.fill(0);
    stamp = 1;
  }
  let n = 0;
  for (let i = at + HEAD, end = at + HEAD + 2 * pairs; i < end; i += 2) {
    const doc = data[i]!;
    if (doc >= seen.length) {
      const grown = new Uint32Array(Math.max(doc + 1, 2 * seen.length));
      grown.set(seen);
      seen = grown;
    }
    if (seen[doc] !== stamp) {
      seen[doc] = stamp;
      n++;
    }
  }
  return n;
}

/** Each term's record in the packed postings: [docs per field…, then (doc, tf) pairs field by field]. */
export function* readPostings(
  data: Uint32Array,
  terms: string[],
): Generator<[string, Postings]> {
  let at = 0;
  for (const term of terms) {
    if (at + HEAD > data.length)
      throw new Error("snapshot: the postings end before the terms");
    yield [term, new LazyPostings(data, at)];
    let docs = 0;
    for (let field = 0; field < HEAD; field++) docs += data[at + field]!;
    at += HEAD + 2 * docs;
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
    // Still packed (never searched): copied without building its maps.
    const record =
      postings instanceof LazyPostings ? postings.record() : undefined;
    if (record) {
      if (at + record.length > out.length) {
        if (at > 0) yield new Uint8Array(out.buffer, 0, at * 4);
        out = new Uint32Array(Math.max(chunk / 4, record.length));
        at = 0;
      }
      out.set(record, at);
      at += record.length;
      continue;
    }
    const byField = FIELDS.map((_, field) => postings.get(field));
    const needed =
      HEAD + 2 * byField.reduce((n, docs) => n + (docs?.size ?? 0), 0);
    if (at + needed > out.length) {
      if (at > 0) yield new Uint8Array(out.buffer, 0, at * 4);
      out = new Uint32Array(Math.max(chunk / 4, needed));
      at = 0;
    }
    for (const docs of byField) out[at++] = docs?.size ?? 0;
    for (const docs of byField) {
      for (const [doc, tf] of docs ?? []) {
        out[at++] = doc;
        out[at++] = tf;
      }
    }
  }
  if (at > 0) yield new Uint8Array(out.buffer, 0, at * 4);
}

/**
 * Collects the postings of a bulk build as (term and field, document, frequency) triples in
 * one growing typed array, then packs them as readPostings reads them: for 100,000 statements,
 * about 12 bytes per posting instead of a Map entry per document in a Map per field per term,
 * which was most of a cold build's peak memory. Documents must come in ascending order.
 */
export class PostingsBuilder {
  private triples = new Uint32Array(3 * 65536);
  private length = 0;

  /** Records that `doc` holds term number `term` `tf` times in field `field`. */
  add(term: number, field: number, doc: number, tf: number): void {
    if (this.length + 3 > this.triples.length) {
      const grown = new Uint32Array(this.triples.length * 2);
      grown.set(this.triples);
      this.triples = grown;
    }
    this.triples[this.length++] = term * HEAD + field;
    this.triples[this.length++] = doc;
    this.triples[this.length++] = tf;
  }

  /**
   * The postings of terms 0 … `terms.length - 1`, packed (a counting sort by term and field,
   * stable, so documents stay ascending), each as a lazily decoded Postings.
   */
  finish(terms: string[]): Generator<[string, Postings]> {
    const keys = terms.length * HEAD;
    const triples = this.triples;
    const count = new Uint32Array(keys);
    for (let i = 0; i < this.length; i += 3) count[triples[i]!]!++;
    // Where each key's pairs start: after its term's head and the earlier fields' pairs.
    const start = new Float64Array(keys);
    let at = 0;
    for (let term = 0; term < terms.length; term++) {
      const base = term * HEAD;
      at += HEAD;
      for (let field = 0; field < HEAD; field++) {
        start[base + field] = at;
        at += 2 * count[base + field]!;
      }
    }
    const data = new Uint32Array(at);
    for (let term = 0; term < terms.length; term++) {
      const base = term * HEAD;
      const head = start[base]! - HEAD;
      for (let field = 0; field < HEAD; field++)
        data[head + field] = count[base + field]!;
    }
    for (let i = 0; i < this.length; i += 3) {
      const key = triples[i]!;
      const to = start[key]!;
      data[to] = triples[i + 1]!;
      data[to + 1] = triples[i + 2]!;
      start[key] = to + 2;
    }
    this.triples = new Uint32Array(0);
    this.length = 0;
    return readPostings(data, terms);
  }
}
