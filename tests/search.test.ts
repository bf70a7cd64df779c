import { describe, expect, it } from "vitest";
import { buildCorpus } from "../src/engines/memory/corpus.ts";
import type { Statement } from "../src/ingest/statement.ts";
import { parseQuery } from "../src/query/params.ts";
import { searchCorpus as search } from "./helpers.ts";
import { expand, expansionShare } from "../src/search/expand.ts";
import { fixtureCorpus } from "./helpers.ts";

const find = async (params: Record<string, string>) =>
  search(await fixtureCorpus(), parseQuery(params));
const ids = async (params: Record<string, string>) =>
  (await find(params)).hits.map((h) => h.id);

describe("search", () => {
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

  it("puts the newer of two equally good statements first", () => {
    const statement = (id: string, date: string): Statement => ({
      id,
      title: "Same title",
      body: "Same body about grain.",
      date,
      meta: {},
      origin: { file: `${id}.txt` },
    });
    const corpus = buildCorpus([
      statement("older", "2020-01-01"),
      statement("newer", "2024-01-01"),
      statement("middle", "2022"),
    ]);
    expect(
      search(corpus, parseQuery({ q: "grain" })).hits.map((h) => h.id),
    ).toEqual(["newer", "middle", "older"]);
  });
});

describe("time limit", () => {
  it("stops a search that runs past its limit with a SearchTimeout", async () => {
    const { withDeadline, SearchTimeout } =
      await import("../src/runtime/deadline.ts");
    const corpus = await fixtureCorpus();
    const query = parseQuery({ q: "the OR zeugma OR harbour" });
    expect(() => withDeadline(-1, () => search(corpus, query))).toThrow(
      SearchTimeout,
    );
    expect(withDeadline(10, () => search(corpus, query)).total).toBeGreaterThan(
      0,
    );
  });
});

describe("sliced searches", () => {
  it("give other work a turn between slices, and none when run at once", async () => {
    const { runNow, runSliced } = await import("../src/runtime/deadline.ts");
    function* busy(turns: number) {
      for (let i = 0; i < turns; i++) {
        const until = performance.now() + 0.2;
        while (performance.now() < until);
        yield;
      }
      return turns;
    }
    let ranBetween = false;
    setImmediate(() => (ranBetween = true));
    expect(runNow(busy(20))).toBe(20);
    expect(ranBetween).toBe(false);
    const sliced = runSliced(busy(50), { sliceMs: 1 });
    expect(ranBetween).toBe(false);
    expect(await sliced).toBe(50);
    expect(ranBetween).toBe(true);
  });

  it("stop a search that uses up its budget, and one whose client went away", async () => {
    const { runSliced, SearchTimeout } =
      await import("../src/runtime/deadline.ts");
    function* forever() {
      for (;;) yield;
    }
    await expect(
      runSliced(forever(), { seconds: 0.01, sliceMs: 2 }),
    ).rejects.toThrow(SearchTimeout);
    const gone = new AbortController();
    const running = runSliced(forever(), {
      seconds: 60,
      sliceMs: 1,
      signal: gone.signal,
    });
    gone.abort(new Error("client went away"));
    await expect(running).rejects.toThrow("client went away");
  });
});

describe("the * and ~ words of one query", () => {
  it("share the query's expansions, and say so", () => {
    // Twelve prefixes: 256 shared expansions give each 21.
    const words = Array.from({ length: 12 }, (_, i) => `w${i}*`).join(" ");
    expect(expansionShare(parseQuery({ q: words }).parsed.root)).toBe(21);
    expect(expansionShare(parseQuery({ q: "a* bc~ de" }).parsed.root)).toBe(64);
    const many = Array.from({ length: 64 }, (_, i) => `x${i}*`).join(" ");
    expect(expansionShare(parseQuery({ q: many }).parsed.root)).toBe(4);
  });

  it("keep the most frequent words of a share, noting the share", () => {
    const words: [string, number][] = Array.from({ length: 10 }, (_, i) => [
      `ab${i}`,
      i,
    ]);
    const vocabulary = {
      frequency: () => 0,
      withPrefix: () => words,
      near: () => [],
    };
    const node = parseQuery({ q: "ab*" }).parsed.root;
    if (node?.type !== "term") throw new Error("expected one word");
    const notes: string[] = [];
    expect(expand(vocabulary, node, notes, 4).map((v) => v.term)).toEqual([
      "ab",
      "ab9",
      "ab8",
      "ab7",
      "ab6",
    ]);
    expect(notes).toEqual([
      "“ab*” matches 10 words; the 4 most frequent were searched (this query's * and ~ words share 256).",
    ]);
  });
});
