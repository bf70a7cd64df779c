import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { fixtureApp } from "../helpers.ts";

let app: Awaited<ReturnType<typeof fixtureApp>>;
beforeAll(async () => {
  app = await fixtureApp();
});

describe("batch search", () => {
  it("shows a form, carrying the filters it was opened with", async () => {
    const res = await request(app)
      .get("/batch?source=Port+Authority&from=2022")
      .expect(200);
    expect(res.text).toContain('<textarea id="lines" name="lines"');
    expect(res.text).toContain(
      '<input type="hidden" name="source" value="Port Authority">',
    );
    expect(res.text).toContain(
      '<input type="hidden" name="from" value="2022">',
    );
  });

  it("counts the statements each line finds, each linking to its search", async () => {
    const res = await request(app)
      .post("/batch")
      .type("form")
      .send({ lines: "zeugma\nceasefire\n\n  zeugma  \nxylophone\n=cmd()" })
      .expect(200);
    const rows = [
      ...res.text.matchAll(
        /<tr><td><a href="([^"]+)">([^<]*)<\/a><\/td><td>[^<]*<\/td><td class="num">(\d+)<\/td><\/tr>/g,
      ),
    ].map((m) => [m[1], m[2], Number(m[3])]);
    expect(rows).toEqual([
      ["/search?q=zeugma", "zeugma", 2],
      ["/search?q=ceasefire", "ceasefire", 1],
      ["/search?q=xylophone", "xylophone", 0],
      ["/search?q=%3Dcmd%28%29", "=cmd()", 0],
    ]);
  });

  it("applies the filters to every line", async () => {
    const res = await request(app)
      .post("/batch")
      .type("form")
      .send({ lines: "the\nharbour", source: "Port Authority" })
      .expect(200);
    expect(res.text).toContain(
      '<a href="/search?q=the&amp;source=Port+Authority">the</a>',
    );
    expect(res.text).toMatch(
      />the<\/a><\/td><td>[^<]*<\/td><td class="num">2</,
    );
  });

  it("downloads the counts as CSV, formulas neutralized", async () => {
    const res = await request(app)
      .post("/batch.csv")
      .type("form")
      .send({ lines: "zeugma\n=cmd()" })
      .expect(200)
      .expect("content-type", /text\/csv/);
    const lines = res.text
      .replace(/^\ufeff/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe("query,hits,url");
    expect(lines[1]).toMatch(
      /^zeugma,2,http:\/\/127\.0\.0\.1:\d+\/search\?q=zeugma$/,
    );
    expect(lines[2]).toMatch(/^'=cmd\(\),0,http/);
  });

  it("searches at most 500 lines, and says so", async () => {
    const lines = Array.from({ length: 510 }, (_, i) => `word${i}`).join("\n");
    const res = await request(app)
      .post("/batch")
      .type("form")
      .send({ lines })
      .expect(200);
    expect(res.text).toContain(
      "Only the first 500 lines were searched; 10 were left out.",
    );
    expect(res.text.match(/<tr><td>/g)?.length).toBe(500);
  });
});
