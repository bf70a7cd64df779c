import { describe, expect, it } from "vitest";
import { fixtureCorpus } from "./helpers.ts";

describe("TermIndex", () => {
  it("reads the same documents for a term as MiniSearch's own search finds", async () => {
    const corpus = await fixtureCorpus();
    for (const term of [
      "the",
      "zeugma",
      "ceasefire",
      "agdam",
      "u.s",
      "harbour",
      "sanctions",
    ]) {
      const ours = new Set<string>();
      for (const docs of corpus.index.postings(term)?.values() ?? []) {
        for (const doc of docs.keys()) ours.add(corpus.statements[doc]!.id);
      }
      const theirs = corpus.index.miniSearch
        .search(term, { prefix: false, fuzzy: false })
        .map((r) => r.id);
      expect([...ours].sort()).toEqual(theirs.sort());
      expect(ours.size).toBeGreaterThan(0);
    }
  });

  it("expands prefixes and near spellings from MiniSearch's tree", async () => {
    const { index } = await fixtureCorpus();
    expect([...index.withPrefix("sanction")].map(([t]) => t).sort()).toEqual([
      "sanctions",
    ]);
    expect(index.near("zeugmo", 1).map(([t, , d]) => [t, d])).toEqual([
      ["zeugma", 1],
    ]);
  });
});
