/**
 * Stop words per language, folded as the index folds words. The lists are the `stopword`
 * package's (62 languages, maintained, MIT): short function-word lists, where the larger
 * `stopwords-iso` lists drop words that carry meaning in official statements (`world`,
 * `state`, `new`, `important`), and `@orama/stopwords` (the stemmers' family) ships a garbled
 * Ukrainian list. A language it lacks has no stop words rather than another language's.
 */
import * as lists from "stopword";
import { normalizeTerm } from "./fold.ts";

// ISO 639-1, as `Statement.lang` holds it, to the package's ISO 639-3 names.
const CODES: Record<string, keyof typeof lists> = {
  af: "afr",
  ar: "ara",
  bg: "bul",
  bn: "ben",
  ca: "cat",
  cs: "ces",
  da: "dan",
  de: "deu",
  el: "ell",
  en: "eng",
  es: "spa",
  et: "est",
  eu: "eus",
  fa: "fas",
  fi: "fin",
  fr: "fra",
  ga: "gle",
  gl: "glg",
  he: "heb",
  hi: "hin",
  hr: "hrv",
  hu: "hun",
  hy: "hye",
  id: "ind",
  it: "ita",
  ja: "jpn",
  ko: "kor",
  lt: "lit",
  lv: "lav",
  mr: "mar",
  ms: "msa",
  nb: "nob",
  nl: "nld",
  no: "nob",
  pl: "pol",
  pt: "por",
  ro: "ron",
  ru: "rus",
  sk: "slk",
  sl: "slv",
  sv: "swe",
  sw: "swa",
  th: "tha",
  tl: "tgl",
  tr: "tur",
  uk: "ukr",
  ur: "urd",
  vi: "vie",
  zh: "zho",
};

const folded = new Map<string, ReadonlySet<string>>();
const NONE: ReadonlySet<string> = new Set();

/**
 * The stop words of a language (ISO 639-1, `en`), folded; an empty set for a language
 * without a list. Statements whose language is unknown read as English, the archive's most
 * common language.
 */
export function stopWords(lang = "en"): ReadonlySet<string> {
  const code = CODES[lang];
  if (!code) return NONE;
  let set = folded.get(code);
  if (!set) {
    const words = lists[code] as unknown as string[];
    set = new Set(words.map(normalizeTerm).filter(Boolean));
    folded.set(code, set);
  }
  return set;
}
