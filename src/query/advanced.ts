import { formDate } from "./params.ts";

/** The boxes of the advanced search form (`/advanced`), as typed. */
export interface AdvancedForm {
  /** Every one of these words. */
  all: string;
  /** This phrase, words side by side in this order. */
  exact: string;
  /** At least one of these words. */
  any: string;
  /** None of these words. */
  none: string;
  /** `title`: the words above only in the title; anything else: anywhere. */
  where: string;
  /** A source, as the archive names it. */
  source: string;
  /** A language code (`en`, `ru` …). */
  lang: string;
  /** Names the statements give (`person:`, `place:`, `org:`), any form or script. */
  person: string;
  place: string;
  org: string;
  /** Dated on or after, on or before: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
  from: string;
  to: string;
}

/** The form's boxes, read from URL parameters; a missing or repeated one takes its first value. */
export function readAdvancedForm(
  params: Record<string, unknown>,
): AdvancedForm {
  const text = (name: string) => {
    const value = Array.isArray(params[name]) ? params[name][0] : params[name];
    return typeof value === "string" ? value : "";
  };
  return {
    all: text("all"),
    exact: text("exact"),
    any: text("any"),
    none: text("none"),
    where: text("where"),
    source: text("source"),
    lang: text("lang"),
    person: text("person"),
    place: text("place"),
    org: text("org"),
    from: text("from"),
    to: text("to"),
  };
}

// Quotes of every kind the query language reads as a phrase's ends (parse.ts), and brackets.
const SYNTAX = /["“”„‟«»()]/g;

/**
 * The query the advanced form stands for, in the query language, so the person who filled
 * it sees the syntax that does the same: `"joint statement" Karabakh (gas OR oil)
 * -Armenia source:"The White House" person:"Zelensky" lang:en after:2023-01-01`. Empty when
 * the form is.
 */
export function advancedQuery(form: AdvancedForm): string {
  const inTitle = form.where === "title" ? "title:" : "";
  const parts: string[] = [];
  const phrase = form.exact.replace(SYNTAX, " ").trim().replace(/\s+/g, " ");
  if (phrase) parts.push(`${inTitle}"${phrase}"`);
  for (const word of words(form.all)) parts.push(inTitle + word);
  const any = words(form.any).map((word) => inTitle + word);
  if (any.length === 1) parts.push(any[0]!);
  else if (any.length > 1) parts.push(`(${any.join(" OR ")})`);
  for (const word of words(form.none)) parts.push(`-${word}`);
  const source = form.source.replace(SYNTAX, " ").trim().replace(/\s+/g, " ");
  if (source) parts.push(`source:"${source}"`);
  for (const field of ["person", "place", "org"] as const) {
    const name = form[field].replace(SYNTAX, " ").trim().replace(/\s+/g, " ");
    if (name) parts.push(`${field}:"${name}"`);
  }
  const lang = form.lang.trim();
  if (/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(lang))
    parts.push(`lang:${lang}`);
  for (const [field, raw] of [
    ["after", form.from],
    ["before", form.to],
  ] as const) {
    const value = raw.trim();
    // A date that is not one is kept as typed: the search then says why it was left out.
    if (value)
      parts.push(`${field}:${formDate(value) ?? value.replace(/\s+/g, "-")}`);
  }
  return parts.join(" ");
}

/**
 * The words of a box, each as the query language reads a plain word: a word holding syntax
 * (a colon, a leading `-`, `OR`) is quoted, so it is searched as typed rather than obeyed.
 */
function words(box: string): string[] {
  return box
    .replace(SYNTAX, " ")
    .split(/\s+/)
    .filter((w) => w.replace(/^-+/, "") !== "")
    .map((w) =>
      /^(AND|OR|NOT)$/.test(w) || /^-|:/.test(w)
        ? `"${w.replace(/^-+/, "")}"`
        : w,
    );
}
