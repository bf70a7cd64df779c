/**
 * The words of written dates in many languages: month and weekday names taken from the
 * ICU data built into Node (`Intl.DateTimeFormat`), so no name list ships with Readout;
 * the words that stand between a date's parts; time-zone names. All folded as the index
 * folds words (`Eylül` → `eylul`, `أيلول` → `ايلول`).
 */

import { normalizeTerm } from "./fold.ts";

// Languages whose month names are read; Arabic three times: Egypt's, the Levant's and the
// Maghreb's names. Each costs a few milliseconds of ICU data on first use.
const LOCALES = [
  "en",
  "fr",
  "es",
  "de",
  "it",
  "pt",
  "nl",
  "pl",
  "ro",
  "ru",
  "uk",
  "az",
  "tr",
  "ar",
  "ar-SY",
  "ar-MA",
  "fa",
  "el",
];

const fold = (name: string) =>
  name
    .split(/\s+/)
    .map((w) => normalizeTerm(w.replace(/\.$/, "")))
    .join(" ");

function monthNames(): Map<string, number> {
  const full = new Map<string, Set<number>>();
  const exact = new Map<string, number>();
  const note = (map: Map<string, Set<number>>, name: string, m: number) => {
    const set = map.get(name) ?? new Set();
    set.add(m);
    map.set(name, set);
  };
  for (const locale of LOCALES) {
    for (const options of [
      { month: "long" },
      { month: "long", day: "numeric" },
      { month: "short", day: "numeric" },
    ] as const) {
      const format = new Intl.DateTimeFormat(locale, {
        ...options,
        timeZone: "UTC",
      });
      for (let m = 0; m < 12; m++) {
        const parts = format.formatToParts(new Date(Date.UTC(2023, m, 7)));
        const name = parts.find((p) => p.type === "month")?.value ?? "";
        if (!/\p{L}/u.test(name)) continue;
        const folded = fold(name);
        exact.set(folded, m + 1);
        if (options.month === "long") note(full, folded, m + 1);
      }
    }
  }
  // Abbreviations: the first three letters or more of a month's full name, where no other
  // month's name begins so (`sept`, `dec`, `окт`, `eyl`).
  const prefixes = new Map<string, Set<number>>();
  for (const [name, months] of full) {
    if (name.includes(" ")) continue;
    for (let n = 3; n < name.length; n++)
      for (const m of months) note(prefixes, name.slice(0, n), m);
  }
  const out = new Map<string, number>();
  for (const [prefix, months] of prefixes)
    if (months.size === 1) out.set(prefix, [...months][0]!);
  for (const [name, m] of exact) out.set(name, m);
  return out;
}

function weekdayNames(): Set<string> {
  const out = new Set<string>();
  for (const locale of LOCALES) {
    for (const weekday of ["long", "short"] as const) {
      const format = new Intl.DateTimeFormat(locale, {
        weekday,
        timeZone: "UTC",
      });
      for (let d = 0; d < 7; d++)
        out.add(fold(format.format(new Date(Date.UTC(2023, 0, 1 + d)))));
    }
  }
  return out;
}

// Built on first use: reading the names takes some 150 formatters, and most archives date
// their statements in ISO-8601, which needs none.
let months: Map<string, number> | undefined;
let weekdays: Set<string> | undefined;

/** The month (1–12) a folded word names, in full or abbreviated (`sept`, `окт`, `eyl`). */
export function monthNumber(word: string): number | undefined {
  return (months ??= monthNames()).get(word);
}

/** Whether a folded word names a day of the week, which a date may open with. */
export function isWeekday(word: string): boolean {
  return (weekdays ??= weekdayNames()).has(word);
}

/**
 * Words that stand between the parts of a date and say nothing more: `7 de septiembre de
 * 2023`, `7 сентября 2023 года`, `2023-cü il`, `1er`, `7th`, `10η`, `à 14h00`, `14:00 Uhr`.
 */
export const FILLERS: ReadonlySet<string> = new Set(
  [
    ..."de del of the on at le la el am um den der dem a à en y e".split(" "),
    ..."г года год гг р року рік в во о об у".split(" "),
    ..."il ci cu cı cü yil yili tarihinde saat".split(" "),
    ..."st nd rd th er eme re º".split(" "),
    // Greek: 10η Δεκεμβρίου, 1ης Μαΐου, του 1948, στις 10.
    ..."η ης ος ου του της στις στην".split(" "),
    ..."uhr hrs".split(" "),
    ..."في عام سنة الساعة م".split(" "),
  ].map(normalizeTerm),
);

/** Time zones written as names, to their UTC offsets. Ambiguous ones (IST, CST) are left out. */
export const ZONES: ReadonlyMap<string, string> = new Map([
  ["gmt", "Z"],
  ["utc", "Z"],
  ["z", "Z"],
  ["wet", "+00:00"],
  ["west", "+01:00"],
  ["bst", "+01:00"],
  ["cet", "+01:00"],
  ["cest", "+02:00"],
  ["eet", "+02:00"],
  ["eest", "+03:00"],
  ["msk", "+03:00"],
  ["мск", "+03:00"],
  ["trt", "+03:00"],
  ["azt", "+04:00"],
  ["gst", "+04:00"],
  ["pkt", "+05:00"],
  ["hkt", "+08:00"],
  ["sgt", "+08:00"],
  ["jst", "+09:00"],
  ["kst", "+09:00"],
  ["aest", "+10:00"],
  ["aedt", "+11:00"],
  ["est", "-05:00"],
  ["edt", "-04:00"],
  ["cdt", "-05:00"],
  ["mst", "-07:00"],
  ["mdt", "-06:00"],
  ["pst", "-08:00"],
  ["pdt", "-07:00"],
]);
