import { seededRandom } from "./random.ts";

/** The words of the synthetic corpus, most frequent first, and the names it cites. */
export interface Vocabulary {
  /** By Zipf rank: function words, then statement words, names and made-up words mixed. */
  words: string[];
  /** First rank that is a content word: titles draw from here on. */
  firstContent: number;
  /** Capitalized people and places, also present in `words`. */
  names: string[];
}

// Real function and statement words at the top ranks, so common-word queries look like
// real ones ("the", "cooperation") and stop-word-heavy postings cost what they cost.
const FUNCTION_WORDS =
  "the of and to in a for on that is with by as at be this from was are will an has have it its which not we our were all their also been more or new other these but such between into who they would can than under during over after both about us must through including".split(
    " ",
  );
const STATEMENT_WORDS =
  "minister government president statement cooperation security development international national ministry foreign affairs agreement meeting support economic peace council people country countries region regional process relations issues bilateral delegation visit rights human law policy assistance trade energy programme conference summit parliament crisis humanitarian sanctions talks negotiations partners partnership dialogue stability sovereignty territorial integrity ceasefire elections democracy investment infrastructure climate health education reform strategy initiative commitment progress implementation framework resolution declaration joint press release spokesperson embassy ambassador officials representatives community citizens situation efforts measures".split(
    " ",
  );
const SYLLABLES =
  "ka ro ven tal mi sor de lan bri cho pa tes vor gu nel fa ri mon sta ple qua ber dun el os ar im ul tre gan hol ves zan kel mar pol sen tur wil yor bel cas dor fen gir hun jas kor lum nor pen rus sil tor vin wen xa zel".split(
    " ",
  );

export function buildVocabulary(
  seed: number,
  size = 50_000,
  nameCount = 2_000,
): Vocabulary {
  const random = seededRandom(seed ^ 0x5eed);
  const taken = new Set([...FUNCTION_WORDS, ...STATEMENT_WORDS]);
  const invent = (minSyllables: number) => {
    for (;;) {
      let word = "";
      const count = minSyllables + Math.floor(random() * 3);
      for (let i = 0; i < count; i++)
        word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
      if (!taken.has(word)) {
        taken.add(word);
        return word;
      }
    }
  };
  const names = Array.from({ length: nameCount }, () => {
    const name = invent(2);
    return name[0]!.toUpperCase() + name.slice(1);
  });
  const made = Array.from({ length: size - nameCount }, () => invent(2));
  // Statement words spread over ranks 60–400, names one in twenty from rank 100 on: both
  // then run from common to rare, as in a real archive.
  const words = [...FUNCTION_WORDS];
  let s = 0;
  let n = 0;
  let m = 0;
  while (s < STATEMENT_WORDS.length || n < names.length || m < made.length) {
    const rank = words.length;
    if (s < STATEMENT_WORDS.length && rank % 3 === 0)
      words.push(STATEMENT_WORDS[s++]!);
    else if (n < names.length && rank >= 100 && rank % 20 === 1)
      words.push(names[n++]!);
    else if (m < made.length) words.push(made[m++]!);
    else if (s < STATEMENT_WORDS.length) words.push(STATEMENT_WORDS[s++]!);
    else words.push(names[n++]!);
  }
  return { words, firstContent: FUNCTION_WORDS.length, names };
}
