import { periodOf, type Aggregates } from "../engines/store.ts";
import { dateOfDay } from "../text/dates.ts";
import type { Timeline } from "./pages.ts";

const MONTH = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];

/** Whether a timeline over these days (days since 1970) counts months: under three years it does, else years. */
export function countsMonths(firstDay: number, lastDay: number): boolean {
  return lastDay - firstDay < 3 * 365;
}

/**
 * The timeline every engine draws: a bar for each period from `start` to `end` (months as
 * `year * 12 + month`, or years), counted by `countAt`; `spread` is how many statements count
 * in more than one period.
 */
export function timelineBars(
  byMonth: boolean,
  start: number,
  end: number,
  countAt: (period: number) => number,
  spread: number,
): Timeline {
  const bars: Timeline["bars"] = [];
  for (let k = start; k <= end; k++) {
    const count = countAt(k);
    if (byMonth) {
      const year = Math.floor(k / 12);
      const month = String((k % 12) + 1).padStart(2, "0");
      bars.push({
        label: `${MONTH[k % 12]} ${year}`,
        from: `${year}-${month}`,
        to: `${year}-${month}`,
        count,
      });
    } else
      bars.push({ label: String(k), from: String(k), to: String(k), count });
  }
  return {
    unit: byMonth ? "month" : "year",
    bars,
    max: Math.max(...bars.map((b) => b.count)),
    spread,
  };
}

/** A day (days since 1970) as months since year 0. */
export function monthOfDay(day: number): number {
  const date = dateOfDay(day);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

/**
 * The timeline of a match set, every period between the first and the last included. A
 * statement counts in every period its date covers (one dated only `2022` counts in each
 * month of 2022), so a bar's count is what its link finds.
 */
export function timelineOf(a: Aggregates): Timeline | undefined {
  if (a.firstDay === undefined || a.lastDay === undefined) return undefined;
  const byMonth = countsMonths(a.firstDay, a.lastDay);
  const unit = unitOf(byMonth);
  const { counts, spread } = countsPerPeriod(a.periods, byMonth);
  return timelineBars(
    byMonth,
    unit(monthOfDay(a.firstDay)),
    unit(monthOfDay(a.lastDay)),
    (k) => counts.get(k) ?? 0,
    spread,
  );
}

/**
 * Statements per month or year from a store's counts by month span (`Aggregates.periods`): a
 * statement counts in every period its date covers. `spread` is how many count in more than one.
 */
export function countsPerPeriod(
  periods: ReadonlyMap<number, number>,
  byMonth: boolean,
): { counts: Map<number, number>; spread: number } {
  const unit = unitOf(byMonth);
  const counts = new Map<number, number>();
  let spread = 0;
  for (const [key, n] of periods) {
    const [first, last] = periodOf(key).map(unit) as [number, number];
    if (last > first) spread += n;
    for (let k = first; k <= last; k++) counts.set(k, (counts.get(k) ?? 0) + n);
  }
  return { counts, spread };
}

/** Months since year 0 as the period numbers of a timeline by month, or by year. */
export const unitOf = (byMonth: boolean) => (month: number) =>
  byMonth ? month : Math.floor(month / 12);
