import { describe, expect, it } from "vitest";
import { advancedQuery, type AdvancedForm } from "../src/query/advanced.ts";
import { parseSyntax } from "../src/query/parse.ts";
import { describeQuery } from "../src/query/describe.ts";

const empty: AdvancedForm = {
  all: "",
  exact: "",
  any: "",
  none: "",
  where: "",
  source: "",
  lang: "",
  person: "",
  place: "",
  org: "",
  from: "",
  to: "",
};
const fields = ["source", "lang", "country"];
const understood = (q: string) => {
  const parsed = parseSyntax(q, fields);
  return {
    notes: parsed.notes,
    said: describeQuery(parsed.root, parsed.dates),
  };
};

describe("advancedQuery", () => {
  it("is empty for an empty form", () => {
    expect(advancedQuery(empty)).toBe("");
  });

  it("writes the names asked for as person:, place: and org:", () => {
    expect(
      advancedQuery({ ...empty, person: 'Volodymyr "Zelensky"', org: "NATO" }),
    ).toBe('person:"Volodymyr Zelensky" org:"NATO"');
  });

  it("writes every box in the query language", () => {
    const q = advancedQuery({
      all: "sanctions  Russia",
      exact: "joint statement",
      any: "gas oil coal",
      none: "Armenia Iran",
      where: "",
      source: "The White House",
      lang: "en",
      person: "",
      place: "",
      org: "",
      from: "2023",
      to: "2024-06-30",
    });
    expect(q).toBe(
      '"joint statement" sanctions Russia (gas OR oil OR coal) -Armenia -Iran source:"The White House" lang:en after:2023 before:2024-06-30',
    );
    expect(understood(q).notes).toEqual([]);
  });

  it("keeps the words in the title when asked, but not the words to leave out", () => {
    const q = advancedQuery({
      ...empty,
      all: "flood",
      exact: "northern provinces",
      any: "relief aid",
      none: "harbour",
      where: "title",
    });
    expect(q).toBe(
      'title:"northern provinces" title:flood (title:relief OR title:aid) -harbour',
    );
    expect(understood(q).notes).toEqual([]);
  });

  it("searches words that look like syntax as typed, instead of obeying them", () => {
    const q = advancedQuery({
      ...empty,
      all: 'OR -x country:Belgium "quoted" (brackets)',
      exact: 'say "no"',
    });
    expect(q).toBe('"say no" "OR" "x" "country:Belgium" quoted brackets');
    expect(understood(q).said).toBe(
      "“say no” AND “OR” AND “x” AND “country:Belgium” AND quoted AND brackets",
    );
  });

  it("reads a written-out date and leaves a wrong one for the search to explain", () => {
    expect(advancedQuery({ ...empty, from: "7 September 2023" })).toBe(
      "after:2023-09-07",
    );
    const wrong = advancedQuery({ ...empty, to: "next week" });
    expect(wrong).toBe("before:next-week");
    expect(understood(wrong).notes[0]).toMatch(/is not a date/);
  });

  it("leaves out a language that is not a language code", () => {
    expect(advancedQuery({ ...empty, all: "x", lang: "en OR y" })).toBe("x");
  });
});
