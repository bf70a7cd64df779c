import type { TermNode } from "../query/ast.ts";
import { sameInflection, stem } from "../text/terms.ts";
import { checkDeadline } from "./deadline.ts";
import { ranking } from "./ranking.ts";
import type { Vocabulary } from "./vocabulary.ts";

/** An indexed word that stands for a query word, and how much a match on it counts. */
export interface Variant {
  term: string;
  weight: number;
}

// Stem variants are looked for among the words sharing the stem's beginning; a very common
// beginning is not worth reading to the end.
const STEM_SCAN = 2000;

// A query's words are expanded for matching and again for marking: once is enough.
const expanded = new WeakMap<TermNode, Variant[]>();

/**
 * The indexed words a query word matches: itself, then its inflected forms (`sanction` →
 * `sanctions`), or with `*` and `~` the words it begins or nearly spells, at most
 * `ranking.maxExpansions` of them, the most frequent first.
 */
export function expand(
  index: Vocabulary,
  node: TermNode,
  notes: string[],
): Variant[] {
  let variants = expanded.get(node);
  if (!variants) expanded.set(node, (variants = expandNow(index, node, notes)));
  return variants;
}

function expandNow(
  index: Vocabulary,
  node: TermNode,
  notes: string[],
): Variant[] {
  const self = { term: node.term, weight: 1 };
  if (node.exact) return [self];
  if (node.prefix) {
    const found: [string, number][] = [];
    for (const entry of index.withPrefix(node.term)) {
      if (found.length % 4096 === 0) checkDeadline();
      if (entry[0] !== node.term) found.push(entry);
    }
    return [
      self,
      ...strongest(found, node, "*", notes).map((term) => ({
        term,
        weight: ranking.weights.prefix,
      })),
    ];
  }
  if (node.fuzzy) {
    const found = index
      .near(node.term, node.fuzzy)
      .filter(([t]) => t !== node.term)
      .sort((a, b) => a[2] - b[2] || b[1] - a[1]);
    return [
      self,
      ...strongest(
        found.map(([t, f]) => [t, f]),
        node,
        "~",
        notes,
      ).map((term) => ({
        term,
        weight: ranking.weights.fuzzy,
      })),
    ];
  }
  return [
    self,
    ...inflections(index, node.term).map((term) => ({
      term,
      weight: ranking.weights.stem,
    })),
  ];
}

function strongest(
  found: [string, number][],
  node: TermNode,
  operator: string,
  notes: string[],
): string[] {
  if (found.length > ranking.maxExpansions) {
    const label =
      operator === "*" ? `${node.text}*` : `${node.text}~${node.fuzzy}`;
    notes.push(
      `“${label}” matches ${found.length.toLocaleString("en")} words; the ${ranking.maxExpansions} most frequent were searched.`,
    );
    // Fuzzy matches arrive nearest first; prefix matches are ranked by frequency here.
    if (operator === "*") found = [...found].sort((a, b) => b[1] - a[1]);
  }
  return found.slice(0, ranking.maxExpansions).map(([t]) => t);
}

/** Indexed words with the same stem as `term`, other than `term` itself. */
export function inflections(index: Vocabulary, term: string): string[] {
  const target = stem(term);
  let root = 0;
  while (root < term.length && term[root] === target[root]) root++;
  if (root < 3) return [];
  const out: string[] = [];
  let scanned = 0;
  for (const [candidate] of index.withPrefix(term.slice(0, root))) {
    if (++scanned > STEM_SCAN) break;
    if (
      candidate !== term &&
      stem(candidate) === target &&
      sameInflection(candidate, term)
    )
      out.push(candidate);
  }
  return out;
}
