import { parseDate } from "../text/dates.ts";

/** A date found in a text: what it says (ISO-8601), as written, and where. */
export interface FoundDate {
  iso: string;
  text: string;
  index: number;
}

// Shapes a written date takes, in any language: only where one stands is decided here;
// what it says (month names in every language included) is parseDate's job. Every
// repetition is bounded and every alternative starts at a word edge, so the scan stays
// linear on any input. A literal (not built from parts) so that tests/security can check it.
// The alternatives, in order, where a word (WORD) is `\p{L}[\p{L}\p{M}]{1,24}\.?`:
//   2023-09-07, 2023-09-07T20:51:00+04:00
//   2023年9月7日, 2023 年 9 月 7 日, 2023년 9월 7일
//   07.09.2023, 7/9/2023, 2023.09.07, 2023/9/7
//   7 September 2023, 7. September 2023, 7 сентября 2023 года, 7 de septiembre de 2023,
//     1st May 2023, 1er mai 2023, 10η Δεκεμβρίου 1948
//     (day, optional WORD, WORD, optional WORD, year)
//   September 7, 2023 (WORD, day, year)
const CANDIDATE =
  /(?<![\p{L}\p{N}])\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\p{N}])|(?<!\p{N})\d{4}\s{0,2}[年년]\s{0,2}\d{1,2}\s{0,2}[月월]\s{0,2}\d{1,2}\s{0,2}[日일号號]|(?<![\p{L}\p{N}.])(?:\d{1,2}[./]\d{1,2}[./]\d{4}|\d{4}[./]\d{1,2}[./]\d{1,2})(?![\p{N}])|(?<![\p{L}\p{N}])\d{1,2}(?:st|nd|rd|th|er|ης|η|º)?\.?\s{1,3}(?:\p{L}[\p{L}\p{M}]{1,24}\.?\s{1,3}){0,1}\p{L}[\p{L}\p{M}]{1,24}\.?,?\s{1,3}(?:\p{L}[\p{L}\p{M}]{1,24}\.?\s{1,3})?\d{4}(?!\p{N})|(?<![\p{L}\p{N}])\p{L}[\p{L}\p{M}]{1,24}\.?\s{1,3}\d{1,2}(?:st|nd|rd|th)?,?\s{1,3}\d{4}(?!\p{N})/gu;
// The end of a range ("24 February–20 March 2020", "4 to 15 November"): a date of an event,
// not of the document.
const RANGE_BEFORE = /(?:[–—-]\s{0,2}|\s(?:to|bis|au|al|по|до|-)\s{1,2})$/u;
const EARLIEST_YEAR = 1900;
const LATEST_YEAR = new Date().getUTCFullYear() + 2;

/**
 * The first date written in `text` that parseDate can read and that is not the end of a
 * range, with a year between 1900 and next year but one. Looks only at the first `limit`
 * characters. `lang` helps read numeric dates (`07/09/2023`).
 */
export function findDate(
  text: string,
  lang?: string,
  limit = 5000,
): FoundDate | undefined {
  const scope = text.slice(0, limit);
  CANDIDATE.lastIndex = 0;
  for (const match of scope.matchAll(CANDIDATE)) {
    const candidate = match[0];
    const index = match.index;
    if (RANGE_BEFORE.test(scope.slice(Math.max(0, index - 8), index))) continue;
    const iso = readDate(candidate, lang);
    if (!iso) continue;
    const year = Number(iso.slice(0, 4));
    if (year < EARLIEST_YEAR || year > LATEST_YEAR) continue;
    return { iso, text: candidate, index };
  }
  return undefined;
}

// parseDate reads numeric dates better when it knows the language; before the text core
// learns that second argument it is simply ignored.
const readDate = parseDate as (
  raw: string,
  lang?: string,
) => string | undefined;
