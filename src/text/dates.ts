/**
 * Dates as statements carry them: ISO-8601, possibly only a year or a month, possibly with a
 * UTC offset. Comparisons use the calendar day as written, never a conversion to UTC, so a
 * statement dated 7 September in Baku stays on 7 September.
 */

import { FILLERS, isWeekday, monthNumber, ZONES } from "./date-words.ts";
import { normalizeTerm } from "./fold.ts";

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

const ISO =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?)?)?$/i;
// A date longer than this is not a date: refusing it first bounds every pattern's work.
const MAX_LENGTH = 200;
// Numbers, words (with their marks), and single other characters; spaces are skipped.
const TOKEN = /\p{N}+|\p{L}[\p{L}\p{M}]*|[^\s\p{L}\p{N}]/gu;

type Token = { text: string; kind: "number" | "word" | "sign" };

/**
 * Reads a date and returns it as ISO-8601 (`2023`, `2023-09`, `2023-09-07`,
 * `2023-09-07T20:51:00+04:00`), or undefined when it is not a real date or cannot be read
 * for sure. Besides ISO-8601 it reads dates written in words in some thirty languages
 * (`7 сентября 2023 года`, `7 de septiembre de 2023`, `September 7, 2023`, `٧ أيلول ٢٠٢٣`),
 * numeric dates with the day first (`07.09.2023`) or the year first (`2023/9/7`),
 * `2023年9月7日`, a time, and a time zone (`GMT`, `UTC+4`, `MSK`, `(UTC +04:00)`). The date is
 * built from what the text states, so the calendar day never shifts. `07/09/2023` is read
 * month first only for English (`lang`), day first for other languages, and not at all
 * without a language unless one of the numbers is over 12.
 */
export function parseDate(raw: string, lang?: string): string | undefined {
  const text = raw.trim();
  if (text.length > MAX_LENGTH) return undefined;
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
  return fromTokens(tokensOf(text), lang);
}

function tokensOf(text: string): Token[] {
  const out: Token[] = [];
  for (const [piece] of text.normalize("NFKC").matchAll(TOKEN)) {
    const folded = /[\p{L}\p{N}]/u.test(piece) ? normalizeTerm(piece) : piece;
    out.push({
      text: folded,
      kind: /^\d+$/.test(folded)
        ? "number"
        : /\p{L}/u.test(folded)
          ? "word"
          : "sign",
    });
  }
  return out;
}

// The parts a date's tokens name, once read.
interface Parts {
  numbers: { value: string; sep: string }[];
  month?: number;
  year?: string;
  day?: string;
  time?: { h: number; mi: string; s: string };
  offset: string;
}

function fromTokens(tokens: Token[], lang?: string): string | undefined {
  const parts: Parts = { numbers: [], offset: "" };
  let sep = "";
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if (t.kind === "number") {
      const time = readTime(tokens, i);
      if (time) {
        if (parts.time) return undefined;
        parts.time = time.time;
        i = time.end - 1;
        const zone = readZone(tokens, time.end);
        if (zone) {
          parts.offset = zone.offset;
          i = zone.end - 1;
        }
        continue;
      }
      // CJK dates mark each number: 2023年9月7日, 2023년 9월 7일.
      if (next && /^[年년]$/.test(next.text)) parts.year = t.text;
      else if (next && /^[月월]$/.test(next.text)) parts.month = Number(t.text);
      else if (next && /^[日일号號]$/.test(next.text)) parts.day = t.text;
      else {
        parts.numbers.push({ value: t.text, sep });
        sep = "";
        continue;
      }
      i++;
    } else if (t.kind === "sign") {
      if (/^[./-]$/.test(t.text)) sep ||= t.text;
    } else {
      const pair =
        next?.kind === "word"
          ? monthNumber(`${t.text} ${next.text}`)
          : undefined;
      const month = pair ?? monthNumber(t.text);
      if (month !== undefined) {
        if (parts.month !== undefined) return undefined;
        parts.month = month;
        if (pair !== undefined) i++;
      } else if (!FILLERS.has(t.text) && !isWeekday(t.text)) return undefined;
      sep = "";
    }
  }
  return assemble(parts, lang);
}

// `14:00`, `14:00:05`, `2:30 pm`, `14h00` starting at tokens[i].
function readTime(tokens: Token[], i: number) {
  const at = (k: number) => tokens[i + k]?.text;
  const colon = at(1) === ":" || at(1) === "h";
  if (!colon || tokens[i + 2]?.kind !== "number" || at(2)!.length !== 2)
    return undefined;
  let h = Number(at(0));
  const mi = at(2)!;
  let end = i + 3;
  let s = "00";
  if (
    at(3) === ":" &&
    tokens[i + 4]?.kind === "number" &&
    at(4)!.length === 2
  ) {
    s = at(4)!;
    end = i + 5;
  }
  // am/pm, also written a.m. / p.m.
  const rest = tokens.slice(end, end + 4).map((t) => t.text);
  const meridiem =
    rest[0] === "am" || rest[0] === "pm"
      ? { half: rest[0], used: 1 }
      : (rest[0] === "a" || rest[0] === "p") &&
          rest[1] === "." &&
          rest[2] === "m"
        ? { half: `${rest[0]}m`, used: rest[3] === "." ? 4 : 3 }
        : undefined;
  if (meridiem) {
    if (h < 1 || h > 12) return undefined;
    h = (h % 12) + (meridiem.half === "pm" ? 12 : 0);
    end += meridiem.used;
  }
  return { time: { h, mi, s }, end };
}

// `GMT`, `UTC+4`, `(UTC +04:00)`, `+0400`, `-05:00`, `MSK` starting at tokens[i].
function readZone(tokens: Token[], i: number) {
  let k = i;
  const open = tokens[k]?.text === "(";
  if (open) k++;
  let offset: string | undefined;
  const named =
    tokens[k]?.kind === "word" ? ZONES.get(tokens[k]!.text) : undefined;
  if (named !== undefined) {
    offset = named;
    k++;
  }
  const sign = tokens[k]?.text;
  if ((sign === "+" || sign === "-") && tokens[k + 1]?.kind === "number") {
    if (offset !== undefined && offset !== "Z") return undefined;
    const digits = tokens[k + 1]!.text;
    let hours: string;
    let minutes = "00";
    k += 2;
    if (digits.length === 4)
      [hours, minutes] = [digits.slice(0, 2), digits.slice(2)];
    else if (digits.length <= 2) {
      hours = digits;
      if (tokens[k]?.text === ":" && tokens[k + 1]?.text.length === 2) {
        minutes = tokens[k + 1]!.text;
        k += 2;
      }
    } else return undefined;
    if (Number(hours) > 14 || Number(minutes) > 59) return undefined;
    offset = `${sign}${hours.padStart(2, "0")}:${minutes}`;
  }
  if (offset === undefined) return undefined;
  if (open) {
    if (tokens[k]?.text !== ")") return undefined;
    k++;
  }
  return { offset, end: k };
}

function assemble(parts: Parts, lang?: string): string | undefined {
  let { year, day, month } = parts;
  const numbers = parts.numbers;
  if (month !== undefined) {
    // A month by name (or 月): the numbers left are a year and perhaps a day.
    for (const n of numbers) {
      if (n.value.length === 4 && year === undefined) year = n.value;
      else if (n.value.length <= 2 && day === undefined) day = n.value;
      else return undefined;
    }
  } else if (numbers.length === 3 || numbers.length === 2) {
    const [a, b, c] = numbers.map((n) => n.value);
    if (numbers.length === 2) {
      // `09.2023`, `2023/09`: a month.
      if (a!.length === 4 && b!.length <= 2) [year, month] = [a, Number(b)];
      else if (b!.length === 4 && a!.length <= 2)
        [year, month] = [b, Number(a)];
      else return undefined;
    } else if (a!.length === 4 && b!.length <= 2 && c!.length <= 2)
      [year, month, day] = [a, Number(b), c];
    else if (c!.length === 4 && a!.length <= 2 && b!.length <= 2) {
      year = c;
      const monthFirst =
        numbers[1]!.sep === "/" && numbers[2]!.sep === "/"
          ? slashMonthFirst(Number(a), Number(b), lang)
          : false;
      if (monthFirst === undefined) return undefined;
      [month, day] = monthFirst ? [Number(a), b] : [Number(b), a];
    } else return undefined;
  } else if (numbers.length === 1 && numbers[0]!.value.length === 4 && !year)
    year = numbers[0]!.value;
  else if (numbers.length > 0 || year === undefined) return undefined;
  if (year === undefined || year.length !== 4) return undefined;
  const time = parts.time;
  if (time && day === undefined) return undefined;
  return build(
    year,
    month === undefined ? undefined : pad(month),
    day === undefined ? undefined : pad(Number(day)),
    time && pad(time.h),
    time?.mi,
    time?.s,
    time ? parts.offset : "",
  );
}

// Whether `a/b/yyyy` is month first: English writes it so, other languages day first; a
// number over 12 settles it; otherwise, without a language, it cannot be told.
function slashMonthFirst(a: number, b: number, lang?: string) {
  if (a > 12) return false;
  if (b > 12) return true;
  if (lang === undefined) return undefined;
  return /^en(?:-us)?$/i.test(lang);
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

const DAY_MS = 86_400_000;

/** A calendar day (`YYYY-MM-DD`) as a day number: days since 1970-01-01. */
export function dayNumber(day: string): number {
  return Date.parse(day) / DAY_MS;
}

/** A day number as the UTC midnight it begins at. */
export function dateOfDay(day: number): Date {
  return new Date(day * DAY_MS);
}

/**
 * The day number of a calendar date held as local midnight (how node-postgres reads a `date`
 * column): the day as written, whatever the time zone.
 */
export function dayOfLocalDate(date: Date): number {
  return Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()) / DAY_MS;
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
