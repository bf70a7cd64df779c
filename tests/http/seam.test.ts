import request from "supertest";
import { describe, expect, it } from "vitest";
import type { Archive, SearchPage } from "../../src/archive.ts";
import { escapeHtml } from "../../src/search/highlight.ts";
import type { SearchQuery } from "../../src/query/params.ts";
import { createApp } from "../../src/web/app.ts";

/**
 * An engine that is not one: canned answers behind the archive interface. The web layer
 * serving it proves that routes and views need nothing but the seam.
 */
function cannedArchive(asked: SearchQuery[]): Archive {
  const none = async () => undefined;
  return {
    open: async () => {},
    follow: () => {},
    close: async () => {},
    state: () => ({ phase: "ready", done: 1, startedAt: 0 }),
    overview: () => ({
      statements: 1,
      sources: [{ name: "Canned Ministry", count: 1 }],
      withoutSource: 0,
      languages: [],
      examples: ["canned"],
    }),
    fields: () => ["source"],
    capabilities: () => ({ history: false, originals: false }),
    about: async () => ({
      files: 1,
      loadSeconds: 0,
      origin: "a test double",
      readFiles: false,
      fields: ["source"],
      problems: [],
    }),
    async search(query): Promise<SearchPage> {
      asked.push(query);
      return {
        q: query.q,
        mode: query.mode,
        sort: query.sort,
        description: query.description,
        parsed: query.parsed,
        filters: query.filters,
        years: query.years,
        searched: true,
        total: 1,
        page: 1,
        size: query.size,
        pageCount: 1,
        relaxed: false,
        grouping: query.grouping,
        groups: 1,
        echoes: false,
        echoed: 0,
        tookMs: 1,
        notes: [],
        variants: [],
        facets: [
          {
            field: "source",
            values: [{ value: "Canned Ministry", count: 1, selected: false }],
          },
        ],
        hits: [
          {
            id: "canned-1",
            title: "A canned <statement>",
            titleHtml: escapeHtml("A canned <statement>"),
            source: "Canned Ministry",
            score: 1,
            snippet: escapeHtml("Served by a double of the archive."),
          },
        ],
      };
    },
    count: async () => 1,
    stream: async () => ({ total: 0, hits: (async function* () {})() }),
    statement: none,
    complete: async (q) => ({ q, completions: [] }),
    original: none,
    diff: none,
    change: none,
  };
}

describe("the web layer over a double of the archive interface", () => {
  it("serves the results page and its JSON twin from the double's answer", async () => {
    const asked: SearchQuery[] = [];
    const app = createApp(cannedArchive(asked), { env: "test" });
    const page = await request(app).get("/search?q=canned").expect(200);
    expect(page.text).toContain(
      '<a href="/statements/canned-1?q=canned">A canned &lt;statement&gt;</a>',
    );
    expect(page.text).toContain("Served by a double of the archive.");
    const json = await request(app).get("/search.json?q=canned").expect(200);
    expect(json.body.hits.map((h: { id: string }) => h.id)).toEqual([
      "canned-1",
    ]);
    expect(asked.map((q) => q.q)).toEqual(["canned", "canned"]);
    await request(app).get("/statements/canned-1").expect(404);
  });

  it("asks for no original or earlier text of an engine that says it keeps none", async () => {
    const refuse = async () => {
      throw new Error("asked for what the engine said it cannot give");
    };
    const archive: Archive = {
      ...cannedArchive([]),
      statement: async (id) => ({
        statement: {
          id,
          title: "Canned",
          body: "Served by a double.",
          meta: {},
          origin: { file: "canned.txt" },
        },
        titleHtml: escapeHtml("Canned"),
        paragraphs: [escapeHtml("Served by a double.")],
        matches: 0,
        part: 1,
        parts: 1,
        related: [],
        versions: [],
      }),
      original: refuse,
      change: refuse,
    };
    const app = createApp(archive, { env: "test" });
    const page = await request(app).get("/statements/canned-1").expect(200);
    expect(page.text).toContain("Served by a double.");
    expect(page.text).not.toContain("/originals/");
    await request(app).get("/statements/canned-1/changes/1").expect(200);
  });
});
