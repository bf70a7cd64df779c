/**
 * Compare over time (issue 26): for up to six queries, the matching statements per month or
 * year, and their share of all statements of the period, so that a growing archive does not
 * fake a trend (as Google Books Ngram divides by the books of each year). Periods are numbered
 * as the timeline numbers them: months as `year * 12 + month` (January 0), or years; a
 * statement dated only by a longer period counts in each period it covers, in the totals as
 * in the matches, so a share never passes 1.
 */
import type { Comparison, Timeline } from "./pages.ts";

export type { Comparison, Period, Series } from "./pages.ts";
import { timelineBars } from "./timeline.ts";

/** The most queries one comparison draws: more lines than this cannot be told apart. */
export const MAX_COMPARED = 6;

/** What a store counts for a comparison, each by period number. */
export interface CompareCounts {
  unit: Timeline["unit"];
  /** The first and last period shown. */
  start: number;
  end: number;
  /** All statements of each period, counted as the queries' matches are. */
  totals: ReadonlyMap<number, number>;
  /** Each query's matching statements per period. */
  series: { q: string; counts: ReadonlyMap<number, number> }[];
}

/** The periods from `start` to `end` and each query's counts and shares over them. */
export function compareSeries(input: CompareCounts): Comparison {
  const { unit, start, end, totals, series } = input;
  if (series.length > MAX_COMPARED)
    throw new Error(
      `compare: at most ${MAX_COMPARED} queries, got ${series.length}`,
    );
  if (!(Number.isInteger(start) && Number.isInteger(end) && start <= end))
    throw new Error(`compare: bad period range ${start} … ${end}`);
  const bars = timelineBars(
    unit === "month",
    start,
    end,
    (k) => totals.get(k) ?? 0,
    0,
  ).bars;
  const periods = bars.map(({ label, from, to, count }) => ({
    label,
    from,
    to,
    total: count,
  }));
  return {
    unit,
    periods,
    series: series.map(({ q, counts }) => {
      const values = periods.map((_, i) => counts.get(start + i) ?? 0);
      values.forEach((count, i) => {
        if (count > periods[i]!.total)
          throw new Error(
            `compare: "${q}" counts ${count} statements in ${periods[i]!.label}, which has ${periods[i]!.total}`,
          );
      });
      return {
        q,
        counts: values,
        shares: values.map((count, i) => {
          const total = periods[i]!.total;
          return total === 0 ? null : count / total;
        }),
        sum: values.reduce((a, b) => a + b, 0),
      };
    }),
  };
}
