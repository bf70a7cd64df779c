import { describe, expect, it } from "vitest";
import { parseQuery } from "../src/query/params.ts";
import { searchCorpus as search } from "./helpers.ts";
import { expand, expansionShare } from "../src/search/expand.ts";
import { fixtureCorpus } from "./helpers.ts";

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
