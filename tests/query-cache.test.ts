import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { SearchPage } from "../src/archive.ts";
import type { Corpus } from "../src/engines/memory/corpus.ts";
import { Library } from "../src/engines/memory/library.ts";
import { QueryCache, queryKey } from "../src/search/answers.ts";
import { searchCorpus as search } from "./helpers.ts";
import { parseQuery } from "../src/query/params.ts";
import { fixtureCorpus, fixtureData } from "./helpers.ts";

const folders: string[] = [];
afterEach(async () => {
  for (const dir of folders.splice(0))
    await rm(dir, { recursive: true, force: true });
});

const queryOf = (corpus: Corpus, params: Record<string, string>) =>
  parseQuery(params, corpus.fields.keys());

// The time a search took is the one thing allowed to differ.
const untimed = ({ tookMs: _took, ...page }: SearchPage) => page;

describe("QueryCache", () => {
  it("gives, for each query, page and order, the answer an uncached search gives", async () => {
    const corpus = await fixtureCorpus();
    const cache = new QueryCache();
    const requests: Record<string, string>[] = [
      { q: "the" },
      { q: "the", page: "2", size: "3" },
      { q: "the", sort: "newest", size: "3" },
      { q: "the", sort: "oldest", versions: "all" },
      { q: "statement" },
      { q: "statement", source: "Azerbaijan MFA" },
      { q: "statement", words: "exact" },
      { q: "the", page: "99", size: "3" },
      { q: '"joint statement"' },
      { q: "harbour OR flood", mode: "any" },
      { q: "ceasfire" },
      { q: "the", from: "2020", to: "2023" },
      { q: "", year: "2023" },
      { q: "" },
    ];
    for (const params of requests) {
      const query = queryOf(corpus, params);
      const fresh = untimed(search(corpus, query));
      expect(untimed(search(corpus, query, cache))).toEqual(fresh);
      expect(cache.get(corpus.generation, queryKey(query))).toBeDefined();
      expect(untimed(search(corpus, query, cache))).toEqual(fresh);
    }
    // Pages and orders of one query share its match set.
    expect(cache.size).toBe(10);
  });

  it("keeps one match set for the pages, sizes and orders of a query", async () => {
    const corpus = await fixtureCorpus();
    const cache = new QueryCache();
    const requests: Record<string, string>[] = [
      { q: "the" },
      { q: "the", page: "2", size: "2" },
      { q: "the", sort: "newest" },
      { q: "the", versions: "all" },
    ];
    for (const params of requests)
      search(corpus, queryOf(corpus, params), cache);
    expect(cache.size).toBe(1);
    search(corpus, queryOf(corpus, { q: "the", mode: "any" }), cache);
    expect(cache.size).toBe(2);
  });

  it("holds no more than its limit, dropping the least recently used", async () => {
    const corpus = await fixtureCorpus();
    const cache = new QueryCache({ entries: 2, bytes: 1e9 });
    const [a, b, c] = ["statement", "harbour", "flood"].map((q) =>
      queryOf(corpus, { q }),
    );
    search(corpus, a!, cache);
    search(corpus, b!, cache);
    search(corpus, a!, cache);
    search(corpus, c!, cache);
    expect(cache.size).toBe(2);
    expect(cache.get(corpus.generation, queryKey(a!))).toBeDefined();
    expect(cache.get(corpus.generation, queryKey(b!))).toBeUndefined();
  });

  it("keeps nothing when its limit is 0", async () => {
    const corpus = await fixtureCorpus();
    const cache = new QueryCache({ entries: 0, bytes: 1e9 });
    search(corpus, queryOf(corpus, { q: "the" }), cache);
    expect(cache.size).toBe(0);
  });

  it("is emptied when a file is added, changed or removed", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "readout-query-cache-"));
    folders.push(dir);
    await cp(fixtureData, dir, { recursive: true });
    const library = new Library({ dataDir: dir, cacheDir: null });
    await library.open();
    const cache = new QueryCache();
    const ids = (q: string) =>
      search(library.corpus!, queryOf(library.corpus!, { q }), cache).hits.map(
        (h) => h.id,
      );
    const file = path.join(dir, "live.txt");

    expect(ids("quokka")).toEqual([]);
    expect(ids("wombat")).toEqual([]);
    expect(cache.size).toBe(2);
    await writeFile(file, "Live statement\n\nAbout the quokka census.");
    await library.refresh();
    expect(ids("quokka")).toEqual(["live"]);
    expect(cache.size).toBe(1);

    await writeFile(file, "Live statement\n\nAbout the wombat census.");
    await library.refresh();
    expect(ids("quokka")).toEqual([]);
    expect(ids("wombat")).toEqual(["live"]);

    await rm(file);
    await library.refresh();
    expect(ids("wombat")).toEqual([]);
    await library.close();
  });
});
