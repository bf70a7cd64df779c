import type { Timeline } from "../../archive.ts";
import { countsMonths, timelineBars } from "../../search/timeline.ts";
import { derived, type Corpus } from "./corpus.ts";
import type { Matches } from "./evaluate.ts";

/**
 * Each statement's first and last month (year × 12 + month) and year, worked out once per
 * corpus version, so a timeline adds up integers instead of making dates for every match.
 */
function periods(corpus: Corpus) {
  return derived(corpus, "timeline-periods", () => {
    const n = corpus.firstDay.length;
    const columns = {
      firstMonth: new Int32Array(n),
      lastMonth: new Int32Array(n),
      firstYear: new Int32Array(n),
      lastYear: new Int32Array(n),
    };
    for (let doc = 0; doc < n; doc++) {
      const day = corpus.firstDay[doc]!;
      if (Number.isNaN(day)) continue;
      const a = new Date(day * 86_400_000);
      const b = new Date(corpus.lastDay[doc]! * 86_400_000);
      columns.firstYear[doc] = a.getUTCFullYear();
      columns.lastYear[doc] = b.getUTCFullYear();
      columns.firstMonth[doc] = a.getUTCFullYear() * 12 + a.getUTCMonth();
      columns.lastMonth[doc] = b.getUTCFullYear() * 12 + b.getUTCMonth();
    }
    return columns;
  });
}

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
  let firstDoc = -1;
  let lastDoc = -1;
  for (const doc of matches.ids) {
    const day = corpus.firstDay[doc]!;
    if (Number.isNaN(day)) continue;
    if (day < first) [first, firstDoc] = [day, doc];
    if (corpus.lastDay[doc]! > last)
      [last, lastDoc] = [corpus.lastDay[doc]!, doc];
  }
  if (first === Infinity) return undefined;
  const byMonth = countsMonths(first, last);
  const columns = periods(corpus);
  const [from, to] = byMonth
    ? [columns.firstMonth, columns.lastMonth]
    : [columns.firstYear, columns.lastYear];
  const start = from[firstDoc]!;
  const end = to[lastDoc]!;
  const counts = new Int32Array(end - start + 1);
  let spread = 0;
  for (const doc of matches.ids) {
    if (Number.isNaN(corpus.firstDay[doc]!)) continue;
    const [a, b] = [from[doc]!, to[doc]!];
    if (b > a) spread++;
    for (let k = a; k <= b; k++) counts[k - start]!++;
  }
  return timelineBars(byMonth, start, end, (k) => counts[k - start]!, spread);
}
