import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryArchive } from "../src/archive.ts";
import { loadStatements } from "../src/ingest/load.ts";
import { advancedQuery, readAdvancedForm } from "../src/query/advanced.ts";
import { searchTimeLimit } from "../src/runtime/deadline.ts";
import { createApp } from "../src/web/app.ts";

// Every query a person is shown as an example (in /help, on the home page, as the advanced
// form's placeholders, in README.md and docs/*.md) finds statements in the bundled sample,
// with every word: an example that finds nothing teaches nothing.
//
// The PDFs and saved web pages of data/ are left out here: they take most of the time to read,
// and a query that finds a statement among the other files finds it in the whole folder too.

const root = path.resolve(import.meta.dirname, "..");
const TEXT_FORMATS = /\.(jsonl|json|md|txt)$/i;

let app: ReturnType<typeof createApp>;
// A search has a second of processor time; on a loaded machine a wide one (`negotiat*`) can
// take longer, and then a page would say so instead of what it found.
const limit = searchTimeLimit.seconds;
afterAll(() => {
  searchTimeLimit.seconds = limit;
});
beforeAll(async () => {
  searchTimeLimit.seconds = 60;
  const { statements } = await loadStatements(path.join(root, "data"), {
    include: (file) => TEXT_FORMATS.test(file),
  });
  app = createApp(MemoryArchive.fromStatements(statements), { env: "test" });
}, 120_000);

/** What a query finds here: how many statements have all its words, and the notes. */
async function found(q: string) {
  const { body } = await request(app)
    .get("/search.json")
    .query({ q, size: 1 })
    .expect(200);
  return { q, total: body.relaxed ? 0 : body.total, notes: body.notes };
}

// One after another: the app takes a few searches at once and refuses more (admission.ts).
async function unfound(queries: string[]) {
  const out = [];
  for (const q of new Set(queries)) {
    const r = await found(q);
    if (r.total === 0 || r.notes.length > 0) out.push(r);
  }
  return out;
}

/** The queries of every `/search?q=…` link in a page. */
function linkedQueries(html: string): string[] {
  return [...html.matchAll(/href="\/search\?([^"]*)"/g)]
    .map((m) => new URLSearchParams(m[1]!.replace(/&amp;/g, "&")).get("q"))
    .filter((q): q is string => Boolean(q));
}

/**
 * The examples of a Markdown file: the code in the first column of each table that follows a
 * `<!-- query examples … -->` comment, and every `/search?q=…` link. Code holding `…` is a
 * pattern, not an example.
 */
export function markdownExamples(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(
    /<!-- query examples[^>]*-->\s*\n((?:\|.*\n?)+)/g,
  )) {
    for (const row of m[1]!.split("\n").slice(2)) {
      const cell = row.split(/(?<!\\)\|/)[1] ?? "";
      for (const code of cell.matchAll(/`([^`]+)`/g))
        if (!code[1]!.includes("…")) out.push(code[1]!);
    }
  }
  for (const m of text.matchAll(/\/search\?q=([^)\s"'>]+)/g))
    out.push(new URLSearchParams(`q=${m[1]}`).get("q")!);
  return out;
}

describe("examples", () => {
  it("on /help each find statements in data/", async () => {
    const res = await request(app).get("/help").expect(200);
    const queries = linkedQueries(res.text);
    expect(queries.length).toBeGreaterThan(15);
    expect(await unfound(queries)).toEqual([]);
  });

  it("on the home page, in its search box and the advanced form each find statements in data/", async () => {
    const home = await request(app).get("/").expect(200);
    const queries = linkedQueries(
      home.text.slice(home.text.indexOf('<ul class="examples">')),
    );
    expect(queries.length).toBeGreaterThan(2);
    const placeholder = /placeholder="Words to find, e\.g\. ([^"]+)"/.exec(
      home.text,
    );
    queries.push(placeholder![1]!.replace(/&amp;/g, "&"));
    const advanced = await request(app).get("/advanced").expect(200);
    for (const [, name, example] of advanced.text.matchAll(
      /name="(all|exact|any|none)" value="" placeholder="([^"]+)"/g,
    ))
      queries.push(
        name === "none"
          ? example!
          : advancedQuery(readAdvancedForm({ [name!]: example })),
      );
    expect(queries.length).toBeGreaterThan(6);
    expect(await unfound(queries)).toEqual([]);
  });

  it("in README.md and docs/*.md each find statements in data/", async () => {
    const files = [
      "README.md",
      ...(await readdir(path.join(root, "docs")))
        .filter((f) => f.endsWith(".md"))
        .map((f) => `docs/${f}`),
    ];
    const queries: string[] = [];
    for (const file of files)
      queries.push(
        ...markdownExamples(await readFile(path.join(root, file), "utf8")),
      );
    expect(queries.length).toBeGreaterThan(15);
    expect(await unfound(queries)).toEqual([]);
  });

  it("that find nothing are caught", async () => {
    expect(
      markdownExamples(
        "<!-- query examples -->\n\n| Query | Finds |\n| - | - |\n| `Ağdam`, `body:…` | x |\n| `country:Azerbaijan` | y |\n",
      ),
    ).toEqual(["Ağdam", "country:Azerbaijan"]);
    expect((await unfound(["Ağdam", "country:Azerbaijan"])).length).toBe(2);
  });
});
