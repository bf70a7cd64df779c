import { describe, expect, it } from "vitest";
import {
  addStatements,
  buildCorpus,
  type Corpus,
} from "../src/engines/memory/corpus.ts";
import { loadStatements } from "../src/ingest/load.ts";
import { fixtureData } from "./helpers.ts";

// Every term's postings as plain maps: field id → short id → frequency.
const postingsOf = (corpus: Corpus) =>
  new Map(
    [...corpus.index.entries()].map(([term, postings]) => [
      term,
      new Map([...postings].map(([field, docs]) => [field, new Map(docs)])),
    ]),
  );

describe("buildCorpus", () => {
  it("gives the postings, lengths and results that adding one statement at a time gives", async () => {
    const { statements } = await loadStatements(fixtureData);
    expect(statements.length).toBeGreaterThan(5);
    const bulk = buildCorpus(statements);
    // Only the first statement goes in as a bulk build; the others the way live updates add.
    const single = buildCorpus(statements.slice(0, 1));
    for (const statement of statements.slice(1))
      addStatements(single, [statement]);
    expect(bulk.index.size).toBe(single.index.size);
    expect(postingsOf(bulk)).toEqual(postingsOf(single));
    expect(bulk.index.miniSearch.toJSON()).toEqual(
      single.index.miniSearch.toJSON(),
    );
    expect(bulk.positions).toEqual(single.positions);
  });
});
