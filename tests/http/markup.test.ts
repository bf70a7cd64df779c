import { HtmlValidate } from "html-validate";
import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import type { Archive } from "../../src/archive.ts";
import { MemoryArchive } from "../../src/archive.ts";
import { createApp } from "../../src/web/app.ts";
import { hashPassword } from "../../src/runtime/users.ts";
import { fixtureApp, fixtureArchive, workspaceFixture } from "../helpers.ts";

// The Nu HTML Checker is a web service; html-validate checks the same content model offline.
const validator = new HtmlValidate({
  extends: [
    "html-validate:standard",
    "html-validate:document",
    "html-validate:a11y",
  ],
  rules: {
    // Facet checkboxes share their field's name: the form sends each ticked value.
    "form-dup-name": [
      "error",
      { shared: ["radio", "checkbox", "button", "reset", "submit"] },
    ],
    // Scripts come from this server; integrity hashes guard scripts from elsewhere.
    "require-sri": ["error", { target: "crossorigin" }],
    // ARIA 1.2 lets a list be named ("Filters in force"), as the Nu checker accepts.
    "aria-label-misuse": ["error", { allowAnyNamable: true }],
    // The loading page reloads itself until the index is ready: without script, by design.
    "meta-refresh": "off",
  },
});

// C0 and C1 control characters (but tab, line feed, form feed and carriage return) and
// noncharacters: HTML calls each a parse error.
const CONTROL =
  /[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f\ufdd0-\ufdef\ufffe\uffff]/;

// A statement whose every field carries control characters, as scraped text can.
const dirty = createApp(
  MemoryArchive.fromStatements([
    {
      id: "dirty\u0001id",
      title: "Zeugma\u0001 mosaics\u0007 \u0085restored",
      date: "2024-05-02",
      source: "Ministry\u0002 of Culture",
      url: "https://example.org/a\u0003b",
      body: "The zeugma\u0000 mosaics\u001b[31m were restored.\u007f\n\nA second\u0008 paragraph \ufffe.",
      meta: { "cat\u0004egory": "cul\u0005ture" },
      origin: { file: "dirty.jsonl" },
    },
  ]),
  { env: "test" },
);

let app: Awaited<ReturnType<typeof fixtureApp>>;
let archive: Archive;
beforeAll(async () => {
  app = await fixtureApp();
  archive = await fixtureArchive();
});

async function check(html: string, where: string) {
  const report = await validator.validateString(html);
  const messages = report.results.flatMap((r) =>
    r.messages.map((m) => `${where}:${m.line}: ${m.ruleId}: ${m.message}`),
  );
  expect(messages).toEqual([]);
  expect(html.match(/<h1[\s>]/g)?.length, `${where}: one <h1>`).toBe(1);
  expect(html, `${where}: meta description`).toMatch(
    /<meta name="description" content="[^"]{20,}">/,
  );
  expect(CONTROL.test(html), `${where}: control characters`).toBe(false);
}

const pages = [
  "/",
  "/search?q=the",
  "/search?q=the&source=Port+Authority&source=Council+of+the+EU&from=2022",
  "/search?q=xylophone",
  "/search?q=ceasfire",
  "/statements/seed-format-ceasefire?q=ceasefire",
  "/statements/rec-sanctions-2023",
  "/about",
  "/help",
  "/advanced",
  "/batch",
  "/statements/no-such-statement",
  "/nowhere",
];

describe("every page", () => {
  for (const path of pages) {
    it(`is valid HTML with one <h1> and a description: ${path}`, async () => {
      const res = await request(app).get(path);
      await check(res.text, path);
    });
  }

  it("is valid for a batch search's results and a wrong method", async () => {
    const batch = await request(app)
      .post("/batch")
      .type("form")
      .send({ lines: "zeugma\nceasefire" })
      .expect(200);
    await check(batch.text, "POST /batch");
    const wrong = await request(app).delete("/search?q=x").expect(405);
    await check(wrong.text, "DELETE /search");
  });

  it("is valid while the archive loads and when it could not", async () => {
    for (const state of [
      { phase: "indexing", done: 10, total: 40, startedAt: 0 },
      { phase: "failed", done: 0, startedAt: 0, error: "ingest: x\u0001" },
    ]) {
      const loading = Object.assign(Object.create(archive) as Archive, {
        state: () => state,
      });
      const res = await request(createApp(loading, { env: "test" })).get("/");
      await check(res.text, `loading (${state.phase})`);
    }
  });
});

describe("text with control characters", () => {
  for (const path of [
    "/statements/dirty%01id",
    "/statements/dirty%01id?q=zeugma",
    "/search?q=zeugma%01%07",
    "/search?q=zeugma&category=cul%05ture",
    "/about",
  ]) {
    it(`reaches the page without them: ${path}`, async () => {
      const res = await request(dirty).get(path).expect(200);
      await check(res.text, path);
    });
  }

  it("keeps the words around them", async () => {
    const res = await request(dirty).get("/statements/dirty%01id?q=zeugma");
    expect(res.text).toContain("<h1><mark");
    expect(res.text).toContain(">Zeugma</mark> mosaics restored</h1>");
    expect(res.text).toContain("[31m were restored.");
  });
});

describe("the workspace's pages", () => {
  it("are valid HTML with one <h1> and a description, as are pages with its controls", async () => {
    const fixture = await workspaceFixture();
    const users = await workspaceFixture({
      users: new Map([
        [
          "ann",
          {
            name: "ann",
            role: "editor",
            hash: await hashPassword("x", { ln: 4, r: 8, p: 1 }),
          },
        ],
      ]),
    });
    try {
      for (const path of [
        "/collections",
        `/collections/${fixture.collection}`,
        "/collections/add?id=press-release",
        "/saved",
        `/saved/${fixture.saved}`,
        "/saved/new?q=ceasefire&from=2023",
        "/search?q=the",
        "/statements/press-release",
      ]) {
        const res = await request(fixture.app).get(path).expect(200);
        await check(res.text, path);
      }
      const signIn = await request(users.app).get("/sign-in").expect(200);
      await check(signIn.text, "/sign-in");
    } finally {
      await fixture.cleanup();
      await users.cleanup();
    }
  }, 30_000);
});
