import request from "supertest";
import { describe, expect, it } from "vitest";
import { MemoryArchive } from "../src/archive.ts";
import type { Statement } from "../src/ingest/statement.ts";
import { listFacets, SHOWN_VALUES } from "../src/search/facets.ts";
import { createApp } from "../src/web/app.ts";

type Value = { value: string; count: number; selected: boolean };
const collator = new Intl.Collator();

/** The oracle: every value sorted in full, then the first SHOWN_VALUES and the selected. */
function fullSort(
  counts: Map<string, number>,
  selected: string[],
  known: (value: string) => boolean = () => false,
): Value[] {
  // A selected value the archive has, but none of these matches: offered with 0.
  const none = selected.filter((v) => !(counts.get(v)! > 0) && known(v));
  return [...counts]
    .filter(([, n]) => n > 0)
    .map(([value, count]) => ({
      value,
      count,
      selected: selected.includes(value),
    }))
    .concat(none.map((value) => ({ value, count: 0, selected: true })))
    .sort((a, b) => b.count - a.count || collator.compare(a.value, b.value))
    .filter((v, i) => i < SHOWN_VALUES || v.selected);
}

// A small deterministic generator, so a failure can be replayed.
function random(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe("a facet's listed values", () => {
  it("are the first by count and name, and the selected ones, as a full sort gives them", () => {
    const next = random(7);
    for (let round = 0; round < 200; round++) {
      const size = Math.floor(next() * 120);
      // Few distinct counts, so that many values tie across the cut.
      const counts = new Map<string, number>();
      for (let i = 0; i < size; i++)
        counts.set(`v${Math.floor(next() * 1000)}`, Math.floor(next() * 5));
      const values = [...counts.keys()];
      const selected = values.filter(() => next() < 0.05);
      if (next() < 0.3) selected.push("never-counted");
      const [facet] = listFacets(
        new Map([["source", counts]]),
        ["source"],
        new Map(),
        { source: selected },
        [],
      );
      expect(facet?.values ?? []).toEqual(fullSort(counts, selected));
    }
  });
});

const SURNAMES =
  "Abbott Barlow Carver Dunmore Ellery Fairfax Garland Hollis Ingram Jarvis Kendrick Lockhart Merriman Norcott Osborne Prescott Quimby Rutledge Sterling Thackeray Underhill Vance Whitlock Yardley Ashdown Blackwood Cromwell Dalgleish Everard Fenwick Gilchrist Hargreaves Ilkley Jellicoe Kingsley Lambert Montague Northcote Ormsby Pemberton".split(
    " ",
  );

describe("facets of a search with more values than are shown", () => {
  // Each statement names two of forty people and has one of forty sources, unevenly, so that
  // counts tie at the cut of the first thirty.
  const next = random(11);
  const statements: Statement[] = Array.from({ length: 160 }, (_, i) => {
    const pick = () => SURNAMES[Math.floor(next() ** 2 * SURNAMES.length)]!;
    const people = [...new Set([`Adam ${pick()}`, `Adam ${pick()}`])];
    return {
      id: `s${i}`,
      title: `Statement ${i}`,
      body: `A statement on the harbour, number ${i}.`,
      source: `Source ${pick()}`,
      date: "2024-01-01",
      meta: {},
      origin: { file: "facets.jsonl", line: i + 1 },
      entities: { person: people, place: [], org: [] },
    } as Statement;
  });
  const app = createApp(MemoryArchive.fromStatements(statements), {
    env: "test",
  });
  const counted = (values: (s: Statement) => string[], of = statements) => {
    const counts = new Map<string, number>();
    for (const s of of)
      for (const v of values(s)) counts.set(v, (counts.get(v) ?? 0) + 1);
    return counts;
  };
  const facet = (
    body: { facets: { field: string; values: Value[] }[] },
    field: string,
  ) =>
    body.facets
      .find((f) => f.field === field)
      ?.values.map(({ value, count, selected }) => ({
        value,
        count,
        selected,
      }));

  it("lists the sources and people a full count and sort would, selected ones included", async () => {
    const sources = counted((s) => [s.source!]);
    const people = counted((s) => s.entities!.person!);
    expect(sources.size).toBeGreaterThan(SHOWN_VALUES);
    expect(people.size).toBeGreaterThan(SHOWN_VALUES);
    const all = (await request(app).get("/search.json?q=harbour").expect(200))
      .body;
    expect(facet(all, "source")).toEqual(fullSort(sources, []));
    expect(facet(all, "person")).toEqual(fullSort(people, []));

    // A source and a person counted least: each listed, selected, with its count.
    const rare = (counts: Map<string, number>) =>
      [...counts].sort(
        (a, b) => a[1] - b[1] || collator.compare(b[0], a[0]),
      )[0]![0];
    const source = rare(sources);
    const person = rare(people);
    const search = async (params: Record<string, string>) =>
      (
        await request(app)
          .get("/search.json")
          .query({ q: "harbour", ...params })
          .expect(200)
      ).body;
    const named = statements.filter((s) =>
      s.entities!.person!.includes(person),
    );
    const fromSource = statements.filter((s) => s.source === source);
    // A facet's counts leave out its own selection: a value selected below the cut is
    // listed with its count, and the other facet counts what the selection leaves.
    const byPerson = await search({ person });
    expect(facet(byPerson, "person")).toEqual(fullSort(people, [person]));
    expect(facet(byPerson, "source")).toEqual(
      fullSort(
        counted((s) => [s.source!], named),
        [],
      ),
    );
    const bySource = await search({ source });
    expect(facet(bySource, "source")).toEqual(fullSort(sources, [source]));
    expect(facet(bySource, "person")).toEqual(
      fullSort(
        counted((s) => s.entities!.person!, fromSource),
        [],
      ),
    );
    // Both: each facet counts under the other's selection only.
    const both = await search({ person, source });
    expect(facet(both, "source")).toEqual(
      fullSort(
        counted((s) => [s.source!], named),
        [source],
        (v) => sources.has(v),
      ),
    );
    expect(facet(both, "person")).toEqual(
      fullSort(
        counted((s) => s.entities!.person!, fromSource),
        [person],
        (v) => people.has(v),
      ),
    );
  });
});
