import { fieldName } from "../../query/fields.ts";
import { dateSortKey, dateSpan, dayNumber } from "../../text/dates.ts";
import { exampleQueries } from "../../text/examples.ts";
import type { Statement } from "../../ingest/statement.ts";
import { SEPARATOR, type Overview } from "../store.ts";
import { FIELDS, TermIndex, type Postings } from "./minisearch/term-index.ts";
import { PostingsBuilder } from "./minisearch/postings.ts";
import { terms } from "../../text/terms.ts";
import { hashTerm } from "../../versions/shingles.ts";
import { VersionIndex } from "../../versions/version-index.ts";

export { FIELDS, TermIndex, type Postings } from "./minisearch/term-index.ts";

/** A metadata field (source, country, category …): its distinct values and each document's. */
export interface FieldValues {
  values: string[];
  /** Position of each value in `values`. */
  lookup: Map<string, number>;
  /** Index into `values` by short id; -1 where the document has none. */
  byDoc: Int32Array;
}

export { SEPARATOR } from "../store.ts";

/**
 * The numbers kept per statement, one typed array each, indexed by short id: each column's
 * array type and the value of a slot that holds no statement. Declared once; the arrays are
 * made, grown, filled and emptied from this table.
 */
const COLUMNS = {
  /** Words in the title. */
  titleWords: { type: Float64Array, empty: 0 },
  /** Words in the body. */
  bodyWords: { type: Float64Array, empty: 0 },
  /** First and last calendar day the statement's date covers (days since 1970). */
  firstDay: { type: Float64Array, empty: NaN },
  lastDay: { type: Float64Array, empty: NaN },
  /** Orders statements by date; undated ones sort as -Infinity. */
  dateKey: { type: Float64Array, empty: -Infinity },
  /** The year of the statement's date; 0 when undated. */
  year: { type: Int32Array, empty: 0 },
} as const;

type ColumnName = keyof typeof COLUMNS;
type Columns = {
  [K in ColumnName]: InstanceType<(typeof COLUMNS)[K]["type"]>;
};
const COLUMN_NAMES = Object.keys(COLUMNS) as ColumnName[];

/** The column of word counts for each of MiniSearch's fields, by field id. */
export const WORDS: readonly ColumnName[] = FIELDS.map(
  (field: string) => `${field}Words` as ColumnName,
);

/**
 * The searchable archive. Everything per statement is kept in arrays by MiniSearch's short
 * id, so search loops read numbers, not objects.
 *
 * A removed statement leaves a hole at its short id (short ids are never reused):
 * `statements[doc]` and `positions[doc]` are undefined, its columns and field values hold
 * their `empty` values, and MiniSearch keeps its postings until it vacuums them. Every loop
 * over postings or over a whole column must skip a doc whose `statements[doc]` is undefined;
 * `evaluate` does so for postings, and `everything` lists live statements only.
 */
export interface Corpus extends Columns {
  index: TermIndex;
  /** Statements by short id; undefined where one was removed. */
  statements: (Statement | undefined)[];
  byId: Map<string, Statement>;
  /** Every distinct term, numbered; positions hold these numbers. */
  vocabulary: Map<string, number>;
  /** The terms by their number. */
  words: string[];
  /** Each term's `hashTerm`, by its number: a body's words for version grouping, without tokenizing again. */
  termHashes: number[];
  /** Near-duplicate groups of the statements, kept current as they come and go. */
  versions: VersionIndex;
  positions: (Uint32Array | undefined)[];
  /** `source` and every metadata key. */
  fields: Map<string, FieldValues>;
  overview: Overview;
  /** Grows with every change, so caches of derived data know when they are stale. */
  generation: number;
}

/** Indexes the statements; `onProgress` hears the count every 1,000. */
export function buildCorpus(
  statements: Statement[],
  onProgress?: (done: number) => void,
): Corpus {
  const corpus = createCorpus(TermIndex.create());
  addStatements(corpus, statements, onProgress);
  return corpus;
}

/** An empty corpus over an index (a new one, or one restored from a snapshot). */
export function createCorpus(index: TermIndex, capacity = 0): Corpus {
  const columns = Object.fromEntries(
    COLUMN_NAMES.map((name) => [name, column(name, capacity)]),
  ) as Columns;
  return {
    ...columns,
    index,
    statements: [],
    byId: new Map(),
    vocabulary: new Map(),
    words: [],
    termHashes: [],
    versions: new VersionIndex(),
    positions: [],
    fields: new Map(),
    overview: describe([]),
    generation: 0,
  };
}

function column<K extends ColumnName>(name: K, size: number): Columns[K] {
  const { type, empty } = COLUMNS[name];
  return new type(size).fill(empty) as Columns[K];
}

/** Indexes statements whose ids are new; throws on an id already indexed. */
export function addStatements(
  corpus: Corpus,
  statements: Statement[],
  onProgress?: (done: number) => void,
): void {
  reserve(corpus, corpus.index.capacity + statements.length);
  // Into an empty index, the postings are collected packed and handed to it at the end.
  const bulk =
    corpus.index.capacity === 0 && statements.length > 0
      ? new PostingsBuilder()
      : undefined;
  // Valid for this synchronous loop only: MiniSearch may drop emptied terms between calls.
  const postingsById: Postings[] = [];
  const counting = new Counter();
  statements.forEach((statement, i) => {
    const positions = termIds(
      corpus,
      terms(statement.title),
      terms(statement.body),
    );
    const separator = positions.indexOf(SEPARATOR);
    const ranges = [
      [0, separator],
      [separator + 1, positions.length],
    ] as const;
    let doc: number;
    if (bulk) {
      const counted = ranges.map(([from, to]) =>
        counting.count(positions, from, to),
      );
      doc = corpus.index.addLengths(
        statement.id,
        counted.map((c) => c.ids.length),
      );
      counted.forEach(({ ids, counts }, field) => {
        for (let t = 0; t < ids.length; t++)
          bulk.add(ids[t]!, field, doc, counts[t]!);
      });
    } else {
      const field = ([from, to]: readonly [number, number]) => {
        const { ids, counts } = counting.count(positions, from, to);
        const postings = ids.map(
          (id) =>
            (postingsById[id] ??= corpus.index.postingsFor(corpus.words[id]!)),
        );
        return { postings, counts };
      };
      doc = corpus.index.addCounted(statement.id, ranges.map(field));
    }
    place(corpus, doc, statement, positions);
    if (onProgress && (i + 1) % 1000 === 0) onProgress(i + 1);
  });
  if (bulk) corpus.index.insert(bulk.finish(corpus.words));
  corpus.versions.update([], statements, (s) => bodyWords(corpus, s));
  changed(corpus);
}

/** A statement's body words as `hashTerm`s, read from its positions in the index. */
export function bodyWords(corpus: Corpus, statement: Statement): Uint32Array {
  const doc = corpus.index.shortId(statement.id);
  const positions = doc === undefined ? undefined : corpus.positions[doc];
  if (!positions) return new Uint32Array(0);
  const body = positions.subarray(positions.indexOf(SEPARATOR) + 1);
  const out = new Uint32Array(body.length);
  for (let i = 0; i < body.length; i++) out[i] = corpus.termHashes[body[i]!]!;
  return out;
}

/** Counts term ids in a range with a reusable array, not a Map per document. */
class Counter {
  private counts = new Int32Array(1024);

  count(
    ids: Uint32Array,
    from: number,
    to: number,
  ): { ids: number[]; counts: number[] } {
    const distinct: number[] = [];
    for (let i = from; i < to; i++) {
      const id = ids[i]!;
      if (id >= this.counts.length) {
        const bigger = new Int32Array(Math.max(id + 1, this.counts.length * 2));
        bigger.set(this.counts);
        this.counts = bigger;
      }
      if (this.counts[id]!++ === 0) distinct.push(id);
    }
    const counts = distinct.map((id) => this.counts[id]!);
    for (const id of distinct) this.counts[id] = 0;
    return { ids: distinct, counts };
  }
}

/**
 * Puts a statement, already in the index under short id `doc`, into the per-statement arrays:
 * what adding does after indexing, and what restoring a snapshot does for each statement.
 */
export function place(
  corpus: Corpus,
  doc: number,
  statement: Statement,
  positions: Uint32Array,
): void {
  reserve(corpus, doc + 1);
  corpus.byId.set(statement.id, statement);
  corpus.statements[doc] = statement;
  corpus.positions[doc] = positions;
  const separator = positions.indexOf(SEPARATOR);
  corpus.titleWords[doc] = separator;
  corpus.bodyWords[doc] = positions.length - separator - 1;
  if (statement.date) {
    const { first, last } = dateSpan(statement.date);
    corpus.firstDay[doc] = dayNumber(first);
    corpus.lastDay[doc] = dayNumber(last);
    corpus.dateKey[doc] = dateSortKey(statement.date);
    corpus.year[doc] = Number(first.slice(0, 4));
  }
  setField(corpus, "source", doc, statement.source);
  setField(corpus, "lang", doc, statement.lang);
  // Under the name URLs, facets and the query language know it by (`year` → `meta_year`).
  for (const [key, value] of Object.entries(statement.meta))
    setField(corpus, fieldName(key), doc, value);
}

/** Takes statements out of the index and the arrays; unknown ids are ignored. */
export function removeStatements(corpus: Corpus, ids: Iterable<string>): void {
  const list = [...ids];
  corpus.versions.update(list, []);
  for (const id of list) {
    const doc = corpus.index.shortId(id);
    if (doc === undefined) continue;
    corpus.index.remove(id);
    corpus.byId.delete(id);
    corpus.statements[doc] = undefined;
    corpus.positions[doc] = undefined;
    for (const name of COLUMN_NAMES) corpus[name][doc] = COLUMNS[name].empty;
    for (const field of corpus.fields.values()) field.byDoc[doc] = -1;
  }
  changed(corpus);
}

/** Recomputes what depends on the whole archive after statements came or went. */
export function changed(corpus: Corpus): void {
  corpus.overview = describe(
    corpus.statements.filter((s): s is Statement => s !== undefined),
  );
  corpus.generation++;
}

/** The term ids of a statement's words, title first: new terms get the next numbers. */
function termIds(corpus: Corpus, title: string[], body: string[]): Uint32Array {
  const ids = new Uint32Array(title.length + 1 + body.length);
  const id = (term: string) => {
    let n = corpus.vocabulary.get(term);
    if (n === undefined) {
      n = corpus.words.push(term) - 1;
      corpus.termHashes.push(hashTerm(term));
      corpus.vocabulary.set(term, n);
    }
    return n;
  };
  title.forEach((term, i) => (ids[i] = id(term)));
  ids[title.length] = SEPARATOR;
  body.forEach((term, i) => (ids[title.length + 1 + i] = id(term)));
  return ids;
}

// Typed arrays cannot grow: when a short id passes their end, copy into arrays twice as long.
function reserve(corpus: Corpus, needed: number): void {
  const size = corpus.year.length;
  if (needed <= size) return;
  const next = Math.max(needed, size * 2, 64);
  for (const name of COLUMN_NAMES) {
    const grown = column(name, next);
    grown.set(corpus[name]);
    Object.assign(corpus, { [name]: grown });
  }
  for (const field of corpus.fields.values()) {
    const grown = new Int32Array(next).fill(-1);
    grown.set(field.byDoc);
    field.byDoc = grown;
  }
}

function setField(corpus: Corpus, key: string, doc: number, value?: string) {
  if (value === undefined) return;
  let field = corpus.fields.get(key);
  if (!field) {
    field = {
      values: [],
      lookup: new Map(),
      byDoc: new Int32Array(corpus.year.length).fill(-1),
    };
    corpus.fields.set(key, field);
  }
  let v = field.lookup.get(value);
  if (v === undefined)
    field.lookup.set(value, (v = field.values.push(value) - 1));
  field.byDoc[doc] = v;
}

function describe(statements: Statement[]): Overview {
  const sources = new Map<string, number>();
  let firstDate: string | undefined;
  let lastDate: string | undefined;
  const languages = new Map<string, number>();
  let withoutSource = 0;
  for (const { date, source, lang } of statements) {
    if (source) sources.set(source, (sources.get(source) ?? 0) + 1);
    else withoutSource += 1;
    if (lang) languages.set(lang, (languages.get(lang) ?? 0) + 1);
    if (date && (!firstDate || dateSortKey(date) < dateSortKey(firstDate)))
      firstDate = date;
    if (date && (!lastDate || dateSortKey(date) > dateSortKey(lastDate)))
      lastDate = date;
  }
  return {
    statements: statements.length,
    ...(firstDate ? { firstDate } : {}),
    ...(lastDate ? { lastDate } : {}),
    sources: [...sources]
      .map(([name, count]) => ({ name, count }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
    withoutSource,
    languages: [...languages]
      .map(([code, count]) => ({ code, count }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    examples: exampleQueries(statements.map((s) => s.title)),
  };
}

const caches = new WeakMap<
  Corpus,
  { generation: number; values: Map<string, unknown> }
>();

/**
 * A value computed from the whole corpus (field lengths, facet fields), kept until the corpus
 * changes: statements added or removed bump its generation and empty the cache.
 */
export function derived<T>(corpus: Corpus, key: string, compute: () => T): T {
  let cache = caches.get(corpus);
  if (!cache || cache.generation !== corpus.generation)
    caches.set(
      corpus,
      (cache = { generation: corpus.generation, values: new Map() }),
    );
  if (!cache.values.has(key)) cache.values.set(key, compute());
  return cache.values.get(key) as T;
}
