import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { fixtureApp } from "../helpers.ts";

let app: Awaited<ReturnType<typeof fixtureApp>>;
beforeAll(async () => {
  app = await fixtureApp();
});

describe("errors", () => {
  it("answers an unknown statement with a 404 page that has the search form", async () => {
    const res = await request(app)
      .get("/statements/no-such-statement")
      .expect(404);
    expect(res.text).toContain("<h1>Not found</h1>");
    expect(res.text).toContain(
      "No statement has the id &quot;no-such-statement&quot;.",
    );
    expect(res.text).toContain('<form class="search"');
  });

  it("answers an unknown page with a 404, escaping the path", async () => {
    const res = await request(app).get("/<b>nowhere</b>").expect(404);
    expect(res.text).toContain("There is no page at /%3Cb%3Enowhere%3C/b%3E.");
  });

  it("answers a broken %-escape with a 400 page, not a stack trace", async () => {
    const res = await request(app).get("/statements/%E0%A4%A").expect(400);
    expect(res.text).toContain("The address is malformed");
    expect(res.text).not.toMatch(/at .*\.ts:\d+/);
  });

  it("never answers a query with a 500", async () => {
    for (const q of [
      "%",
      "\u0000",
      "a".repeat(5000),
      "((((",
      '"',
      "*",
      "~",
      "-",
      "title:",
      "\ud800",
    ]) {
      await request(app).get("/search").query({ q }).expect(200);
      await request(app).get("/search.json").query({ q }).expect(200);
    }
  });

  it("serves the stylesheet from public/", async () => {
    await request(app)
      .get("/style.css")
      .expect(200)
      .expect("content-type", /css/);
  });
});

describe("GET /about", () => {
  it("summarizes the archive and lists the problems found while reading", async () => {
    const res = await request(app).get("/about").expect(200);
    expect(res.text).toContain(
      "<strong>11</strong> statements from\n   8 files",
    );
    expect(res.text).toContain("None: every file was read in full.");
  });

  it("has a JSON twin", async () => {
    const res = await request(app).get("/about.json").expect(200);
    expect(res.body).toMatchObject({
      statements: 11,
      files: 8,
      skipped: 0,
      problems: [],
    });
  });
});

describe("a search past its time limit", () => {
  it("answers 503 with a clear message instead of stalling", async () => {
    const { searchTimeLimit } = await import("../../src/runtime/deadline.ts");
    const saved = searchTimeLimit.seconds;
    searchTimeLimit.seconds = -1;
    try {
      const page = await request(app).get("/search?q=zeugma").expect(503);
      expect(page.text).toContain("<h1>Search stopped</h1>");
      expect(page.text).toContain(
        "This search took longer than -1 s and was stopped.",
      );
      const json = await request(app).get("/search.json?q=zeugma").expect(503);
      expect(json.body.error.status).toBe(503);
    } finally {
      searchTimeLimit.seconds = saved;
    }
    await request(app).get("/search?q=zeugma").expect(200);
  });
});

describe("requests for another host", () => {
  it("are refused, so a page elsewhere cannot read the archive through DNS rebinding", async () => {
    const res = await request(app)
      .get("/search.json?q=zeugma")
      .set("Host", "attacker.example:3000")
      .expect(421);
    expect(res.body.error.message).toBe(
      'Readout answers only to requests for localhost or 127.0.0.1, not for "attacker.example:3000".',
    );
    const page = await request(app)
      .get("/search?q=zeugma")
      .set("Host", "attacker.example")
      .expect(421);
    expect(page.text).toContain("<h1>Bad request</h1>");
    expect(page.text).not.toMatch(/Error:|at .*\.ts:\d+/);
    await request(app)
      .get("/search.json?q=zeugma")
      .set("Host", "localhost:3000")
      .expect(200);
    await request(app)
      .get("/search.json?q=zeugma")
      .set("Host", "[::1]:3000")
      .expect(200);
  });

  it("are answered when the app is told to serve any host", async () => {
    const { createApp } = await import("../../src/web/app.ts");
    const { fixtureArchive } = await import("../helpers.ts");
    const open = createApp(await fixtureArchive(), {
      env: "test",
      anyHost: true,
    });
    await request(open)
      .get("/search.json?q=zeugma")
      .set("Host", "archive.lan:3000")
      .expect(200);
  });
});
