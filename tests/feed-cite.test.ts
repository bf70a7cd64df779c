import { describe, expect, it } from "vitest";
import { bibtexText, cite, citeKey } from "../src/out/cite.ts";
import { atomDate, atomFeed } from "../src/out/feed.ts";
import type { Statement } from "../src/ingest/statement.ts";
import { xmlText } from "../src/out/xml.ts";

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
          dateIs: "statement",
          source: "MFA",
          link: "http://127.0.0.1:3000/statements/a",
          summary: "x < y",
        },
      ],
    });
    expect(xml).toContain("<title>Readout: &lt;ceasefire&gt;</title>");
    expect(xml).toContain(
      '<updated>2024-05-02T00:00:00Z</updated>\n    <updated-means xmlns="tag:readout.invalid,2024:ns">the statement\'s date</updated-means>',
    );
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
      entries: [
        {
          id,
          title: "t",
          dateIs: "first-read",
          link: `${origin}/x`,
          summary: "",
        },
      ],
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
      `@misc{rec-sanctions-2023-8039266a,
  title = {{Statement on sanctions \\& 50\\% of \\textbraceleft{}assets\\textbraceright{}}},
  author = {{Council of the EU}},
  year = {2023},
  month = jun,
  day = {1},
  url = {https://example.org/sanctions},
  note = {Readout permalink: \\url{http://127.0.0.1:3000/statements/rec-sanctions-2023}; accessed 2026-11-26}
}`,
    );
  });
});

describe("cite as BibTeX", () => {
  const base: Statement = {
    id: "x",
    title: "t",
    body: "b",
    meta: {},
    origin: { file: "records.jsonl" },
  };
  const field = (bibtex: string, name: string) =>
    bibtex.match(new RegExp(`^  ${name} = (.*?),?$`, "m"))?.[1];

  it("writes a percent-encoded URL and permalink as they are, not encoded again", () => {
    const { bibtex } = cite(
      {
        ...base,
        id: "wh-covid-%e2%81%a019",
        url: "https://bidenwhitehouse.archives.gov/covid-%e2%81%a019/",
      },
      "http://127.0.0.1:3000/statements/wh-covid-%25e2%2581%25a019",
      "2026-11-26",
    );
    expect(field(bibtex, "url")).toBe(
      "{https://bidenwhitehouse.archives.gov/covid-%e2%81%a019/}",
    );
    expect(field(bibtex, "note")).toBe(
      "{Readout permalink: \\url{http://127.0.0.1:3000/statements/wh-covid-%25e2%2581%25a019}; accessed 2026-11-26}",
    );
  });

  it("percent-encodes only what cannot stand in a URL and would break the entry", () => {
    const { bibtex } = cite(
      { ...base, url: "https://example.org/a b{c}\\d%20" },
      "http://127.0.0.1:3000/statements/x",
      "2026-11-26",
    );
    expect(field(bibtex, "url")).toBe(
      "{https://example.org/a%20b%7Bc%7D%5Cd%20}",
    );
  });

  it("protects the title's case with braces", () => {
    const { bibtex } = cite(
      { ...base, title: "Vladimir Putin meets President Biden" },
      "p",
      "2026-11-26",
    );
    expect(field(bibtex, "title")).toBe(
      "{{Vladimir Putin meets President Biden}}",
    );
  });

  it("writes months as the styles' macros", () => {
    const months = ["2024-01-02", "2024-05", "2024-12-31T23:00:00Z"].map(
      (date) =>
        field(cite({ ...base, date }, "p", "2026-11-26").bibtex, "month"),
    );
    expect(months).toEqual(["jan", "may", "dec"]);
    expect(
      field(cite({ ...base, date: "2024" }, "p", "x").bibtex, "month"),
    ).toBe(undefined);
  });
});

describe("bibtexText", () => {
  it("escapes backslash, tilde and caret as the characters, not as accents", () => {
    expect(bibtexText("back\\slash ~tilde ^caret")).toBe(
      "back\\textbackslash{}slash \\textasciitilde{}tilde \\textasciicircum{}caret",
    );
  });

  it("keeps braces balanced for BibTeX, which counts escaped braces too", () => {
    expect(bibtexText("a { b } } c")).toBe(
      "a \\textbraceleft{} b \\textbraceright{} \\textbraceright{} c",
    );
  });

  it("escapes every character LaTeX reads as markup, and drops control characters", () => {
    expect(bibtexText("50% & $5 #1 a_b <i> |x|\u0001\u0007\ttab\nline")).toBe(
      "50\\% \\& \\$5 \\#1 a\\_b \\textless{}i\\textgreater{} \\textbar{}x\\textbar{} tab line",
    );
  });
});

describe("citeKey", () => {
  it("gives ids that share a long prefix different keys", () => {
    const long =
      "wh-statements-releases-2021-08-27-statement-by-president-joe-biden-on-";
    const a = citeKey(long + "covid");
    const b = citeKey(long + "afghanistan");
    expect(a).not.toBe(b);
    expect(a.startsWith("wh-statements-releases-2021-08-27-statem-")).toBe(
      true,
    );
  });

  it("is the same for the same id every time, readable and made of safe characters", () => {
    expect(citeKey("rec-sanctions-2023")).toBe("rec-sanctions-2023-8039266a");
    expect(citeKey("Azerbaijan MFA/accents-ağdam")).toMatch(
      /^Azerbaijan-MFA-accents-agdam-[0-9a-f]{8}$/,
    );
    expect(citeKey("%%%")).toMatch(/^statement-[0-9a-f]{8}$/);
  });
});
