/**
 * Spanish, Portuguese, Italian and French through Snowball, on folded words. Snowball's
 * rules are written for accented words, but the index holds folded ones, and some endings
 * are told apart only by their accent: `negociaciones` lost its ending (`-aciones`) while
 * `negociacion` kept it (Snowball takes `-ación` only with its accent). And Snowball takes
 * one ending off per pass, so a plural lost its ending and kept the singular's (`jovenes` →
 * `joven`, `joven` → `jov`). So a plural is made singular first, as J. Savoy's light
 * stemmers do (Lucene's SpanishLightStemmer and its kin), and the accent the singular's
 * ending always carries is put back (`-cion` → `-ción`, `-cao` → `-ção`), then Snowball runs.
 */
import type { Known } from "./known.ts";

type Rule = [RegExp, string];

const SINGULAR: Record<string, Rule[]> = {
  // naciones → nacion, jovenes → joven; francesa → frances, española → español.
  es: [
    // After the consonants a singular ends in; a verb's attached `les` (compartirles) stays.
    [/(?<=[lrndsjyz])(?<!(?:ar|er|ir|ndo)l)es$/, ""],
    [/(?<=(?:es|ol))as?$/, ""],
  ],
  // negociacoes (-ções) → negociacao, alemaes → alemao, animais → animal, jovens → jovem.
  pt: [
    [/(?:oes|aes|aos)$/, "ao"],
    [/ais$/, "al"],
    [/eis$/, "el"],
    [/ois$/, "ol"],
    [/ns$/, "m"],
  ],
  // internationaux → international, nouveaux → nouveau.
  fr: [
    [/eaux$/, "eau"],
    [/aux$/, "al"],
  ],
};

const ACCENTED: Record<string, Rule[]> = {
  es: [[/ion$/, "ión"]],
  pt: [[/ao$/, "ão"]],
};

/** The stem of a folded Romance word under `snowball` (its language's Snowball stemmer). */
export function stemRomance(
  lang: string,
  snowball: (word: string) => string,
  term: string,
  known: Known,
): string {
  let word = term;
  // A plural in -ces is the plural of a word in -z (felices, voces) when the archive has it.
  if (lang === "es" && word.endsWith("ces") && known(`${word.slice(0, -3)}z`))
    word = `${word.slice(0, -3)}z`;
  else if (word.length >= 5) word = apply(SINGULAR[lang], word);
  return snowball(apply(ACCENTED[lang], word));
}

// The first rule whose ending the word has.
function apply(rules: Rule[] | undefined, word: string): string {
  for (const [ending, replacement] of rules ?? [])
    if (ending.test(word)) return word.replace(ending, replacement);
  return word;
}
