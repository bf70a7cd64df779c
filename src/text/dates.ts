/**
 * Dates as statements carry them: ISO-8601, possibly only a year or a month, possibly with a
 * UTC offset. Comparisons use the calendar day as written, never a conversion to UTC, so a
 * statement dated 7 September in Baku stays on 7 September.
 */

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
const MONTH_NAMES = MONTHS.map((m) => m[0]!.toUpperCase() + m.slice(1));

const ISO =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?)?)?$/i;
// "07 September 2023 20:51 (UTC +04:00)", "7 Sept 2023", "September 7, 2023 8:51"
const DAY_MONTH_YEAR =
  /^(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})(?:,?\s+(\d{1,2}):(\d{2}))?\s*(.*)$/i;
const MONTH_DAY_YEAR =
  /^([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})(?:,?\s+(\d{1,2}):(\d{2}))?\s*(.*)$/i;
const ZONE =
  /^\(?\s*(?:UTC|GMT)?\s*(?:([+-])\s*(\d{1,2})(?::?(\d{2}))?)?\s*\)?$/i;

/**
 * Reads a date in any of the forms above and returns it as ISO-8601 (`2023`, `2023-09`,
 * `2023-09-07`, `2023-09-07T20:51:00+04:00`), or undefined when it is not a real date.
 */
export function parseDate(raw: string): string | undefined {
  const text = raw.trim();
  const iso = ISO.exec(text);
  if (iso) {
    const [, y, mo, d, h, mi, s, zone] = iso;
    const offset =
      zone === undefined
        ? ""
        : zone.toUpperCase() === "Z"
          ? "Z"
          : formatOffset(zone);
    return build(y!, mo, d, h, mi, s ?? "00", offset);
  }
  const dmy = DAY_MONTH_YEAR.exec(text);
  if (dmy) return fromWords(dmy[3]!, dmy[2]!, dmy[1]!, dmy[4], dmy[5], dmy[6]!);
  const mdy = MONTH_DAY_YEAR.exec(text);
  if (mdy) return fromWords(mdy[3]!, mdy[1]!, mdy[2]!, mdy[4], mdy[5], mdy[6]!);
  return undefined;
}

function fromWords(
  y: string,
  monthName: string,
  d: string,
  h?: string,
  mi?: string,
  rest = "",
) {
  const lower = monthName.toLowerCase();
  const month =
    lower.length >= 3 ? MONTHS.findIndex((m) => m.startsWith(lower)) : -1;
  if (month < 0) return undefined;
  const zone = ZONE.exec(rest.trim());
  if (!zone) return undefined;
  const offset = zone[1]
    ? `${zone[1]}${zone[2]!.padStart(2, "0")}:${zone[3] ?? "00"}`
    : "";
  return build(
    y,
    pad(month + 1),
    pad(Number(d)),
    h && pad(Number(h)),
    mi,
    "00",
    h ? offset : "",
  );
}

function build(
  y: string,
  mo?: string,
  d?: string,
  h?: string,
  mi?: string,
  s = "00",
  offset = "",
) {
  const year = Number(y);
  if (mo === undefined) return y;
  const month = Number(mo);
  if (month < 1 || month > 12) return undefined;
  if (d === undefined) return `${y}-${mo}`;
  const day = Number(d);
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  if (h === undefined || mi === undefined) return `${y}-${mo}-${d}`;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  if (offset && offset !== "Z" && Number(offset.slice(1, 3)) > 14)
    return undefined;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`;
}

function formatOffset(zone: string): string {
  const digits = zone.replace(":", "");
  return `${digits.slice(0, 3)}:${digits.slice(3)}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** The first and last calendar day a date covers: a year-only date covers the whole year. */
export function dateSpan(iso: string): { first: string; last: string } {
  const [y, mo, d] = iso.slice(0, 10).split("-");
  if (mo === undefined) return { first: `${y}-01-01`, last: `${y}-12-31` };
  if (d === undefined) {
    const last = daysInMonth(Number(y), Number(mo));
    return { first: `${y}-${mo}-01`, last: `${y}-${mo}-${pad(last)}` };
  }
  return { first: `${y}-${mo}-${d}`, last: `${y}-${mo}-${d}` };
}

/** A number that orders dates oldest to newest; a reduced-precision date sorts at its start. */
export function dateSortKey(iso: string): number {
  const { first } = dateSpan(iso);
  const time = /T(\d{2}):(\d{2}):(\d{2})/.exec(iso);
  const day = Date.UTC(
    Number(first.slice(0, 4)),
    Number(first.slice(5, 7)) - 1,
    Number(first.slice(8, 10)),
  );
  return time
    ? day +
        (Number(time[1]) * 3600 + Number(time[2]) * 60 + Number(time[3])) * 1000
    : day;
}

/** How a person reads the date: `7 September 2023`, `September 2023`, `2023`. */
export function formatDate(iso: string): string {
  const [y, mo, d] = iso.slice(0, 10).split("-");
  if (mo === undefined) return y!;
  const month = MONTH_NAMES[Number(mo) - 1];
  return d === undefined ? `${month} ${y}` : `${Number(d)} ${month} ${y}`;
}
