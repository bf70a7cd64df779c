import type { Timeline } from "../../archive.ts";
import type { Corpus } from "./corpus.ts";
import type { Matches } from "./evaluate.ts";

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

/**
 * The timeline of the matches, every period between the first and the last included. A
 * statement counts in every period its date covers (one dated only `2022` counts in each
 * month of 2022), so a bar's count is what its link finds.
 */
export function timeline(
  corpus: Corpus,
  matches: Matches,
): Timeline | undefined {
  let first = Infinity;
  let last = -Infinity;
  for (const doc of matches.ids) {
    const day = corpus.firstDay[doc]!;
    if (Number.isNaN(day)) continue;
    if (day < first) first = day;
    if (corpus.lastDay[doc]! > last) last = corpus.lastDay[doc]!;
  }
  if (first === Infinity) return undefined;
  const start = new Date(first * 86_400_000);
  const end = new Date(last * 86_400_000);
  const byMonth = last - first < 3 * 365;
  const key = (d: Date) =>
    byMonth ? d.getUTCFullYear() * 12 + d.getUTCMonth() : d.getUTCFullYear();
  const counts = new Map<number, number>();
  let spread = 0;
  for (const doc of matches.ids) {
    const day = corpus.firstDay[doc]!;
    if (Number.isNaN(day)) continue;
    const to = key(new Date(corpus.lastDay[doc]! * 86_400_000));
    if (to > key(new Date(day * 86_400_000))) spread++;
    for (let k = key(new Date(day * 86_400_000)); k <= to; k++)
      counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const bars: Timeline["bars"] = [];
  for (let k = key(start); k <= key(end); k++) {
    const count = counts.get(k) ?? 0;
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
