import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { formatCsv, formatJson, formatText } from "../../src/cli/results.ts";
import { MemoryArchive, type Archive } from "../../src/archive.ts";
import type { Statement } from "../../src/ingest/statement.ts";
import { cite } from "../../src/out/cite.ts";
import { parseQuery } from "../../src/query/params.ts";
import { createApp } from "../../src/web/app.ts";

// NUL, ESC with a colour sequence, a C1 CSI, and right-to-left override and isolate: what a
// scraped or hostile document can hold and a terminal or a reader of raw JSON acts on.
const UNSAFE = "\u0000\u001b[31m\u009b2J\u202e\u2066\u007f";
const statement: Statement = {
  id: "hostile",
  title: `Harbour${UNSAFE} notice`,
  body: `The harbour${UNSAFE} closes at noon.\n\nA second paragraph on the harbour.`,
  source: `Port${UNSAFE} authority`,
  url: `https://example.org/${UNSAFE}x`,
  date: "2024-05-01",
  meta: {},
  origin: { file: "hostile.json", line: 1 },
};

// Raw, or escaped as JSON would write it (\u0000, \u001b …).
const RAW =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const ESCAPED =
  /\\u00(?:0[0-8bcef]|1[0-9a-f]|7f|[89][0-9a-f])|\\u202[a-e]|\\u206[6-9]/i;
const safe = (text: string) => {
  expect(text).not.toMatch(RAW);
  expect(text).not.toMatch(ESCAPED);
  expect(text).toContain("Harbour");
};

let app: ReturnType<typeof createApp>;
let archive: Archive;
beforeAll(() => {
  archive = MemoryArchive.fromStatements([statement]);
  app = createApp(archive, { env: "test" });
});

describe("characters from documents in machine formats", () => {
  it.each([
    "/search.json?q=harbour",
    "/search.json?q=harbour&all=1",
    "/search.jsonl?q=harbour",
    "/search.csv?q=harbour",
    "/search.atom?q=harbour",
    "/statements/hostile.json",
    "/about.json",
  ])("are dropped from %s", async (url) => {
    const res = await request(app)
      .get(url)
      .buffer(true)
      .parse((r, done) => {
        let text = "";
        r.setEncoding("utf8");
        r.on("data", (c: string) => (text += c));
        r.on("end", () => done(null, text));
      });
    expect(res.status).toBe(200);
    if (url === "/about.json") {
      expect(res.body).not.toMatch(RAW);
      return;
    }
    safe(res.body as string);
    if (url.includes(".json") && !url.includes("jsonl"))
      expect(() => JSON.parse(res.body as string)).not.toThrow();
  });

  it("are dropped from the BibTeX and the plain citation", () => {
    const { text, bibtex } = cite(
      statement,
      "http://localhost/x",
      "2024-06-01",
    );
    safe(text);
    safe(bibtex);
  });

  it("are dropped from the command line's text, JSON and CSV", async () => {
    const page = await archive.search(parseQuery({ q: "harbour" }));
    for (const out of [
      formatText(page, true)
        .replaceAll("\u001b[1m", "")
        .replaceAll("\u001b[22m", ""),
      formatJson(page),
      formatCsv(page),
    ])
      safe(out);
  });
});
