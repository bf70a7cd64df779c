import MiniSearch, { type AsPlainObject, type Options } from "minisearch";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { terms } from "../../../text/terms.ts";

/** The fields MiniSearch indexes, in the order of their field ids. */
export const FIELDS = ["title", "body"] as const;

interface IndexedDocument {
  id: string;
  title: string[];
  body: string[];
}

// MiniSearch gets each field already split by text.ts: it indexes exactly our terms.
const options: Options<IndexedDocument> = {
  fields: [...FIELDS],
  storeFields: [],
  extractField: (doc, field) => doc[field as keyof IndexedDocument],
  stringifyField: (value) => value,
  // Fields arrive as term arrays; a query string (MiniSearch's own search) goes through terms().
  tokenize: (value) => (Array.isArray(value) ? value : terms(value)),
  processTerm: (term) => term,
};

/** For each term: per field id, the term frequency in each document (by MiniSearch's short id). */
export type Postings = Map<number, Map<number, number>>;

/** What a snapshot keeps of the index besides the postings: MiniSearch's own bookkeeping. */
export type IndexMeta = Omit<AsPlainObject, "index">;

/**
 * MiniSearch's inverted index, and the only code that knows its internals. MiniSearch owns
 * the index: its radix tree, its postings, its document ids, its `search`, `discard` and JSON.
 * Readout reads the postings directly because MiniSearch's `search` cannot weight expansions,
 * bound them or rank top-k, and adds documents with their term frequencies counted once
 * rather than one tree lookup per word. The constructor checks that the private members it
 * uses exist with the shapes written for MiniSearch 7.2 (the version package.json pins), and
 * a saved index records `MINISEARCH_VERSION`, so an upgrade rebuilds old saved indexes rather
 * than reading postings laid out by another version. Tests check that both shortcuts give
 * what MiniSearch gives.
 */
export class TermIndex {
  private readonly inner: MiniSearchInternals;

  private constructor(readonly miniSearch: MiniSearch<IndexedDocument>) {
    const inner = miniSearch as unknown as MiniSearchInternals;
    const ok =
      typeof inner._index?.fetch === "function" &&
      typeof inner._index.atPrefix === "function" &&
      inner._idToShortId instanceof Map &&
      inner._fieldIds?.body === 1 &&
      typeof inner.addDocumentId === "function" &&
      typeof inner.addFieldLength === "function";
    if (!ok)
      throw new Error(
        `term-index: MiniSearch ${MINISEARCH_VERSION}'s internals are not those of version 7.2 that Readout reads; pin minisearch@7.2.0`,
      );
    this.inner = inner;
  }

  static create(): TermIndex {
    return new TermIndex(new MiniSearch<IndexedDocument>(options));
  }

  /** Rebuilds an index from its parts, as a snapshot holds them. */
  static restore(
    meta: IndexMeta,
    postings: Iterable<[string, Postings]>,
  ): TermIndex {
    const miniSearch = MiniSearch.loadJS<IndexedDocument>(
      { ...meta, index: [] },
      options,
    );
    const index = new TermIndex(miniSearch);
    for (const [term, data] of postings) index.inner._index.set(term, data);
    return index;
  }

  /**
   * Indexes one document from its fields' terms and returns its short id. Does what
   * MiniSearch's `add` does, but counts each term once per field instead of once per word.
   */
  add(id: string, fields: readonly (readonly string[])[]): number {
    return this.addCounted(
      id,
      fields.map((words) => {
        const counts = new Map<string, number>();
        for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
        return {
          postings: [...counts.keys()].map((t) => this.postingsFor(t)),
          counts: [...counts.values()],
        };
      }),
    );
  }

  /**
   * Indexes one document given, for each field, the postings of its distinct terms (from
   * `postingsFor`) and how often each occurs. A bulk add keeps the postings of a term it has
   * seen instead of walking the tree again for every document that has it.
   */
  addCounted(
    id: string,
    fields: readonly { postings: Postings[]; counts: ArrayLike<number> }[],
  ): number {
    const inner = this.inner;
    if (inner._idToShortId.has(id))
      throw new Error(`term-index: duplicate id "${id}"`);
    const doc = inner.addDocumentId(id);
    fields.forEach(({ postings, counts }, field) => {
      inner.addFieldLength(
        doc,
        field,
        inner._documentCount - 1,
        postings.length,
      );
      for (let i = 0; i < postings.length; i++) {
        const data = postings[i]!;
        let docs = data.get(field);
        if (!docs) data.set(field, (docs = new Map()));
        docs.set(doc, counts[i]!);
      }
    });
    return doc;
  }

  /**
   * Gives a document its short id and field lengths (distinct terms per field), without
   * postings: a bulk build adds those afterwards, all at once, with `insert`.
   */
  addLengths(id: string, distinct: readonly number[]): number {
    const inner = this.inner;
    if (inner._idToShortId.has(id))
      throw new Error(`term-index: duplicate id "${id}"`);
    const doc = inner.addDocumentId(id);
    distinct.forEach((n, field) =>
      inner.addFieldLength(doc, field, inner._documentCount - 1, n),
    );
    return doc;
  }

  /** Puts terms' postings into the tree; each term must be new to it. */
  insert(postings: Iterable<[string, Postings]>): void {
    for (const [term, data] of postings) this.inner._index.set(term, data);
  }

  /** A term's postings, created empty in the tree when the term is new. */
  postingsFor(term: string): Postings {
    return this.inner._index.fetch(term, () => new Map());
  }

  /** Takes a document out; MiniSearch drops its postings later, in the background. */
  remove(id: string): void {
    this.miniSearch.discard(id);
  }

  /** Number of documents indexed. */
  get size(): number {
    return this.inner._documentCount;
  }

  /** One more than the largest short id: the length of per-document arrays. */
  get capacity(): number {
    return this.inner._nextId;
  }

  postings(term: string): Postings | undefined {
    return this.inner._index.get(term);
  }

  /** Documents containing the term in any field. */
  frequency(term: string): number {
    return countDocs(this.inner._index.get(term));
  }

  /** Every indexed term that starts with `prefix`, with its frequency. */
  *withPrefix(prefix: string): Generator<[string, number]> {
    for (const [term, postings] of this.inner._index.atPrefix(prefix))
      yield [term, countDocs(postings)];
  }

  /** Indexed terms within `distance` edits of `term`, with their frequency and distance. */
  near(term: string, distance: number): [string, number, number][] {
    return [...this.inner._index.fuzzyGet(term, distance)].map(
      ([t, [postings, d]]) => [t, countDocs(postings), d],
    );
  }

  shortId(id: string): number | undefined {
    return this.inner._idToShortId.get(id);
  }

  /** Every term with its postings, for a snapshot. */
  entries(): Iterable<[string, Postings]> {
    return this.inner._index.entries();
  }

  /** MiniSearch's bookkeeping, for a snapshot. */
  meta(): IndexMeta {
    const inner = this.inner;
    return {
      documentCount: inner._documentCount,
      nextId: inner._nextId,
      documentIds: Object.fromEntries(inner._documentIds),
      fieldIds: inner._fieldIds,
      fieldLength: Object.fromEntries(inner._fieldLength),
      averageFieldLength: inner._avgFieldLength,
      storedFields: {},
      dirtCount: inner._dirtCount,
      serializationVersion: 2,
    };
  }
}

interface MiniSearchInternals {
  _index: {
    get(term: string): Postings | undefined;
    set(term: string, postings: Postings): void;
    fetch(term: string, initial: () => Postings): Postings;
    atPrefix(prefix: string): Iterable<[string, Postings]>;
    fuzzyGet(term: string, distance: number): Map<string, [Postings, number]>;
    entries(): Iterable<[string, Postings]>;
  };
  _documentCount: number;
  _nextId: number;
  _fieldIds: Record<string, number>;
  _idToShortId: Map<string, number>;
  _documentIds: Map<number, string>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _dirtCount: number;
  addDocumentId(id: string): number;
  addFieldLength(
    doc: number,
    field: number,
    count: number,
    length: number,
  ): void;
}

// Documents holding the term in any field: the body's, plus title-only ones. Postings still
// packed (a snapshot's, postings.ts) count themselves without being decoded.
function countDocs(
  postings: (Postings & { docCount?(): number | undefined }) | undefined,
): number {
  if (!postings) return 0;
  const packed = postings.docCount?.();
  if (packed !== undefined) return packed;
  const title = postings.get(0);
  const body = postings.get(1);
  if (!title || !body) return (title ?? body)?.size ?? 0;
  let n = body.size;
  for (const doc of title.keys()) if (!body.has(doc)) n++;
  return n;
}

/** The installed MiniSearch's version, from its package.json (which it does not export). */
export const MINISEARCH_VERSION = installedVersion();

function installedVersion(): string {
  let dir = path.dirname(createRequire(import.meta.url).resolve("minisearch"));
  for (;;) {
    const file = path.join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "minisearch" && pkg.version) return pkg.version;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return "unknown";
    dir = parent;
  }
}
