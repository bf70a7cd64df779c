/**
 * A stemmer per language, for finding the other forms of a word among the archive's words.
 * Snowball stemmers (from `@orama/stemmers`, a few kilobytes each, no dependencies) serve
 * French, Spanish, German, Italian, Portuguese, Dutch, Russian and Ukrainian (the Romance
 * ones made to read folded words: see `stem/romance.ts`); English, Arabic
 * and Turkish/Azerbaijani have light stemmers of their own (see their modules for why).
 * Every stemmer works on folded terms, as the index holds them.
 */

import { stemmer as dutch } from "@orama/stemmers/dutch";
import { stemmer as french } from "@orama/stemmers/french";
import { stemmer as german } from "@orama/stemmers/german";
import { stemmer as italian } from "@orama/stemmers/italian";
import { stemmer as portuguese } from "@orama/stemmers/portuguese";
import { stemmer as russian } from "@orama/stemmers/russian";
import { stemmer as spanish } from "@orama/stemmers/spanish";
import { stemmer as ukrainian } from "@orama/stemmers/ukrainian";
import { ARABIC_PREFIXES, stemArabic } from "./stem/arabic.ts";
import { sameInflection, stem as stemEnglish } from "./stem/english.ts";
import type { Known } from "./stem/known.ts";
import { stemRomance } from "./stem/romance.ts";
import { stemTurkic } from "./stem/turkic.ts";

/** The script a term is written in, as far as stemming cares. */
export type Script = "latin" | "cyrillic" | "arabic" | "other";

export type { Known } from "./stem/known.ts";

export interface Stemmer {
  /** ISO 639-1 code of the language. */
  lang: string;
  script: Script;
  /** The stem of a folded term; two words with one stem are forms of one word. */
  stem(term: string, known: Known): string;
  /** A further check on two words with one stem (English: `unit` is not a form of `united`). */
  related?(a: string, b: string, known: Known): boolean;
  /**
   * Beginnings a word may carry before its stem (Arabic `و`, `ال` …), empty string included;
   * without them, words sharing a stem share its first letters.
   */
  prefixes?: readonly string[];
}

// Longer words are no word of any language's grammar; some stemmers' patterns take time
// growing faster than a word's length, so they never see one.
const LONGEST = 40;

const snowball = (
  lang: string,
  script: Script,
  fn: (word: string) => string,
): Stemmer => ({
  lang,
  script,
  stem: (term) => (term.length > LONGEST ? term : fn(term)),
});

const romance = (lang: string, fn: (word: string) => string): Stemmer => ({
  lang,
  script: "latin",
  stem: (term, known) =>
    term.length > LONGEST ? term : stemRomance(lang, fn, term, known),
});

// Snowball's Russian takes -ов, -ев off as a plural ending (`лавров` → `лавр`) but leaves it
// on other cases of a surname (`лаврова` → `лавров`); off it comes everywhere.
const SURNAME = /...(?:ов|ев)$/;

// Snowball-style Ukrainian leaves a final vowel on some forms (`санкції` → `санкці`, `санкцій`
// → `санкц`); the forms of a word meet once it is off.
const UKRAINIAN_END = /(?<![аеєиіїоуюяйь])[аеєиіїоуюяйь]+$/;

const STEMMERS: ReadonlyMap<string, Stemmer> = new Map(
  [
    {
      lang: "en",
      script: "latin",
      stem: (term: string) =>
        term.length > LONGEST ? term : stemEnglish(term),
      related: sameInflection,
    } satisfies Stemmer,
    romance("fr", french),
    romance("es", spanish),
    snowball("de", "latin", german),
    romance("it", italian),
    romance("pt", portuguese),
    snowball("nl", "latin", dutch),
    snowball("tr", "latin", stemTurkic),
    snowball("az", "latin", stemTurkic),
    snowball("ru", "cyrillic", (term) => {
      const s = russian(term);
      return SURNAME.test(s) ? s.slice(0, -2) : s;
    }),
    snowball("uk", "cyrillic", (term) => {
      const s = ukrainian(term).replace(UKRAINIAN_END, "");
      return s.length >= 3 ? s : term;
    }),
    {
      lang: "ar",
      script: "arabic",
      stem: (term: string, known: Known) =>
        term.length > LONGEST ? term : stemArabic(term, known),
      prefixes: ARABIC_PREFIXES,
    } satisfies Stemmer,
  ].map((s) => [s.lang, s]),
);

/** The stemmer for a language (`ru`, `en-GB`, `AZ`), or undefined where there is none. */
export function stemmerFor(lang: string): Stemmer | undefined {
  return STEMMERS.get(lang.toLowerCase().split(/[-_]/)[0]!);
}

/** The languages that have a stemmer. */
export const STEMMED_LANGUAGES: readonly string[] = [...STEMMERS.keys()];

// Letters only one of the two languages writes.
const ONLY_UKRAINIAN = /[ієїґ]/;
const ONLY_RUSSIAN = /[ыэъ]/;

/**
 * The stemmers that may apply to a term: those of `languages` (the archive's languages;
 * `und` for statements of unknown language) written in the term's script. Where none of them
 * writes that script, its main languages: English for Latin letters, Russian and Ukrainian
 * for Cyrillic, Arabic. Letters only one language writes narrow Cyrillic down (`ї` is
 * Ukrainian, `ы` Russian).
 */
export function stemmersFor(
  term: string,
  languages?: readonly string[],
): Stemmer[] {
  const script = scriptOf(term);
  if (script === "other") return [];
  const pick = (langs: readonly string[]) => {
    const out: Stemmer[] = [];
    for (const lang of langs) {
      const s = stemmerFor(lang);
      if (!s || s.script !== script || out.includes(s)) continue;
      if (s.lang === "ru" && ONLY_UKRAINIAN.test(term)) continue;
      if (s.lang === "uk" && ONLY_RUSSIAN.test(term)) continue;
      out.push(s);
    }
    return out;
  };
  const chosen = pick(
    (languages ?? []).flatMap((l) => (l === "und" ? DEFAULTS[script] : [l])),
  );
  return chosen.length ? chosen : pick(DEFAULTS[script]);
}

const DEFAULTS: Record<Exclude<Script, "other">, readonly string[]> = {
  latin: ["en"],
  cyrillic: ["ru", "uk"],
  arabic: ["ar"],
};

/** The script of a folded term, by its first letter. */
export function scriptOf(term: string): Script {
  const c = term.charCodeAt(0);
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c <= 0x24f)) return "latin";
  if (c >= 0x400 && c <= 0x52f) return "cyrillic";
  if ((c >= 0x600 && c <= 0x6ff) || (c >= 0x750 && c <= 0x77f)) return "arabic";
  return "other";
}
