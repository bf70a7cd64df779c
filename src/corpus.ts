import MiniSearch, { type Options } from "minisearch";
import { dateSortKey, dateSpan } from "./dates.ts";
import { exampleQueries } from "./examples.ts";
import type { Statement } from "./ingest/statement.ts";
import { terms } from "./text.ts";

/** The fields MiniSearch indexes, in the order of their field ids. */
export const FIELDS = ["title", "body"] as const;
export type TextField = (typeof FIELDS)[number];

// MiniSearch gets each field already split by text.ts: it indexes exactly our terms.
const indexOptions: Options<IndexedDocument> = {
  fields: [...FIELDS],
  storeFields: [],
  extractField: (doc, field) => doc[field as keyof IndexedDocument],
  stringifyField: (value) => value,
  // Fields arrive as term arrays; a query string (MiniSearch's own search) goes through terms().
  tokenize: (value) => (Array.isArray(value) ? value : terms(value)),
  processTerm: (term) => term,
};

interface IndexedDocument {
  id: string;
  title: string[];
  body: string[];
}

/** For each term: per field id, the term frequency in each document (by MiniSearch's short id). */
export type Postings = Map<number, Map<number, number>>;

/**
 * Read access to MiniSearch's inverted index. MiniSearch owns the index (building, storing,
 * loading); its public `search` cannot weight expansions, bound them or rank top-k, so search.ts
 * scores from the postings directly. This class is the only code that knows MiniSearch's
 * internals; the constructor checks they are as expected (minisearch is pinned to 7.2).
 */
export class TermIndex {
  private readonly inner: MiniSearchInternals;

  constructor(readonly miniSearch: MiniSearch<IndexedDocument>) {
    const inner = miniSearch as unknown as MiniSearchInternals;
    const ok =
      inner._index?.atPrefix instanceof Function &&
      inner._index.fuzzyGet instanceof Function &&
      inner._idToShortId instanceof Map &&
      inner._fieldIds?.body === 1;
    if (!ok)
      throw new Error(
        "corpus: MiniSearch's internals are not those of version 7.2; pin minisearch@7.2.0",
      );
    this.inner = inner;
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

  /** Documents containing the term in any field (an upper bound: the sum over fields). */
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
}

interface MiniSearchInternals {
  _index: {
    get(term: string): Postings | undefined;
    atPrefix(prefix: string): Iterable<[string, Postings]>;
    fuzzyGet(term: string, distance: number): Map<string, [Postings, number]>;
  };
  _documentCount: number;
  _nextId: number;
  _fieldIds: Record<string, number>;
  _idToShortId: Map<string, number>;
}

function countDocs(postings: Postings | undefined): number {
  let n = 0;
  if (postings) for (const docs of postings.values()) n += docs.size;
  return n;
}

/** A metadata field (source, country, category …): its distinct values and each document's. */
export interface FieldValues {
  values: string[];
  /** Position of each value in `values`. */
  lookup: Map<string, number>;
  /** Index into `values` by short id; -1 where the document has none. */
  byDoc: Int32Array;
}

/** Term ids by short id, title then a separator then body: what phrase checks read. */
export const SEPARATOR = 0xffffffff;

/** The searchable archive. */
export interface Corpus {
  index: TermIndex;
  /** Statements by short id. */
  statements: Statement[];
  byId: Map<string, Statement>;
  /** Every distinct term, numbered; positions hold these numbers. */
  vocabulary: Map<string, number>;
  positions: Uint32Array[];
  /** Words in the title and in the body, by short id. */
  lengths: [Float64Array, Float64Array];
  /** First and last calendar day each statement covers (days since 1970), NaN when undated. */
  firstDay: Float64Array;
  lastDay: Float64Array;
  /** Orders statements by date; -Infinity when undated. */
  dateKey: Float64Array;
  /** The year of each statement's date; 0 when undated. */
  year: Int32Array;
  /** `source` and every metadata key. */
  fields: Map<string, FieldValues>;
  overview: Overview;
}

/** What is in the archive, for the home page and /about. */
export interface Overview {
  statements: number;
  firstDate?: string;
  lastDate?: string;
  sources: { name: string; count: number }[];
  /** Statements that name no source. */
  withoutSource: number;
  /** Queries that find something here, for the home page. */
  examples: string[];
}

/** Indexes the statements; `onProgress` hears the count every 1,000. */
export function buildCorpus(
  statements: Statement[],
  onProgress?: (done: number) => void,
): Corpus {
  const miniSearch = new MiniSearch<IndexedDocument>(indexOptions);
  const index = new TermIndex(miniSearch);
  const n = statements.length;
  const corpus: Corpus = {
    index,
    statements: new Array<Statement>(n),
    byId: new Map(),
    vocabulary: new Map(),
    positions: new Array<Uint32Array>(n),
    lengths: [new Float64Array(n), new Float64Array(n)],
    firstDay: new Float64Array(n).fill(NaN),
    lastDay: new Float64Array(n).fill(NaN),
    dateKey: new Float64Array(n).fill(-Infinity),
    year: new Int32Array(n),
    fields: new Map(),
    overview: describe(statements),
  };
  for (const statement of statements) {
    if (corpus.byId.has(statement.id))
      throw new Error(`corpus: duplicate id "${statement.id}"`);
    const title = terms(statement.title);
    const body = terms(statement.body);
    miniSearch.add({ id: statement.id, title, body });
    const doc = index.shortId(statement.id)!;
    corpus.byId.set(statement.id, statement);
    corpus.statements[doc] = statement;
    corpus.positions[doc] = termIds(corpus.vocabulary, title, body);
    corpus.lengths[0][doc] = title.length;
    corpus.lengths[1][doc] = body.length;
    if (statement.date) {
      const { first, last } = dateSpan(statement.date);
      corpus.firstDay[doc] = Date.parse(first) / 86_400_000;
      corpus.lastDay[doc] = Date.parse(last) / 86_400_000;
      corpus.dateKey[doc] = dateSortKey(statement.date);
      corpus.year[doc] = Number(first.slice(0, 4));
    }
    setField(corpus.fields, "source", doc, n, statement.source);
    for (const [key, value] of Object.entries(statement.meta))
      setField(corpus.fields, key, doc, n, value);
    if (onProgress && corpus.byId.size % 1000 === 0)
      onProgress(corpus.byId.size);
  }
  return corpus;
}

function termIds(
  vocabulary: Map<string, number>,
  title: string[],
  body: string[],
): Uint32Array {
  const ids = new Uint32Array(title.length + 1 + body.length);
  const id = (term: string) => {
    let n = vocabulary.get(term);
    if (n === undefined) vocabulary.set(term, (n = vocabulary.size));
    return n;
  };
  title.forEach((term, i) => (ids[i] = id(term)));
  ids[title.length] = SEPARATOR;
  body.forEach((term, i) => (ids[title.length + 1 + i] = id(term)));
  return ids;
}

function setField(
  fields: Map<string, FieldValues>,
  key: string,
  doc: number,
  n: number,
  value?: string,
) {
  if (value === undefined) return;
  let field = fields.get(key);
  if (!field)
    fields.set(
      key,
      (field = {
        values: [],
        lookup: new Map(),
        byDoc: new Int32Array(n).fill(-1),
      }),
    );
  let v = field.lookup.get(value);
  if (v === undefined)
    field.lookup.set(value, (v = field.values.push(value) - 1));
  field.byDoc[doc] = v;
}

function describe(statements: Statement[]): Overview {
  const sources = new Map<string, number>();
  let firstDate: string | undefined;
  let lastDate: string | undefined;
  let withoutSource = 0;
  for (const { date, source } of statements) {
    if (source) sources.set(source, (sources.get(source) ?? 0) + 1);
    else withoutSource += 1;
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
    examples: exampleQueries(statements),
  };
}
