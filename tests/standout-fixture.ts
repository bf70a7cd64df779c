import type { Statement } from "../src/ingest/statement.ts";

/** A closing formula in every matching statement and a few others: boilerplate (in 8 or more bodies). */
export const FORMULA =
  "for further information about this announcement please contact the regional press office of the department by electronic mail or by telephone during normal working hours on any weekday";

const POOL =
  "river mountain valley forest meadow village bridge road tower castle garden orchard field market school library museum theatre station airport factory farm harbor lake island coast desert canyon glacier volcano".split(
    " ",
  );

/**
 * What stands out's fixture: 12 statements about the harbour, each also naming a zebrafish
 * (found nowhere else), and 30 others; every body otherwise a different run of common words,
 * so no two are versions of one text. The formula closes every harbour statement and 6 others.
 */
export function standoutStatements(): Statement[] {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  const words = (n: number) =>
    Array.from({ length: n }, () => POOL[next() % POOL.length]).join(" ");
  return Array.from({ length: 42 }, (_, i) => {
    const harbour = i < 12;
    const body = [
      `${words(12)}${harbour ? " harbour" : ""}.`,
      `${words(14)}${harbour ? " with a zebrafish" : ""} ${words(10)}.`,
      harbour || i >= 36 ? FORMULA : words(8),
    ].join("\n\n");
    return {
      id: `standout-${i}`,
      title: `Notice ${i}`,
      body,
      date: `2024-0${1 + (i % 9)}-10`,
      source: "Test Office",
      lang: "en",
      meta: {},
      origin: { file: "standout.jsonl" },
    };
  });
}
