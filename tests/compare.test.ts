import { describe, expect, it } from "vitest";
import { compareSeries, MAX_COMPARED } from "../src/search/compare.ts";

const months = (entries: [number, number][]) =>
  new Map(entries.map(([m, n]) => [2022 * 12 + m, n]));

describe("compareSeries", () => {
  it("gives every period in the range, with each query's counts and shares", () => {
    const c = compareSeries({
      unit: "month",
      start: 2022 * 12 + 0,
      end: 2022 * 12 + 2,
      totals: months([
        [0, 10],
        [2, 40],
      ]),
      series: [
        {
          q: "war",
          counts: months([
            [0, 5],
            [2, 10],
          ]),
        },
        { q: "peace", counts: months([[2, 4]]) },
      ],
    });
    expect(c.periods).toEqual([
      { label: "Jan 2022", from: "2022-01", to: "2022-01", total: 10 },
      { label: "Feb 2022", from: "2022-02", to: "2022-02", total: 0 },
      { label: "Mar 2022", from: "2022-03", to: "2022-03", total: 40 },
    ]);
    expect(c.series).toEqual([
      { q: "war", counts: [5, 0, 10], shares: [0.5, null, 0.25], sum: 15 },
      { q: "peace", counts: [0, 0, 4], shares: [0, null, 0.1], sum: 4 },
    ]);
  });

  it("counts by year", () => {
    const c = compareSeries({
      unit: "year",
      start: 2020,
      end: 2021,
      totals: new Map([
        [2020, 4],
        [2021, 8],
      ]),
      series: [{ q: "a", counts: new Map([[2021, 2]]) }],
    });
    expect(c.periods.map((p) => p.from)).toEqual(["2020", "2021"]);
    expect(c.series[0]!.shares).toEqual([0, 0.25]);
  });

  it("takes at most six queries, and counts no more matches than statements", () => {
    const totals = new Map([[2020, 1]]);
    const series = Array.from({ length: MAX_COMPARED + 1 }, (_, i) => ({
      q: `q${i}`,
      counts: new Map<number, number>(),
    }));
    expect(() =>
      compareSeries({ unit: "year", start: 2020, end: 2020, totals, series }),
    ).toThrow("compare: at most 6 queries, got 7");
    expect(() =>
      compareSeries({
        unit: "year",
        start: 2020,
        end: 2020,
        totals,
        series: [{ q: "x", counts: new Map([[2020, 2]]) }],
      }),
    ).toThrow('compare: "x" counts 2 statements in 2020, which has 1');
  });
});
