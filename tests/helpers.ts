import path from "node:path";
import { buildCorpus, type Corpus } from "../src/engines/memory/corpus.ts";
import { loadStatements, type LoadResult } from "../src/ingest/load.ts";
import type { Archive } from "../src/archive.ts";
import { MemoryArchive, type SearchPage } from "../src/archive.ts";
import { MemoryStore } from "../src/engines/memory/store.ts";
import type { SearchQuery } from "../src/query/params.ts";
import { runNow } from "../src/runtime/deadline.ts";
import type { QueryCache } from "../src/search/answers.ts";
import { searchSteps } from "../src/search/page.ts";
import { prepare } from "../src/search/plan.ts";
import { createApp } from "../src/web/app.ts";

export const fixtures = path.join(import.meta.dirname, "fixtures");
export const fixtureData = path.join(fixtures, "data");

let loaded: Promise<{ result: LoadResult; corpus: Corpus }> | undefined;

/** The fixture statements, read and indexed once for the whole test run. */
export async function fixtureCorpus(): Promise<Corpus> {
  return (await fixtureLoad()).corpus;
}

function fixtureLoad() {
  loaded ??= loadStatements(fixtureData).then((result) => ({
    result,
    corpus: buildCorpus(result.statements),
  }));
  return loaded;
}

/** The fixture archive, as the web and the CLI see it. */
export async function fixtureArchive(): Promise<Archive> {
  const { result } = await fixtureLoad();
  return MemoryArchive.fromStatements(result.statements, {
    problems: result.problems,
    files: result.files,
    dataDir: fixtureData,
  });
}

/** The real Express app over the fixtures, as the HTTP tests drive it. */
export async function fixtureApp() {
  return createApp(await fixtureArchive(), { env: "test" });
}

const stores = new WeakMap<Corpus, MemoryStore>();

/** The store over a corpus in hand, one per corpus (what the pipeline keeps per store stays). */
export function storeOf(corpus: Corpus): MemoryStore {
  let store = stores.get(corpus);
  if (!store) stores.set(corpus, (store = MemoryStore.fromCorpus(corpus)));
  return store;
}

/** A results page for a corpus in hand, searched at once (the pipeline over its store). */
export function searchCorpus(
  corpus: Corpus,
  query: SearchQuery,
  cache?: QueryCache,
): SearchPage {
  return runNow(searchSteps(storeOf(corpus), query, cache));
}

/** What a results page marks for a query: its words with their variants, and its phrases. */
export function specOf(corpus: Corpus, query: SearchQuery) {
  return runNow(prepare(storeOf(corpus), query)).spec;
}
