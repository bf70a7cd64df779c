import request from "supertest";
import { describe, expect, it } from "vitest";
import { MemoryArchive } from "../../src/archive.ts";
import type { Statement } from "../../src/ingest/statement.ts";
import { fieldLabel, fieldName, metaKey } from "../../src/query/fields.ts";
import { createApp } from "../../src/web/app.ts";
import { fixtureStatements } from "../helpers.ts";

// Records as the UN debates have them: a `year` of their own (the session's, not always the
// date's) beside the date, and fields named like other URL parameters (`page`, `sort`).
const debates: Statement[] = [
  ["2023-09-19", "2023", "78", "Moldova"],
  ["2023-09-22", "2023", "78", "Ukraine"],
  ["2024-09-24", "2024", "79", "Moldova"],
  ["2024-09-26", "2024", "79", "Chile"],
  ["2024-01-10", "2023", "78", "Chile"],
  ["2025-09-23", "2025", "80", "Ukraine"],
].map(([date, year, session, country], i) => ({
  id: `debate-${i}`,
  title: `${country}: statement in the General Debate`,
  date: date!,
  source: "United Nations General Assembly",
  body: `The delegation of ${country} addressed the general debate of session ${session}.`,
  meta: {
    year: year!,
    session: session!,
    country: country!,
    page: String((i % 2) + 1),
    sort: "speech",
  },
  origin: { file: "debates.jsonl", line: i + 1 },
}));

const app = async () =>
  createApp(
    MemoryArchive.fromStatements([...(await fixtureStatements()), ...debates]),
    { env: "test" },
  );

type Facet = {
  field: string;
  label: string;
  values: { value: string; count: number }[];
};

describe("fieldName", () => {
  it("renames only what clashes with a built-in name, and finds the key again", () => {
    for (const [key, name] of [
      ["year", "meta_year"],
      ["Page", "meta_Page"],
      ["after", "meta_after"],
      ["source", "meta_source"],
      ["meta_info", "meta_meta_info"],
      ["country", "country"],
      ["session", "session"],
    ]) {
      expect(fieldName(key!)).toBe(name);
      expect(metaKey(name!)).toBe(key);
    }
    expect(fieldLabel("meta_year")).toBe("Year (metadata)");
    expect(fieldLabel("year")).toBe("Year");
  });
});

describe("facets named like a built-in parameter", () => {
  it("go by names and labels of their own: facets, chips, the query language, /about", async () => {
    const served = await app();
    const body = (
      await request(served).get("/search.json?q=debate&size=100").expect(200)
    ).body;
    const facets = body.facets as Facet[];
    const fields = facets.map((f) => f.field);
    expect(new Set(fields).size).toBe(fields.length);
    expect(new Set(facets.map((f) => f.label)).size).toBe(facets.length);
    expect(fields).toEqual(
      expect.arrayContaining(["year", "meta_year", "meta_page", "meta_sort"]),
    );
    expect(facets.find((f) => f.field === "meta_year")!.label).toBe(
      "Year (metadata)",
    );
    const page = await request(served)
      .get("/search?q=debate&meta_year=2023&year=2024")
      .expect(200);
    expect(page.text).toContain('name="meta_year" value="2023" checked');
    expect(page.text).toContain('name="year" value="2024" checked');
    expect(page.text).toContain(">Year (metadata): 2023 <a");
    expect(page.text).toContain(">Year: 2024 <a");
    // debate-4: dated January 2024, of the 2023 session.
    const both = (
      await request(served)
        .get("/search.json?q=debate&meta_year=2023&year=2024")
        .expect(200)
    ).body;
    expect(both.hits.map((h: { id: string }) => h.id)).toEqual(["debate-4"]);
    const typed = (
      await request(served).get("/search.json?q=meta_year:2025").expect(200)
    ).body;
    expect(typed.hits.map((h: { id: string }) => h.id)).toEqual(["debate-5"]);
    expect(typed.notes).toEqual([]);
    const about = (await request(served).get("/about.json").expect(200)).body;
    expect(about.fields).toEqual(
      expect.arrayContaining([
        "meta_year",
        "meta_page",
        "meta_sort",
        "session",
      ]),
    );
    expect(about.fields).not.toContain("year");
    // The statement keeps its own keys.
    const statement = (
      await request(served).get("/statements/debate-4.json").expect(200)
    ).body;
    expect(statement.meta).toMatchObject({ year: "2023", page: "1" });
  }, 60_000);

  it("count what choosing them gives, for every value of every facet", async () => {
    const served = await app();
    for (const q of ["debate", "the"]) {
      const all = (
        await request(served).get(`/search.json?q=${q}&size=100`).expect(200)
      ).body;
      let checked = 0;
      for (const facet of all.facets as Facet[]) {
        for (const { value, count } of facet.values) {
          const narrowed = (
            await request(served)
              .get("/search.json")
              .query({ q, size: 100, [facet.field]: value })
              .expect(200)
          ).body;
          expect(narrowed.total, `${q}: ${facet.field}=${value}`).toBe(count);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(10);
    }
  }, 60_000);
});
