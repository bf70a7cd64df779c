import type { Vocabulary } from "../engines/store.ts";
import { normalizeTerm, tokenize } from "../text/terms.ts";

/** Bounds on the work one keystroke may cost. */
export const completionLimits = {
  /** Longest query text read, in characters; the rest is cut off. */
  queryLength: 200,
  /** Completions returned at most. */
  completions: 10,
  /**
   * Indexed terms read under one prefix at most. A two-letter prefix in a large archive can
   * cover tens of thousands of terms; past this many the ranking is over the first ones (in
   * the index's alphabetical order) only, which keeps every keystroke's cost bounded.
   */
  scanned: 20_000,
  /** Shortest word (in characters, after normalizing) that gets completions. */
  minPrefix: 2,
};

/** The query as read, and the whole queries it may complete to, best first. */
export interface Completions {
  q: string;
  completions: string[];
}

/**
 * Completes the word being typed at the end of `q` with the most frequent indexed terms that
 * start with it (compared normalized: `Ağd` finds `agdam`). Each completion is the whole query
 * with its last word completed, in the case it was typed in. A query ending in a space or a
 * symbol (`peace `, `negotiat*`) is not in the middle of a word and gets none.
 */
export function completeQuery(
  index: Pick<Vocabulary, "withPrefix">,
  raw: string,
  limits = completionLimits,
): Completions {
  const q = raw.slice(0, limits.queryLength);
  const last = tokenize(q).at(-1);
  if (!last || last.end !== q.length) return { q, completions: [] };
  const prefix = last.term;
  if ([...prefix].length < limits.minPrefix) return { q, completions: [] };
  const typed = q.slice(last.start);
  const before = q.slice(0, last.start);
  return {
    q,
    completions: topTerms(index, prefix, limits).map(
      (term) => before + spell(typed, prefix, term),
    ),
  };
}

// The `limits.completions` most frequent terms under the prefix; ties go to the
// alphabetically first, so the answer does not depend on the scan order.
function topTerms(
  index: Pick<Vocabulary, "withPrefix">,
  prefix: string,
  limits: typeof completionLimits,
): string[] {
  const top: [string, number][] = [];
  let scanned = 0;
  // Only the most frequent are wanted: a store reading ahead reads no more than those.
  for (const entry of index.withPrefix(prefix, limits.completions)) {
    if (++scanned > limits.scanned) break;
    let at = top.length;
    while (at > 0 && better(entry, top[at - 1]!)) at--;
    if (at < limits.completions) {
      top.splice(at, 0, entry);
      if (top.length > limits.completions) top.pop();
    }
  }
  return top.map(([term]) => term);
}

function better(a: [string, number], b: [string, number]): boolean {
  return a[1] > b[1] || (a[1] === b[1] && a[0] < b[0]);
}

// The word with the user's letters where they only differ from the index's in case
// (`Azer` → `Azerbaijan`). Letters that fold (`ğ` → `g`) cannot be carried over: `Ağ` matches
// `agdam` and `agreement` alike, so the indexed term is used, in the typed word's case.
function spell(typed: string, prefix: string, term: string): string {
  // Capitals throughout (`AZER`), not a word without letters that have a case (`12`).
  const upper =
    typed.length > 1 &&
    typed === typed.toUpperCase() &&
    typed !== typed.toLowerCase();
  if (typed.toLowerCase().replace(APOSTROPHES, "") !== prefix)
    return upper ? term.toUpperCase() : matchInitial(typed, term);
  const rest = term.slice(prefix.length);
  const word = typed + (upper ? rest.toUpperCase() : rest);
  // An apostrophe can end a form the term does not continue from (`Azerbaijan's` + `i`).
  return normalizeTerm(word) === term ? word : matchInitial(typed, term);
}

const APOSTROPHES = /['’ʼ]/g;

function matchInitial(typed: string, term: string): string {
  const first = typed.charAt(0);
  return first !== first.toLowerCase()
    ? term.charAt(0).toUpperCase() + term.slice(1)
    : term;
}
