import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { fixtureApp, parseCsv } from "../helpers.ts";

let app: Awaited<ReturnType<typeof fixtureApp>>;
beforeAll(async () => {
  app = await fixtureApp();
});

describe("exports", () => {
  it("give the whole result set as CSV, one row per match, in ranked order", async () => {
    const page = (
      await request(app).get("/search.json?q=the&size=3").expect(200)
    ).body;
    const res = await request(app)
      .get("/search.csv?q=the&size=3&page=2")
      .expect(200)
      .expect("content-type", /text\/csv/);
    expect(res.headers["content-disposition"]).toMatch(
      /^attachment; filename="?readout-the-\d{4}-\d{2}-\d{2}\.csv"?$/,
    );
    const rows = parseCsv(res.text.replace(/^\ufeff/, ""));
    expect(rows[0]).toEqual([
      "id",
      "title",
      "date",
      "source",
      "url",
      "permalink",
      "score",
      "snippet",
      "group",
    ]);
    expect(rows.length - 1).toBe(page.total);
    expect(rows.slice(1, 4).map((r) => r[0])).toEqual(
      page.hits.map((h: { id: string }) => h.id),
    );
    expect(rows.find((r) => r[0] === "markup-lt-amp")?.[1]).toBe(
      "Statement on <script> tags & entities",
    );
    expect(rows[1]![5]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/statements\//);
    expect(rows[1]![7]).not.toContain("<mark>");
  });

  it("neutralize cells a spreadsheet would run as formulas", async () => {
    const res = await request(app)
      .get("/search.csv?q=%22records%22")
      .expect(200);
    for (const row of parseCsv(res.text.replace(/^\ufeff/, "")).slice(1)) {
      for (const cell of row) expect(cell).not.toMatch(/^[=+\-@]/);
    }
  });

  it("give JSON Lines and a JSON array with the same rows", async () => {
    const jsonl = await request(app)
      .get("/search.jsonl?q=zeugma")
      .buffer(true)
      .parse((res, done) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk));
        res.on("end", () => done(null, text));
      })
      .expect(200)
      .expect("content-type", /application\/x-ndjson/);
    const lines = (jsonl.body as string)
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const all = (
      await request(app).get("/search.json?q=zeugma&all=1").expect(200)
    ).body;
    expect(all.total).toBe(2);
    // Each request runs on its own port: compare the rows without the host.
    const local = (rows: { permalink: string }[]) =>
      rows.map((r) => ({ ...r, permalink: new URL(r.permalink).pathname }));
    expect(local(all.hits)).toEqual(local(lines));
    expect(lines[0]).toEqual({
      id: "press-release",
      title: "Press release on the zeugma exhibition",
      date: "2024-05-10",
      source: "Ministry of Culture",
      url: "https://example.org/releases/zeugma",
      permalink: expect.stringMatching(/\/statements\/press-release$/),
      score: expect.any(Number),
      snippet: expect.stringContaining("mosaics from Zeugma"),
      group: "",
    });
  });

  it("take the same filters as the page", async () => {
    const all = (
      await request(app)
        .get("/search.json?q=the&all=1&source=Port+Authority")
        .expect(200)
    ).body;
    expect(all.hits.map((h: { id: string }) => h.id).sort()).toEqual([
      "arr-flood-relief",
      "arr-harbour",
    ]);
  });

  it("are linked from the results page", async () => {
    const res = await request(app).get("/search?q=zeugma").expect(200);
    expect(res.text).toContain(
      '<a href="/search.csv?q=zeugma" download>CSV</a>',
    );
    expect(res.text).toContain(
      '<a href="/search.json?q=zeugma&amp;all=1">JSON</a>',
    );
  });
});

describe("Atom feed", () => {
  it("lists the matches newest first as valid Atom", async () => {
    const res = await request(app)
      .get("/search.atom?q=the")
      .expect(200)
      .expect("content-type", /application\/atom\+xml/);
    const xml = res.text;
    expect(
      xml.startsWith(
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">',
      ),
    ).toBe(true);
    const updated = [
      ...xml.matchAll(/<entry>[\s\S]*?<updated>([^<]+)<\/updated>/g),
    ].map((m) => Date.parse(m[1]!));
    expect(updated.length).toBe(9);
    expect([...updated].sort((a, b) => b - a)).toEqual(updated);
    expect(xml).toContain("<title>Readout: the</title>");
    expect(xml).toContain(
      "<title>Press release on the zeugma exhibition</title>",
    );
    expect(xml.match(/<entry>/g)?.length).toBe(xml.match(/<\/entry>/g)?.length);
    // Every element opened is closed: a rough well-formedness check without an XML parser.
    const stack: string[] = [];
    for (const [, close, name, selfClosing] of xml
      .replace(/<\?xml[^>]*>/, "")
      .matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
      if (selfClosing) continue;
      if (close) expect(stack.pop()).toBe(name);
      else stack.push(name!);
    }
    expect(stack).toEqual([]);
  });

  it("escapes the query in its title", async () => {
    const res = await request(app)
      .get("/search.atom")
      .query({ q: "<b>zeugma</b> & co" })
      .expect(200);
    expect(res.text).toContain(
      "<title>Readout: “&lt;b&gt;zeugma&lt;/b&gt;” AND co</title>",
    );
  });

  it("of no query lists the newest statements, as /feed.atom does, and says so plainly", async () => {
    const dated = (xml: string) =>
      [...xml.matchAll(/<entry>[\s\S]*?<updated>([^<]+)<\/updated>/g)].map(
        (m) => m[1]!,
      );
    const feed = await request(app).get("/feed.atom").expect(200);
    const search = await request(app).get("/search.atom").expect(200);
    for (const res of [feed, search]) {
      expect(res.headers["content-type"]).toMatch(/application\/atom\+xml/);
      expect(res.headers["cache-control"]).toBe("private, max-age=300");
      expect(res.text).toContain(
        "<title>Readout: the newest statements</title>",
      );
      expect(res.text).toMatch(
        /<subtitle>Every statement in this archive, newest first[^<]*an undated one by when Readout first read it[^<]*<\/subtitle>/,
      );
      expect(res.text).toMatch(
        /<link rel="self" type="application\/atom\+xml" href="http:\/\/127\.0\.0\.1:\d+\/feed\.atom"\/>/,
      );
    }
    // Every fixture statement, newest first: dated ones by date, undated by first read.
    const all = (await request(app).get("/search.json?q=-zzz&size=100")).body
      .total;
    const entries = dated(feed.text);
    expect(entries.length).toBe(all);
    expect(entries.length).toBeGreaterThan(5);
    const times = entries.map((t) => Date.parse(t));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(dated(search.text)).toEqual(entries);
  });

  it("of everything is announced on the home page", async () => {
    const res = await request(app).get("/").expect(200);
    expect(res.text).toContain(
      '<link rel="alternate" type="application/atom+xml" title="Readout: the newest statements" href="/feed.atom">',
    );
    expect(res.text).toContain(
      '<a href="/feed.atom">a feed of the newest statements</a>',
    );
  });

  it("is announced on the results page", async () => {
    const res = await request(app).get("/search?q=zeugma").expect(200);
    expect(res.text).toMatch(
      /<link rel="alternate" type="application\/atom\+xml" title="Readout: zeugma" href="\/search\.atom\?q=zeugma">/,
    );
  });
});

describe("statement page", () => {
  it("offers a citation as text, BibTeX, RIS and CSL-JSON", async () => {
    const res = await request(app)
      .get("/statements/rec-sanctions-2023")
      .expect(200);
    expect(res.text).toContain("<summary>Cite this statement</summary>");
    expect(res.text).toContain(
      "Council of the EU. “Statement on sanctions.” 1 June 2023. https://example.org/sanctions (accessed",
    );
    expect(res.text).toContain("@misc{rec-sanctions-2023-8039266a,");
    expect(res.text).toContain(
      "TY  - GEN\r\nID  - rec-sanctions-2023-8039266a\r\n",
    );
    expect(res.text).toContain("&quot;type&quot;:&quot;document&quot;");
  });

  it("lists related statements, never itself", async () => {
    const res = await request(app)
      .get("/statements/rec-zeugma-2022")
      .expect(200);
    expect(res.text).toContain(
      '<h2 id="related-heading">Related statements</h2>',
    );
    expect(res.text).toContain(
      '<a href="/statements/press-release">Press release on the zeugma exhibition</a>',
    );
    expect(res.text).not.toContain(
      '<li><a href="/statements/rec-zeugma-2022">',
    );
  });
});

describe("Atom ids", () => {
  it("stay the same whatever host and port the feed was asked through", async () => {
    const ids = async (host: string) =>
      [
        ...(
          await request(app)
            .get("/search.atom?q=zeugma")
            .set("Host", host)
            .expect(200)
        ).text.matchAll(/<id>([^<]*)<\/id>/g),
      ].map((m) => m[1]);
    const a = await ids("127.0.0.1:3000");
    expect(a).toEqual([
      "tag:readout.invalid,2024:search.atom?q=zeugma",
      "tag:readout.invalid,2024:statements/press-release",
      "tag:readout.invalid,2024:statements/rec-zeugma-2022",
    ]);
    expect(await ids("localhost:8080")).toEqual(a);
    expect(await ids("[::1]")).toEqual(a);
  });
});
