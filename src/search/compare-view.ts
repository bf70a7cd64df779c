/**
 * Compare over time through the pipeline: each query's matches per month or year, and all the
 * statements of each period, from the stores' counts by month span (the timeline's aggregate),
 * so that a point's count is what the search for its query and period finds.
 */
import type { AggregateRequest, Aggregates, Store } from "../engines/store.ts";
import { withText, type SearchQuery } from "../query/params.ts";
import type { Steps } from "../runtime/deadline.ts";
import { answerOf, type QueryCache } from "./answers.ts";
import { compareSeries } from "./compare.ts";
import type { ComparePage } from "./pages.ts";
import { planOf, prepare } from "./plan.ts";
import {
  countsMonths,
  countsPerPeriod,
  monthOfDay,
  unitOf,
} from "./timeline.ts";

const PERIODS: AggregateRequest = { periods: true, groups: false };

/**
 * The comparison of `queries` (each with the same filters and dates), by `unit` or, when not
 * given, by month over less than three years and by year otherwise, over the periods from the
 * first match to the last. The totals are every statement within the same filters and dates.
 */
export function* compareSteps(
  store: Store,
  queries: readonly SearchQuery[],
  unit: "month" | "year" | undefined,
  cache?: QueryCache,
): Steps<ComparePage> {
  const counted: Aggregates[] = [];
  const relaxed: boolean[] = [];
  const unavailable = new Set<string>();
  for (const query of queries) {
    const { answer } = yield* answerOf(store, query, PERIODS, cache);
    counted.push(answer.counts);
    relaxed.push(answer.relaxed);
    for (const part of answer.set?.unavailable ?? []) unavailable.add(part);
  }
  const days = counted.flatMap((a) =>
    a.firstDay === undefined ? [] : [a.firstDay, a.lastDay!],
  );
  if (days.length === 0 || queries.length === 0)
    return {
      unit: unit ?? "year",
      periods: [],
      series: [],
      relaxed,
      spread: 0,
      empty: true,
      unavailable: [...unavailable],
    };
  const [first, last] = [Math.min(...days), Math.max(...days)];
  const byMonth = unit ? unit === "month" : countsMonths(first, last);
  // Every statement within the queries' filters and dates: the plan without a tree.
  const everything = yield* prepare(
    store,
    withText(queries[0]!, "", store.fields()),
  );
  const all = yield* store.match(planOf(everything, undefined, store), PERIODS);
  for (const part of all.unavailable) unavailable.add(part);
  const toPeriod = unitOf(byMonth);
  const totals = countsPerPeriod(all.counts.periods, byMonth);
  const comparison = compareSeries({
    unit: byMonth ? "month" : "year",
    start: toPeriod(monthOfDay(first)),
    end: toPeriod(monthOfDay(last)),
    totals: totals.counts,
    series: queries.map((query, i) => ({
      q: query.q,
      counts: countsPerPeriod(counted[i]!.periods, byMonth).counts,
    })),
  });
  return {
    ...comparison,
    relaxed,
    spread: totals.spread,
    empty: false,
    unavailable: [...unavailable].sort(),
  };
}
