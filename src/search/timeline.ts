import type { Timeline } from "../archive.ts";

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
