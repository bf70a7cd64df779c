import { describe, expect, it } from "vitest";
import { completeQuery, completionLimits } from "../src/search/complete.ts";
import { fixtureCorpus } from "./helpers.ts";

/** An index over literal terms and document frequencies, in alphabetical order like MiniSearch's. */
function fakeIndex(entries: Record<string, number>) {
  const sorted = Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : 1));
  let scanned = 0;
  return {
    get scanned() {
      return scanned;
    },
    *withPrefix(prefix: string): Generator<[string, number]> {
      for (const entry of sorted)
        if (entry[0].startsWith(prefix)) {
          scanned++;
          yield entry;
        }
    },
  };
}

describe("completeQuery", () => {
  it("completes the last word with the most frequent terms, ties alphabetically", () => {
    const index = fakeIndex({
      sanction: 5,
      sanctions: 40,
      sanctioned: 5,
      sand: 12,
      salt: 99,
    });
    expect(completeQuery(index, "new san")).toEqual({
      q: "new san",
      completions: [
        "new sanctions",
        "new sand",
        "new sanction",
        "new sanctioned",
      ],
    });
  });

  it("returns at most 10, the most frequent", () => {
    const entries: Record<string, number> = {};
    for (let i = 0; i < 30; i++)
      entries[`word${String(i).padStart(2, "0")}`] = i;
    const { completions } = completeQuery(fakeIndex(entries), "wor");
    expect(completions).toHaveLength(10);
    expect(completions[0]).toBe("word29");
    expect(completions[9]).toBe("word20");
  });

  it("keeps the letters as typed when they differ only in case or apostrophes", () => {
    const index = fakeIndex({ azerbaijan: 9, azerbaijani: 4, obrien: 2 });
    expect(completeQuery(index, "visit to Azer").completions).toEqual([
      "visit to Azerbaijan",
      "visit to Azerbaijani",
    ]);
    expect(completeQuery(index, "AZER").completions[0]).toBe("AZERBAIJAN");
    expect(completeQuery(index, "O’Bri").completions).toEqual(["O’Brien"]);
    expect(completeQuery(fakeIndex({ "12th": 2 }), "12").completions).toEqual([
      "12th",
    ]);
  });

  it("gives the indexed term, in the typed case, where typed letters fold", () => {
    const index = fakeIndex({
      agdam: 3,
      agreement: 3,
      azerbaijan: 9,
      azerbaijani: 4,
    });
    // `ğ` folds to `g`: carrying it over would spell `Ağreement`.
    expect(completeQuery(index, "Ağ").completions).toEqual([
      "Agdam",
      "Agreement",
    ]);
    expect(completeQuery(index, "ağd").completions).toEqual(["agdam"]);
    expect(completeQuery(index, "AĞD").completions).toEqual(["AGDAM"]);
    expect(completeQuery(index, "Azerbaijan's").completions).toEqual([
      "Azerbaijan",
      "Azerbaijani",
    ]);
  });

  it("completes a word after operators, fields and quotes, keeping them", () => {
    const index = fakeIndex({ armenia: 3, statement: 4 });
    expect(completeQuery(index, "karabakh -arm").completions).toEqual([
      "karabakh -armenia",
    ]);
    expect(completeQuery(index, 'title:"joint sta').completions).toEqual([
      'title:"joint statement',
    ]);
  });

  it("offers nothing for a 1-letter word, an empty query or a finished word", () => {
    const index = fakeIndex({ armenia: 3, a: 50 });
    expect(completeQuery(index, "a").completions).toEqual([]);
    expect(completeQuery(index, "peace a").completions).toEqual([]);
    expect(completeQuery(index, "").completions).toEqual([]);
    expect(completeQuery(index, "arm ").completions).toEqual([]);
    expect(completeQuery(index, "arm*").completions).toEqual([]);
    expect(completeQuery(index, "arm)").completions).toEqual([]);
  });

  it("reads at most 200 characters of the query", () => {
    const index = fakeIndex({ armenia: 3 });
    const long = "x ".repeat(100) + "arm";
    const { q, completions } = completeQuery(index, long);
    expect(q).toHaveLength(completionLimits.queryLength);
    expect(completions).toEqual([]);
    expect(completeQuery(index, "x ".repeat(98) + "ar").completions).toEqual([
      "x ".repeat(98) + "armenia",
    ]);
  });

  it("stops reading terms after the scan limit", () => {
    const entries: Record<string, number> = {};
    for (let i = 0; i < 50; i++)
      entries[`term${String(i).padStart(2, "0")}`] = i;
    const index = fakeIndex(entries);
    const limits = { ...completionLimits, scanned: 20, completions: 3 };
    expect(completeQuery(index, "ter", limits).completions).toEqual([
      "term19",
      "term18",
      "term17",
    ]);
    expect(index.scanned).toBeLessThanOrEqual(21);
  });

  it("completes from the fixture archive's vocabulary", async () => {
    const corpus = await fixtureCorpus();
    expect(completeQuery(corpus.index, "an").completions).toEqual([
      "and",
      "an",
      "ancient",
      "announced",
      "annual",
    ]);
    expect(completeQuery(corpus.index, "the Ağ").completions).toEqual([
      "the Against",
      "the Agdam",
      "the Agreed",
      "the Agreement",
    ]);
  });
});
