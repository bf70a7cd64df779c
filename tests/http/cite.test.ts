import request from "supertest";
import { describe, expect, it } from "vitest";
import { MemoryArchive } from "../../src/archive.ts";
import { createApp } from "../../src/web/app.ts";

// An id and a URL as the White House writes them: with a percent-encoded word joiner; and a
// record with no web address of its own.
const archive = () =>
  MemoryArchive.fromStatements([
    {
      id: "wh-covid-%e2%81%a019",
      title: "Statement on the origins of COVID-\u206019",
      date: "2021-08-27",
      source: "The White House",
      url: "https://bidenwhitehouse.archives.gov/covid-%e2%81%a019/",
      body: "This week, I received the report.",
      meta: {},
      origin: { file: "wh.jsonl" },
    },
    {
      id: "ungdc-MDA-79-2024",
      title: "Moldova: statement in the General Debate",
      date: "2024",
      source: "United Nations General Assembly",
      body: "It is an honour to represent my country.",
      meta: {},
      origin: { file: "un-general-debate/speeches-2024.jsonl", line: 12 },
      lang: "en",
    },
  ]);
const local = createApp(archive(), { env: "test" });
const published = createApp(archive(), {
  env: "test",
  publicUrl: "https://archive.example.org",
});

const citation = async (app: typeof local, id: string) =>
  (
    await request(app)
      .get(`/statements/${encodeURIComponent(id)}.json`)
      .expect(200)
  ).body;

describe("the citations of a statement", () => {
  it("hold the public permanent link, which answers, and the original URL as it was", async () => {
    const page = await citation(published, "wh-covid-%e2%81%a019");
    const { bibtex, ris, csl, text } = page.citation;
    expect(page.permalink).toBe(
      "https://archive.example.org/statements/wh-covid-%25e2%2581%25a019",
    );
    expect(bibtex).toContain(
      "url = {https://bidenwhitehouse.archives.gov/covid-%e2%81%a019/}",
    );
    expect(text).toContain(`Readout: ${page.permalink} (accessed`);
    expect(ris).toContain(
      `N1  - Readout permalink: ${page.permalink}; accessed`,
    );
    expect(csl.note).toBe(`Readout permalink: ${page.permalink}`);
    const permalink = bibtex.match(/\\url\{([^}]+)\}/)![1]!;
    expect(permalink).toBe(page.permalink);
    const res = await request(published)
      .get(new URL(permalink).pathname)
      .expect(200);
    expect(res.text).toContain("Statement on the origins of COVID-\u206019");
  });

  it("leave out a permanent link no one else could open, and name the publisher's URL or the file", async () => {
    for (const id of ["wh-covid-%e2%81%a019", "ungdc-MDA-79-2024"]) {
      const page = await citation(local, id);
      expect(page.permalink).toBeUndefined();
      expect(JSON.stringify(page.citation)).not.toMatch(
        /127\.0\.0\.1|localhost/,
      );
    }
    const wh = (await citation(local, "wh-covid-%e2%81%a019")).citation;
    expect(wh.text).toMatch(
      /^The White House\. “Statement on the origins of COVID-\u206019\.” 27 August 2021\. https:\/\/bidenwhitehouse\.archives\.gov\/covid-%e2%81%a019\/ \(accessed \d+ \w+ \d{4}\)\.$/,
    );
    const un = (await citation(local, "ungdc-MDA-79-2024")).citation;
    expect(un.text).toMatch(
      /^United Nations General Assembly\. “Moldova: statement in the General Debate\.” 2024\. Readout, file un-general-debate\/speeches-2024\.jsonl, line 12 \(accessed \d+ \w+ \d{4}\)\.$/,
    );
    expect(un.bibtex).not.toContain("url =");
    expect(un.bibtex).toMatch(
      /note = \{Readout, file un-general-debate\/speeches-2024\.jsonl, line 12; accessed \d{4}-\d{2}-\d{2}\}/,
    );
    expect(un.ris).toMatch(
      /^TY {2}- GEN\r\nID {2}- ungdc-MDA-79-2024-[0-9a-f]{8}\r\nTI {2}- Moldova: statement in the General Debate\r\nAU {2}- United Nations General Assembly\r\nPY {2}- 2024\r\nDA {2}- 2024\/\/\/\r\nY2 {2}- \d{4}\/\d{2}\/\d{2}\r\nDB {2}- Readout\r\nLA {2}- en\r\nN1 {2}- Readout, file un-general-debate\/speeches-2024\.jsonl, line 12; accessed \d{4}-\d{2}-\d{2}\r\nER {2}- \r\n$/,
    );
    expect(un.csl).toEqual({
      id: expect.stringMatching(/^ungdc-MDA-79-2024-/),
      type: "document",
      title: "Moldova: statement in the General Debate",
      author: [{ literal: "United Nations General Assembly" }],
      issued: { "date-parts": [[2024]] },
      accessed: {
        "date-parts": [
          [expect.any(Number), expect.any(Number), expect.any(Number)],
        ],
      },
      note: "Readout, file un-general-debate/speeches-2024.jsonl, line 12",
      language: "en",
    });
  });

  it("say on the page why the permanent link is not in them", async () => {
    const res = await request(local)
      .get("/statements/ungdc-MDA-79-2024")
      .expect(200);
    expect(res.text).toContain(
      'Link on this computer: <a href="/statements/ungdc-MDA-79-2024">/statements/ungdc-MDA-79-2024</a>',
    );
    expect(res.text).toContain("This archive has no public address");
    const shared = await request(published)
      .get("/statements/ungdc-MDA-79-2024")
      .expect(200);
    expect(shared.text).toContain(
      'Permanent link: <a href="/statements/ungdc-MDA-79-2024">https://archive.example.org/statements/ungdc-MDA-79-2024</a>',
    );
  });
});

describe("every absolute link, with --public-url", () => {
  it("names the public address: feeds, exports, batch counts and OpenSearch", async () => {
    const bodies = [
      (await request(published).get("/search.atom?q=statement")).text,
      (await request(published).get("/search.csv?q=statement")).text,
      (await request(published).get("/search.jsonl?q=statement")).text,
      (await request(published).get("/search.json?q=statement&all=1")).text,
      (
        await request(published)
          .post("/batch.csv")
          .type("form")
          .send({ lines: "statement" })
      ).text,
      (await request(published).get("/opensearch.xml")).text,
    ];
    for (const body of bodies) {
      const absolute = [...body.matchAll(/https?:\/\/[^\s"'<>,}\]]+/g)]
        .map((m) => m[0])
        .filter((u) => !/bidenwhitehouse|a9\.com|w3\.org/.test(u));
      expect(absolute.length, body.slice(0, 80)).toBeGreaterThan(0);
      for (const url of absolute)
        expect(url).toMatch(/^https:\/\/archive\.example\.org\//);
    }
  });
});
