import { describe, expect, it } from "vitest";
import { buildCorpus } from "../src/engines/memory/corpus.ts";
import type { Statement } from "../src/ingest/statement.ts";
import { parseQuery } from "../src/query/params.ts";
import { searchCorpus } from "./helpers.ts";

// Every statement's timeline: a search of all of them (`-zzz` excludes a word none has).
const timeline = (corpus: ReturnType<typeof buildCorpus>) =>
  searchCorpus(corpus, parseQuery({ q: "-zzz" })).timeline;

const statement = (id: string, date?: string): Statement => ({
  id,
  title: id,
  body: "text",
  meta: {},
  origin: { file: id },
  ...(date ? { date } : {}),
});

describe("timeline", () => {
  it("counts per year when the statements span three years or more", () => {
    const corpus = buildCorpus([
      statement("a", "2019-03-01"),
      statement("b", "2021"),
      statement("c", "2022-12-31"),
      statement("d"),
    ]);
    const line = timeline(corpus)!;
    expect(line.unit).toBe("year");
    expect(line.bars.map((b) => [b.label, b.from, b.count])).toEqual([
      ["2019", "2019", 1],
      ["2020", "2020", 0],
      ["2021", "2021", 1],
      ["2022", "2022", 1],
    ]);
    expect(line.max).toBe(1);
  });

  it("has nothing to draw when no statement is dated", () => {
    const corpus = buildCorpus([statement("a"), statement("b")]);
    expect(timeline(corpus)).toBeUndefined();
  });
});
