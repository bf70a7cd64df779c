import { checkDeadline } from "../runtime/deadline.ts";
import type { Vocabulary } from "../engines/store.ts";
import {
  NAME_INITIALS,
  nameKeys,
  romanizable,
  romanize,
  spells,
  spellsExactly,
} from "../text/translit.ts";

// Work for one query word: words verified against it, Latin words read for spellings.
const VERIFY = 3000;
const LATIN_SCAN = 2000;

interface Filed {
  /** The index's state when every word of it was last filed. */
  stamp: string;
  byKey: Map<string, string[]>;
  /** Words filed so far: a changed index files only its new words. */
  filed: Set<string>;
}
const filings = new WeakMap<Vocabulary, Filed>();

/**
 * The archive's Cyrillic and Arabic words by sound key. Filed once per index and brought up
 * to date by filing only words not seen before, so a live update does not file every word
 * again. Work already done is kept when a search's time runs out midway (checkDeadline).
 * Words gone from the index stay filed; `crossScript` skips them.
 */
function byKey(vocab: Vocabulary): Map<string, string[]> {
  const stamp = `${vocab.size}:${vocab.capacity}`;
  let filing = filings.get(vocab);
  if (filing?.stamp === stamp) return filing.byKey;
  if (!filing) {
    filing = { stamp: "", byKey: new Map(), filed: new Set() };
    filings.set(vocab, filing);
  }
  const { byKey: map, filed } = filing;
  let since = 0;
  for (const initial of NAME_INITIALS) {
    for (const [word] of vocab.withPrefix(initial)) {
      if (filed.has(word)) continue;
      if (++since % 4096 === 0) checkDeadline();
      filed.add(word);
      for (const key of nameKeys(word)) {
        const list = map.get(key);
        if (list) list.push(word);
        else map.set(key, [word]);
      }
    }
  }
  filing.stamp = stamp;
  return map;
}

/**
 * Files the archive's words for `crossScript` ahead of the first search that needs them, so
 * that search does not spend its time on it (an archive with many Cyrillic or Arabic words
 * takes a noticeable fraction of a second).
 */
export function fileNames(vocab: Vocabulary): void {
  byKey(vocab);
}

/**
 * The words of the archive written in another script that `term` spells or is spelled by:
 * for a Latin word (`zelensky`), Cyrillic and Arabic words it romanizes (`зеленский`,
 * `зеленський`), and Latin words that spell those same words (`zelenskyy`); for a Cyrillic or
 * Arabic word, the Latin words that spell it. Names are what these are for, so words shorter
 * than four letters get none.
 */
export function crossScript(vocab: Vocabulary, term: string): string[] {
  if (term.length < 4) return [];
  if (romanizable(term)) return latinSpellings(vocab, term, [term]);
  if (!/^[a-z]+$/.test(term)) return [];
  const found = new Set<string>();
  const keys = nameKeys(term);
  let verified = 0;
  for (const word of filedUnder(vocab, keys)) {
    if (++verified > VERIFY) break;
    if (found.has(word) || vocab.frequency(word) === 0) continue;
    if (spells(term, word)) found.add(word);
  }
  if (found.size === 0) return [];
  const latin = latinSpellings(vocab, term, [...found]).filter(
    (w) => w !== term,
  );
  return [...found, ...latin];
}

// The words filed under any of the keys: the store's own filing, or this module's.
function* filedUnder(vocab: Vocabulary, keys: string[]): Iterable<string> {
  if (vocab.soundAlike) return yield* vocab.soundAlike(keys);
  const index = byKey(vocab);
  for (const key of keys) yield* index.get(key) ?? [];
}

// Latin words of the archive that spell one of `words`, read under the beginnings of the
// words' romanizations and of `term`.
function latinSpellings(
  vocab: Vocabulary,
  term: string,
  words: string[],
): string[] {
  const heads = new Set<string>();
  for (const w of words)
    for (const r of romanize(w)) if (r.length >= 3) heads.add(r.slice(0, 3));
  if (/^[a-z]/.test(term)) heads.add(term.slice(0, 3));
  const out: string[] = [];
  let scanned = 0;
  for (const head of heads) {
    for (const [candidate] of vocab.withPrefix(head, LATIN_SCAN + 1)) {
      if (++scanned > LATIN_SCAN) return out;
      if (candidate.length < 4 || candidate === term) continue;
      if (words.some((w) => spellsExactly(candidate, w))) out.push(candidate);
    }
  }
  return out;
}
