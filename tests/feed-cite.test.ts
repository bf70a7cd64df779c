import { describe, expect, it } from "vitest";
import { cite } from "../src/cite.ts";
import { atomDate, atomFeed } from "../src/feed.ts";
import type { Statement } from "../src/ingest/statement.ts";
import { xmlText } from "../src/xml.ts";

describe("xmlText", () => {
  it("escapes markup and drops characters XML forbids", () => {
    expect(xmlText(`<a href="x">AT&T's</a>\u0000\u0007\ud800ok`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;AT&amp;T&apos;s&lt;/a&gt;ok",
    );
  });
});

describe("atomDate", () => {
  it("gives every date precision a timestamp", () => {
    expect(atomDate("2023", "x")).toBe("2023-01-01T00:00:00Z");
    expect(atomDate("2023-09-07", "x")).toBe("2023-09-07T00:00:00Z");
    expect(atomDate("2023-09-07T20:51:00+04:00", "x")).toBe(
      "2023-09-07T20:51:00+04:00",
    );
    expect(atomDate("2023-09-07T20:51:00", "x")).toBe("2023-09-07T20:51:00Z");
    expect(atomDate(undefined, "2026-01-01T00:00:00.000Z")).toBe(
      "2026-01-01T00:00:00.000Z",
    );
  });
});

describe("atomFeed", () => {
  it("writes an Atom document with one entry per statement", () => {
    const xml = atomFeed({
      title: "Readout: <ceasefire>",
      self: "http://127.0.0.1:3000/search.atom?q=ceasefire",
      alternate: "http://127.0.0.1:3000/search?q=ceasefire",
      now: new Date("2026-01-01T00:00:00Z"),
      entries: [
        {
          id: "a",
          title: "A & B",
          date: "2024-05-02",
          source: "MFA",
          link: "http://127.0.0.1:3000/statements/a",
          summary: "x < y",
        },
      ],
    });
    expect(xml).toContain("<title>Readout: &lt;ceasefire&gt;</title>");
    expect(xml).toContain("<updated>2024-05-02T00:00:00Z</updated>");
    expect(xml).toContain(
      "<entry>\n    <id>tag:readout.invalid,2024:statements/a</id>\n    <title>A &amp; B</title>",
    );
    expect(xml).toContain(
      "<id>tag:readout.invalid,2024:search.atom?q=ceasefire</id>",
    );
    expect(xml).toContain("<summary>x &lt; y</summary>");
  });
});

describe("atomFeed ids", () => {
  const feed = (origin: string, id: string) =>
    atomFeed({
      title: "t",
      self: `${origin}/search.atom?q=a+b`,
      alternate: `${origin}/search?q=a+b`,
      now: new Date("2026-01-01T00:00:00Z"),
      entries: [{ id, title: "t", link: `${origin}/x`, summary: "" }],
    }).match(/<id>[^<]*<\/id>/g);

  it("depend on neither host nor port", () => {
    expect(feed("http://localhost:8080", "a")).toEqual(
      feed("http://127.0.0.1:3000", "a"),
    );
  });

  it("escape an id's characters so the tag URI stays valid, keeping its slashes", () => {
    expect(feed("http://x", "Azerbaijan MFA/ü & <b>?#%")).toEqual([
      "<id>tag:readout.invalid,2024:search.atom?q=a+b</id>",
      "<id>tag:readout.invalid,2024:statements/Azerbaijan%20MFA/%C3%BC%20%26%20%3Cb%3E%3F%23%25</id>",
    ]);
  });
});

describe("cite", () => {
  const statement: Statement = {
    id: "rec-sanctions-2023",
    title: "Statement on sanctions & 50% of {assets}",
    date: "2023-06-01T12:00:00Z",
    source: "Council of the EU",
    url: "https://example.org/sanctions",
    body: "x",
    meta: {},
    origin: { file: "records.jsonl" },
  };

  it("cites in words with the date, the original and the permanent link", () => {
    expect(
      cite(
        statement,
        "http://127.0.0.1:3000/statements/rec-sanctions-2023",
        "2026-11-26",
      ).text,
    ).toBe(
      "Council of the EU. “Statement on sanctions & 50% of {assets}.” 1 June 2023. https://example.org/sanctions. Readout: http://127.0.0.1:3000/statements/rec-sanctions-2023 (accessed 26 November 2026).",
    );
  });

  it("cites as BibTeX with special characters escaped", () => {
    expect(
      cite(
        statement,
        "http://127.0.0.1:3000/statements/rec-sanctions-2023",
        "2026-11-26",
      ).bibtex,
    ).toBe(
      `@misc{rec-sanctions-2023,
  title = {Statement on sanctions \\& 50\\% of \\{assets\\}},
  author = {{Council of the EU}},
  year = {2023},
  month = {6},
  day = {1},
  url = {https://example.org/sanctions},
  note = {Readout permalink: \\url{http://127.0.0.1:3000/statements/rec-sanctions-2023}; accessed 2026-11-26}
}`,
    );
  });
});
