import MiniSearch, { type Options, type SearchOptions } from "minisearch";
import { dateSortKey } from "./dates.ts";
import type { Statement } from "./ingest/statement.ts";
import { exampleQueries } from "./examples.ts";
import { terms } from "./text.ts";

/** What MiniSearch indexes of a statement; everything else stays in `Corpus.byId`. */
interface IndexedDocument {
  id: string;
  title: string;
  body: string;
}

/**
 * Every search decision in one place. AND between words is the default because a researcher
 * adding a word means "narrow this down"; search.ts falls back to OR when AND finds nothing.
 */
export const searchDefaults: SearchOptions = {
  fields: ["title", "body"],
  boost: { title: 2 },
  combineWith: "AND",
  prefix: false,
  fuzzy: false,
};

export const indexOptions: Options<IndexedDocument> = {
  fields: ["title", "body"],
  // Full texts live once, in byId; the index stores nothing but postings.
  storeFields: [],
  tokenize: terms,
  // Terms arrive normalized from `terms`, the same function the query and highlighter use.
  processTerm: (term) => term,
  searchOptions: searchDefaults,
};

/** The searchable archive: the index, the statements by id, and what the home page says. */
export interface Corpus {
  index: MiniSearch<IndexedDocument>;
  byId: Map<string, Statement>;
  /** Date sort keys by id, for "newest first" and for breaking ties in score. */
  dateKeys: Map<string, number>;
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
  const index = new MiniSearch<IndexedDocument>(indexOptions);
  const byId = new Map<string, Statement>();
  const dateKeys = new Map<string, number>();
  for (const statement of statements) {
    if (byId.has(statement.id))
      throw new Error(`corpus: duplicate id "${statement.id}"`);
    byId.set(statement.id, statement);
    if (statement.date) dateKeys.set(statement.id, dateSortKey(statement.date));
    index.add({
      id: statement.id,
      title: statement.title,
      body: statement.body,
    });
    if (onProgress && byId.size % 1000 === 0) onProgress(byId.size);
  }
  return { index, byId, dateKeys, overview: describe(statements) };
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
