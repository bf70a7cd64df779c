import { describe, expect, it } from "vitest";
import type { Statement } from "../../src/ingest/statement.ts";
import { parseQuery } from "../../src/query/params.ts";
import { archiveOn, ENGINES } from "../engines.ts";
import { fixtureData } from "../helpers.ts";

describe.each(ENGINES)("search, %s engine", (engine) => {
  const archive = archiveOn(engine, fixtureData);
  const find = (params: Record<string, string>) =>
    archive().search(parseQuery(params, archive().fields()));
  const ids = async (params: Record<string, string>) =>
    (await find(params)).hits.map((h) => h.id);

  it("finds a word in any case and with or without diacritics", async () => {
    for (const q of ["Ağdam", "agdam", "AGDAM", "xankendi"]) {
      expect(await ids({ q })).toEqual(["Azerbaijan-MFA/accents-agdam"]);
    }
  });

  it("finds a hyphenated name written joined or apart, and an abbreviation", async () => {
    for (const q of ["Nagorno-Karabakh", "nagorno karabakh", "U.S.", "u.s."]) {
      expect(await ids({ q })).toEqual(["Azerbaijan-MFA/accents-agdam"]);
    }
  });

  it("requires every word by default, plural forms included", async () => {
    const page = await find({ q: "zeugma mosaic" });
    expect(page.hits.map((h) => h.id).sort()).toEqual([
      "press-release",
      "rec-zeugma-2022",
    ]);
    const release = page.hits.find((h) => h.id === "press-release");
    expect(release?.snippet).toContain(
      "<mark>mosaics</mark> from <mark>Zeugma</mark>",
    );
    expect(page.relaxed).toBe(false);
  });

  it("ranks a match in the title above a match in the body", async () => {
    expect(await ids({ q: "zeugma" })).toEqual([
      "press-release",
      "rec-zeugma-2022",
    ]);
  });

  it("falls back to any word, and says so, when no statement has them all", async () => {
    const page = await find({ q: "zeugma ceasefire" });
    expect(page.relaxed).toBe(true);
    expect(page.hits.map((h) => h.id).sort()).toEqual([
      "press-release",
      "rec-zeugma-2022",
      "seed-format-ceasefire",
    ]);
  });

  it("ranks by any word directly with mode=any", async () => {
    const page = await find({ q: "harbour flood", mode: "any" });
    expect(page.relaxed).toBe(false);
    expect(page.hits.map((h) => h.id).sort()).toEqual([
      "arr-flood-relief",
      "arr-harbour",
      "crlf-bom",
    ]);
  });

  it("marks the matched words in titles and snippets", async () => {
    const [hit] = (await find({ q: "ceasefire" })).hits;
    expect(hit?.titleHtml).toBe(
      "Joint statement on the <mark>ceasefire</mark> agreement",
    );
    expect(hit?.snippet).toBe(
      "The parties agreed on a <mark>ceasefire</mark> that takes effect at midnight. Monitors will report on the <mark>ceasefire</mark> every week. The agreement covers the border villages.",
    );
  });

  it("escapes markup from the statement in titles and snippets", async () => {
    const [hit] = (await find({ q: "script" })).hits;
    expect(hit?.titleHtml).toBe(
      "Statement on &lt;<mark>script</mark>&gt; tags &amp; entities",
    );
    expect(hit?.snippet).toContain(
      "&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt;",
    );
    expect(hit?.snippet).toContain("AT&amp;amp;T");
  });

  it("pages through results and clamps a page past the end", async () => {
    const all = await ids({ q: "the", size: "100" });
    expect(all.length).toBe(10);
    expect(await ids({ q: "the", size: "4", page: "2" })).toEqual(
      all.slice(4, 8),
    );
    const last = await find({ q: "the", size: "4", page: "99" });
    expect(last).toMatchObject({ page: 3, pageCount: 3, total: 10 });
    expect(last.hits.map((h) => h.id)).toEqual(all.slice(8));
    expect(last.notes).toEqual([
      "There are only 3 pages of results; showing page 3.",
    ]);
  });

  it("finds nothing, without failing, for an empty query or one with no words", async () => {
    for (const q of ["", "   ", "?! — …", '"""']) {
      expect(await find({ q })).toMatchObject({
        searched: false,
        total: 0,
        hits: [],
      });
    }
    expect((await find({ q: "?!" })).notes).toEqual([
      "“?!” has no words to search for.",
    ]);
  });

  describe("between two equally good statements", () => {
    const statement = (id: string, date: string): Statement => ({
      id,
      title: "Same title",
      body: "Same body about grain.",
      date,
      meta: {},
      origin: { file: `${id}.txt` },
    });
    const own = archiveOn(engine, [
      statement("older", "2020-01-01"),
      statement("newer", "2024-01-01"),
      statement("middle", "2022"),
    ]);
    it("puts the newer first", async () => {
      const page = await own().search(parseQuery({ q: "grain" }));
      expect(page.hits.map((h) => h.id)).toEqual(["newer", "middle", "older"]);
    });
  });

  it("stops, rejecting, when its client goes away: every method takes a signal", async () => {
    const gone = new AbortController();
    gone.abort(new Error("the client went away"));
    const query = parseQuery({ q: "ceasefire" }, archive().fields());
    const calls = [
      archive().search(query, gone.signal),
      archive().count(query, gone.signal),
      archive().stream(query, gone.signal),
      archive().statement("seed-format-ceasefire", query, 1, gone.signal),
      archive().complete("cease", gone.signal),
      archive().diff("press-release", "crlf-bom", gone.signal),
    ];
    for (const call of calls)
      await expect(call).rejects.toThrow("the client went away");
  });

  describe("a statement longer than PostgreSQL keeps positions of", () => {
    // 16,400 words, then a phrase: past PostgreSQL's last position (16,383), and past the
    // first 100,000 characters its snippets are chosen from.
    const filler = Array.from(
      { length: 16_400 },
      (_, i) => `filler${i % 50}`,
    ).join(" ");
    const own = archiveOn(engine, [
      {
        id: "long",
        title: "Long minutes",
        body: `${filler} The joint statement follows.`,
        meta: {},
        origin: { file: "long.txt" },
      },
    ]);
    it(
      engine === "memory"
        ? "finds a phrase at its end, and marks it in the snippet"
        : "finds its words but not the phrase, and chooses the snippet from its first part",
      async () => {
        const phrase = await own().search(
          parseQuery({ q: '"joint statement"' }),
        );
        const word = await own().search(parseQuery({ q: "joint" }));
        expect(word.total).toBe(1);
        if (engine === "memory") {
          expect(phrase.total).toBe(1);
          expect(word.hits[0]!.snippet).toContain("<mark>joint</mark>");
        } else {
          expect(phrase.total).toBe(0);
          expect(word.hits[0]!.snippet).not.toContain("<mark>");
        }
      },
    );
  });
});
