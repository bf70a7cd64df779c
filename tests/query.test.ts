import { describe, expect, it } from "vitest";
import { parseQuery } from "../src/query.ts";

describe("parseQuery", () => {
  it("reads q, page, size and mode", () => {
    expect(
      parseQuery({ q: "  flood relief ", page: "2", size: "50", mode: "any" }),
    ).toEqual({
      q: "flood relief",
      page: 2,
      size: 50,
      mode: "any",
      notes: [],
    });
  });

  it("uses defaults for missing parameters", () => {
    expect(parseQuery({})).toEqual({
      q: "",
      page: 1,
      size: 20,
      mode: "all",
      notes: [],
    });
  });

  it("takes the first value of a repeated parameter", () => {
    expect(
      parseQuery({ q: ["first", "second"], page: ["3", "4"] }),
    ).toMatchObject({ q: "first", page: 3 });
  });

  it("clamps and notes numbers out of range instead of failing", () => {
    const query = parseQuery({ page: "-4", size: "5000", mode: "fuzzy" });
    expect(query).toMatchObject({ page: 1, size: 100, mode: "all" });
    expect(query.notes).toEqual([
      '"-4" is not a valid page; using 1.',
      "The size is at most 100; using 100.",
      'Unknown mode "fuzzy" ignored; modes are "all" and "any".',
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
    expect(query.notes).toEqual([
      "The query was cut to its first 1000 characters.",
    ]);
  });
});
