/**
 * A light Arabic stemmer on folded terms (alef forms, taa marbuta and alef maksura already
 * folded by `fold.ts`), after Larkey, Ballesteros and Connell's "light10", which measured
 * better for retrieval than root extraction. Attached words come off the front: the article
 * and the prepositions joined to it always; a single و, ف, ب, ل or ك only when what is left
 * is itself a word of the archive, since many words begin with those letters (`وزير`
 * minister, `بلد` country, `كتاب` book). One ending comes off the back, leaving at least
 * three letters (light10 leaves two).
 */

// Article forms, the longest first: و/ف/ب/ك + ال, and ل + ال written لل.
const ARTICLES = ["وال", "فال", "بال", "كال", "ولل", "فلل", "ال", "لل"];
const CONJUNCTIONS = ["و", "ف"];
const PREPOSITIONS = ["ب", "ل", "ك"];
// light10's suffixes, folded (ية → يه, ة → ه), tried in this order; the first found comes off.
const SUFFIXES = ["ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"];

/**
 * Every beginning `stem` removes: a word with stem S starts with one of these and then S.
 * The empty beginning is first.
 */
export const ARABIC_PREFIXES: readonly string[] = [
  "",
  ...ARTICLES,
  "وبال",
  "فبال",
  "وكال",
  "فكال",
  ...CONJUNCTIONS,
  ...PREPOSITIONS,
  ...CONJUNCTIONS.flatMap((c) => PREPOSITIONS.map((p) => c + p)),
];

/**
 * The light stem of a folded Arabic word; `known` says which words the archive has, so a
 * single-letter prefix comes off only where the rest is a word of its own.
 */
export function stemArabic(
  term: string,
  known: (word: string) => boolean = () => false,
): string {
  let s = term;
  let article = false;
  for (const a of ARTICLES) {
    if (s.startsWith(a) && s.length - a.length >= 2) {
      s = s.slice(a.length);
      article = true;
      break;
    }
  }
  if (!article) {
    // و/ف, then ب/ل/ك, each only when the rest stands as a word (or carries the article).
    for (const group of [CONJUNCTIONS, PREPOSITIONS]) {
      const first = s.charAt(0);
      if (!group.includes(first) || s.length - 1 < 3) continue;
      const rest = s.slice(1);
      const withArticle = ARTICLES.some(
        (a) => rest.startsWith(a) && rest.length - a.length >= 2,
      );
      if (withArticle) return stemArabic(rest, known);
      if (known(rest)) s = rest;
    }
  }
  for (const suffix of SUFFIXES) {
    if (s.endsWith(suffix) && s.length - suffix.length >= 3) {
      s = s.slice(0, -suffix.length);
      break;
    }
  }
  return s;
}
