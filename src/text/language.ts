/**
 * Which language a text is written in, as a lower-case ISO 639-1 code (`en`, `ru`, `zh`).
 * ELD's smallest database reads 60 languages about as well as its larger ones on our samples
 * (statements and short titles in seven languages, Azerbaijani and Russian headlines), loads
 * in a fraction of the time and holds about 36 MB; scripts that belong to one language and
 * that ELD does not know (Sinhala, Khmer …) are told by the script alone.
 */
import { eld } from "eld/extrasmall";

// Scripts ELD has no model for, each written by essentially one language.
const SCRIPT_LANGUAGES: [RegExp, string][] = [
  [/\p{Script=Sinhala}/u, "si"],
  [/\p{Script=Khmer}/u, "km"],
  [/\p{Script=Myanmar}/u, "my"],
  [/\p{Script=Tibetan}/u, "bo"],
  [/\p{Script=Thaana}/u, "dv"],
];
const LETTER = /\p{L}/gu;
// ELD reads at most this many characters; a longer sample only costs time.
const SAMPLE = 1000;

/**
 * The language of `text`, or undefined when there are too few letters to tell. Reads the
 * first thousand characters; see `detectDocumentLanguage` for long documents.
 */
export function detectLanguage(text: string): string | undefined {
  const sample = text.slice(0, SAMPLE);
  const letters = sample.match(LETTER);
  if (!letters || letters.length < 3) return undefined;
  for (const [script, lang] of SCRIPT_LANGUAGES) {
    const count = letters.filter((l) => script.test(l)).length;
    if (count * 2 > letters.length) return lang;
  }
  return eld.detect(sample).language || undefined;
}

/**
 * The language of a long document: the most frequent answer over a few samples spread
 * through it, so that a foreign-language passage at the start does not decide for the whole.
 * Ties go to the earliest sample.
 */
export function detectDocumentLanguage(
  text: string,
  samples = 5,
): string | undefined {
  if (text.length <= SAMPLE * 2) return detectLanguage(text);
  const votes = new Map<string, number>();
  const step = (text.length - SAMPLE) / (samples - 1);
  for (let i = 0; i < samples; i++) {
    const lang = detectLanguage(text.slice(Math.round(i * step)));
    if (lang) votes.set(lang, (votes.get(lang) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const [lang, count] of votes)
    if (best === undefined || count > votes.get(best)!) best = lang;
  return best;
}

/**
 * A language tag as documents write it (`en-US`, `zh_Hans`, `RU`) reduced to its lower-case
 * primary subtag, or undefined when it is not a language tag.
 */
export function primaryLanguage(tag: string): string | undefined {
  const primary = tag.trim().split(/[-_]/)[0]!.toLowerCase();
  return /^[a-z]{2,3}$/.test(primary) ? primary : undefined;
}
