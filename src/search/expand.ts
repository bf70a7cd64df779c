import type { QueryNode, TermNode } from "../query/ast.ts";
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
 * How many expansions each `*` or `~` word of a query may have: they share
 * `ranking.maxQueryExpansions`, each keeping at least `ranking.minExpansions`.
 */
export function expansionShare(root: QueryNode | undefined): number {
  let expanding = 0;
  const visit = (node: QueryNode): void => {
    if (node.type === "term") {
      if (node.prefix || node.fuzzy) expanding++;
    } else if (node.type === "not") visit(node.child);
    else if (node.type === "and" || node.type === "or")
      node.children.forEach(visit);
  };
  if (root) visit(root);
  const share = Math.floor(ranking.maxQueryExpansions / Math.max(1, expanding));
  return Math.min(
    ranking.maxExpansions,
    Math.max(ranking.minExpansions, share),
  );
}

/**
 * The indexed words a query word matches: itself, then its inflected forms (`sanction` →
 * `sanctions`), or with `*` and `~` the words it begins or nearly spells, at most `share` of
 * them (see `expansionShare`), the most frequent first. `memo`, kept for one query, spares a
 * word repeated in it a second lookup.
 */
export function expand(
  index: Vocabulary,
  node: TermNode,
  notes: string[],
  share: number = ranking.maxExpansions,
  memo?: Map<string, Variant[]>,
): Variant[] {
  let variants = expanded.get(node);
  if (variants) return variants;
  const key = `${node.term}\u0000${node.prefix ?? ""}\u0000${node.fuzzy ?? ""}\u0000${node.exact ?? ""}`;
  variants = memo?.get(key) ?? expandNow(index, node, notes, share);
  memo?.set(key, variants);
  expanded.set(node, variants);
  return variants;
}

function expandNow(
  index: Vocabulary,
  node: TermNode,
  notes: string[],
  share: number,
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
      ...strongest(found, node, "*", notes, share).map((term) => ({
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
        share,
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
  share: number,
): string[] {
  if (found.length > share) {
    const label =
      operator === "*" ? `${node.text}*` : `${node.text}~${node.fuzzy}`;
    const shared =
      share < ranking.maxExpansions
        ? ` (this query's * and ~ words share ${ranking.maxQueryExpansions})`
        : "";
    notes.push(
      `“${label}” matches ${found.length.toLocaleString("en")} words; the ${share} most frequent were searched${shared}.`,
    );
    // Fuzzy matches arrive nearest first; prefix matches are ranked by frequency here.
    if (operator === "*") found = [...found].sort((a, b) => b[1] - a[1]);
  }
  return found.slice(0, share).map(([t]) => t);
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
