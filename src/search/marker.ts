import type { Marker, Span } from "./highlight.ts";
import type { QueryNode, TermNode, TextField } from "../query/ast.ts";
import type { Variant } from "./expand.ts";
import { findNear, findPhrase, type Sequence } from "./positions.ts";

/** What to mark in a matching text: single words (with their variants) and phrases. */
export interface MatchSpec {
  /** `key` is the query word a variant stands for, so variants of one word count once. */
  words: { term: string; key: string; field?: TextField }[];
  phrases: { terms: string[]; slop?: number; field?: TextField }[];
}

/** A query word and the other indexed words it finds: forms, spellings in other scripts, `*` and `~` matches. */
export interface WordVariants {
  word: string;
  /** The first `VARIANTS_LISTED` of them, in the order they are searched. */
  also: string[];
  /** How many more are searched but not listed. */
  more: number;
}

/** Variants listed per word in "Searching for": enough to see what a word reaches. */
export const VARIANTS_LISTED = 8;

/** The variants each query word of `spec` was searched with, for the page to list. */
export function variantsOf(spec: MatchSpec): WordVariants[] {
  const byWord = new Map<string, Set<string>>();
  for (const { term, key } of spec.words) {
    if (term === key) continue;
    const set = byWord.get(key) ?? new Set<string>();
    set.add(term);
    byWord.set(key, set);
  }
  return [...byWord].map(([word, set]) => ({
    word,
    also: [...set].slice(0, VARIANTS_LISTED),
    more: Math.max(0, set.size - VARIANTS_LISTED),
  }));
}

/**
 * What to mark in a statement's title or body for a query: each word that matched (with its
 * variants, as they stand in the text), each phrase as one mark, each word of a proximity match.
 */
export function specMarker(spec: MatchSpec, field: TextField): Marker {
  const { words, phrases } = forField(spec, field);
  return markerOf(
    new Map(words.map((w) => [w.term, w.key])),
    phrases.map((p) => ({ ...p, terms: p.terms })),
    (term) => term,
  );
}

/**
 * The same marker over an index's term ids (`id` numbers a term, or undefined when the index
 * has no such term), for text whose words the index holds.
 */
export function specIdMarker(
  spec: MatchSpec,
  field: TextField,
  id: (term: string) => number | undefined,
): Marker<number> {
  const { words, phrases } = forField(spec, field);
  const wordIds = new Map<number, string>();
  const terms = new Map<number, string>();
  for (const w of words) {
    const n = id(w.term);
    if (n !== undefined) {
      wordIds.set(n, w.key);
      terms.set(n, w.term);
    }
  }
  const phraseIds = phrases.flatMap((p) => {
    const ids = p.terms.map(id);
    return ids.every((n) => n !== undefined)
      ? [{ ...p, terms: ids as number[] }]
      : [];
  });
  return markerOf(wordIds, phraseIds, (n) => terms.get(n));
}

function forField(spec: MatchSpec, field: TextField) {
  return {
    words: spec.words.filter((w) => !w.field || w.field === field),
    phrases: spec.phrases.filter((p) => !p.field || p.field === field),
  };
}

// `words` maps a text word to the query word it stands for; `termOf` gives the text word as a
// term, to tell the query word as typed (`exact`) from its other forms.
function markerOf<T>(
  words: Map<T, string>,
  phrases: { terms: T[]; slop?: number }[],
  termOf: (word: T) => string | undefined,
): Marker<T> {
  const entries = [...words].map(([word, key]) => ({
    word,
    key,
    exact: termOf(word) === key,
  }));
  const byWord = new Map(entries.map((e) => [e.word, e]));
  // A query has a few words: comparing each text word with them beats a Map look-up, and
  // this loop runs over every word of every body on a results page.
  const few = entries.length <= 8 ? entries : undefined;
  return (seq: Sequence<T>) => {
    const spans: Span[] = [];
    for (let i = 0; i < seq.length; i++) {
      const word = seq[i]!;
      let found: (typeof entries)[number] | undefined;
      if (few) {
        for (let w = 0; w < few.length; w++)
          if (few[w]!.word === word) {
            found = few[w];
            break;
          }
      } else found = byWord.get(word);
      if (found)
        spans.push({ from: i, to: i, key: found.key, exact: found.exact });
    }
    phrases.forEach((phrase, n) => {
      const key = `"${n}`;
      if (phrase.slop === undefined) {
        for (const i of findPhrase(seq, phrase.terms))
          spans.push({
            from: i,
            to: i + phrase.terms.length - 1,
            key,
            exact: true,
          });
        return;
      }
      for (const [start, end] of findNear(seq, phrase.terms, phrase.slop)) {
        for (let i = start; i <= end; i++)
          if (phrase.terms.includes(seq[i]!))
            spans.push({ from: i, to: i, key, exact: true });
      }
    });
    return spans;
  };
}

/**
 * What to mark for a query: every word outside exclusions with the variants `variantsOf`
 * gives it, and every phrase. A variant two words share (`hostile` and `hostile*`) is listed
 * once, so no word stands for more than its own bound.
 */
export function matchSpecOf(
  root: QueryNode | undefined,
  variantsOf: (node: TermNode) => Variant[],
): MatchSpec {
  const spec: MatchSpec = { words: [], phrases: [] };
  const listed = new Set<string>();
  const visit = (node: QueryNode): void => {
    if (node.type === "term") {
      for (const v of variantsOf(node)) {
        const id = `${v.term}\u0000${node.term}\u0000${node.field ?? ""}`;
        if (listed.has(id)) continue;
        listed.add(id);
        spec.words.push({
          term: v.term,
          key: node.term,
          ...(node.field ? { field: node.field } : {}),
        });
      }
    } else if (node.type === "phrase") {
      spec.phrases.push({
        terms: node.terms,
        ...(node.field ? { field: node.field } : {}),
        ...(node.slop === undefined ? {} : { slop: node.slop }),
      });
    } else if (node.type === "and" || node.type === "or")
      node.children.forEach(visit);
  };
  if (root) visit(root);
  return spec;
}
