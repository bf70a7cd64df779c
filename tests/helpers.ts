import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { buildCorpus, type Corpus } from "../src/engines/memory/corpus.ts";
import { loadStatements, type LoadResult } from "../src/ingest/load.ts";
import {
  MemoryArchive,
  type Archive,
  type SearchPage,
} from "../src/archive.ts";
import { MemoryStore } from "../src/engines/memory/store.ts";
import type { SearchQuery } from "../src/query/params.ts";
import { runNow } from "../src/runtime/deadline.ts";
import type { QueryCache } from "../src/search/answers.ts";
import { searchSteps } from "../src/search/page.ts";
import { prepare } from "../src/search/plan.ts";
import { createApp, type AppOptions } from "../src/web/app.ts";
import { workspaceOf } from "../src/workspace/workspace.ts";

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

/** Splits CSV text into rows of cells (RFC 4180: quoted cells may hold commas, quotes, newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') ((cell += '"'), i++);
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") (row.push(cell), (cell = ""));
    else if (c === "\r" && text[i + 1] === "\n")
      (row.push(cell), rows.push(row), (row = []), (cell = ""), i++);
    else cell += c;
  }
  return rows;
}

/**
 * The fixture archive with a workspace in a folder of its own: a collection with notes and
 * tags, and a saved search whose matches are all new (it was never opened). For the browser
 * tests; `cleanup` removes the folder.
 */
export async function workspaceFixture(options: AppOptions = {}) {
  const { result } = await fixtureLoad();
  const dir = await mkdtemp(path.join(os.tmpdir(), "readout-ws-fixture-"));
  const archive = MemoryArchive.fromStatements(result.statements, {
    problems: result.problems,
    files: result.files,
    dataDir: fixtureData,
    workspaceDir: dir,
  });
  await archive.open();
  const workspace = workspaceOf(archive)!;
  const person = { name: "local", role: "editor" } as const;
  const evidence = await workspace.createCollection(
    person,
    "Ceasefire evidence",
  );
  await workspace.add(person, evidence.slug, {
    id: "seed-format-ceasefire",
    note: "The **first** joint text.\n\n- signed in Baku\n- see https://example.org/ceasefire",
    tags: "ceasefire, joint",
  });
  await workspace.add(person, evidence.slug, {
    id: "rec-sanctions-2023",
    note: "> A quote worth keeping.",
    tags: "sanctions",
  });
  const saved = await workspace.saveSearch(
    person,
    "Statements",
    "q=statement&mode=any",
  );
  await workspace.store.putSearch({ ...saved, seenAt: "" });
  return {
    archive,
    app: createApp(archive, { env: "test", ...options }),
    collection: evidence.slug,
    saved: saved.slug,
    cleanup: async () => {
      await archive.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
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
