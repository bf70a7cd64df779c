import path from "node:path";
import { buildCorpus, type Corpus } from "../src/engines/memory/corpus.ts";
import { loadStatements, type LoadResult } from "../src/ingest/load.ts";
import type { Archive } from "../src/archive.ts";
import { MemoryArchive } from "../src/engines/memory/archive.ts";
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

/** The fixture statements as read, for archives that add to them. */
export async function fixtureStatements() {
  return (await fixtureLoad()).result.statements;
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
