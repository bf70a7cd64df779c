import { describe, expect, it } from "vitest";
import { parseQuery } from "../src/query/params.ts";

describe("parseQuery", () => {
  it("reads q, page, size, mode, sort and the date fields", () => {
    const query = parseQuery({
      q: "  flood relief ",
      page: "2",
      size: "50",
      mode: "any",
      sort: "newest",
      from: "2023",
      to: "2024-02",
    });
    expect(query).toMatchObject({
      q: "flood relief",
      page: 2,
      size: 50,
      mode: "any",
      sort: "newest",
      from: "2023",
      to: "2024-02",
      notes: [],
    });
    expect(query.parsed.dates).toEqual({
      from: "2023-01-01",
      to: "2024-02-29",
    });
    expect(query.description).toBe(
      "flood OR relief, from 1 January 2023 to 29 February 2024, newest first",
    );
  });

  it("uses defaults for missing parameters", () => {
    expect(parseQuery({})).toMatchObject({
      q: "",
      page: 1,
      size: 20,
      mode: "all",
      sort: "relevance",
      from: "",
      to: "",
      notes: [],
    });
  });

  it("takes the first value of a repeated parameter", () => {
    expect(
      parseQuery({ q: ["first", "second"], page: ["3", "4"] }),
    ).toMatchObject({ q: "first", page: 3 });
  });

  it("falls back and notes values out of range instead of failing", () => {
    const query = parseQuery({
      page: "-4",
      size: "5000",
      mode: "fuzzy",
      sort: "random",
      from: "last week",
    });
    expect(query).toMatchObject({
      page: 1,
      size: 100,
      mode: "all",
      sort: "relevance",
      from: "",
    });
    expect(query.notes).toEqual([
      '"-4" is not a valid page; using 1.',
      "The size is at most 100; using 100.",
      'Unknown mode "fuzzy" ignored; choose "all", "any".',
      'Unknown sort "random" ignored; choose "relevance", "newest", "oldest".',
      '"last week" is not a date for “from” (use YYYY, YYYY-MM or YYYY-MM-DD), so it was left out.',
    ]);
  });

  it("ignores parameters that are objects, as qs would parse a[b]=c", () => {
    expect(parseQuery({ q: { evil: "x" }, page: { length: 1 } })).toMatchObject(
      { q: "", page: 1 },
    );
  });

  it("cuts a very long query to 1,000 characters and says so", () => {
    const query = parseQuery({ q: "word ".repeat(500) });
    expect(query.q.length).toBeLessThanOrEqual(1000);
    expect(query.notes[0]).toBe(
      "The query was cut to its first 1000 characters.",
    );
  });

  it("narrows the query's own dates with the date fields", () => {
    const query = parseQuery({ q: "after:2022-06-01 talks", to: "2022" });
    expect(query.parsed.dates).toEqual({
      from: "2022-06-01",
      to: "2022-12-31",
    });
  });
});

describe("a query of exclusions only, with any word", () => {
  it("is described and searched without joining nothing", async () => {
    const { search } = await import("./helpers.ts").then((h) => ({
      search: h.searchCorpus,
    }));
    const { fixtureCorpus } = await import("./helpers.ts");
    const query = parseQuery({ q: "-a*(-a*", mode: "any" });
    expect(query.description).toBe("everything, not a, not a");
    expect(search(await fixtureCorpus(), query).total).toBeGreaterThan(0);
    // Building the fixture corpus on a busy machine takes seconds.
  }, 30_000);
});
