import path from "node:path";
import { buildCorpus, type Corpus } from "../src/engines/memory/corpus.ts";
import { loadStatements, type LoadResult } from "../src/ingest/load.ts";
import { createApp, type Archive } from "../src/web/app.ts";

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

export async function fixtureArchive(): Promise<Archive> {
  const { result, corpus } = await fixtureLoad();
  return {
    corpus,
    problems: result.problems,
    files: result.files,
    dataDir: fixtureData,
    loadMs: 12,
    state: { phase: "ready", done: corpus.index.size, startedAt: 0 },
  };
}

/** The real Express app over the fixtures, as the HTTP tests drive it. */
export async function fixtureApp() {
  return createApp(await fixtureArchive(), { env: "test" });
}
