import type { QueryNode, TermNode } from "../query/ast.ts";
import type { Variant, Vocabulary } from "../engines/store.ts";
import { stemmersFor, type Known, type Stemmer } from "../text/stemmers.ts";
import { checkDeadline } from "../runtime/deadline.ts";
import { crossScript } from "./names.ts";
import { ranking } from "./ranking.ts";

export type { Variant } from "../engines/store.ts";

/** How a query word is widened, beyond what its node says. */
export interface ExpandOptions {
  /**
   * Languages of the archive's statements (ISO 639-1, `Statement.lang`): they choose the
   * stemmers for a word's other forms, among those for the word's script. Without them, a
   * script's main languages are assumed (English for Latin letters).
   */
  languages?: readonly string[];
  /** Names across scripts (`Lavrov` ~ `Лавров`); on unless false here or on the node. */
  translit?: boolean;
  /**
   * The languages of the statements holding a word, when the engine knows them: a stemmer
   * then only relates words found in statements of its language, so in an archive of
   * English and Spanish, Spanish rules do not make `united` a form of `unit`.
   */
  languagesOf?: (term: string) => readonly string[] | undefined;
}

// Stem variants are looked for among the words sharing the stem's beginning; a very common
// beginning is not worth reading to the end.
const STEM_SCAN = 2000;

// A query's words are expanded for matching and again for marking: once is enough. Kept per
// vocabulary, so one read in parts does not keep what it gave before it was complete.
const expanded = new WeakMap<Vocabulary, WeakMap<TermNode, Variant[]>>();

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
 * The indexed words a query word matches: itself, then its other forms (`sanction` →
 * `sanctions`) and the same name in other scripts, or with `*` and `~` the words it begins
 * or nearly spells, at most `share` of them (see `expansionShare`), the most frequent first.
 * A quoted word (`exact`) is only itself. `memo`, kept for one query, spares a word repeated
 * in it a second lookup.
 */
export function expand(
  index: Vocabulary,
  node: TermNode,
  notes: string[],
  share: number = ranking.maxExpansions,
  memo?: Map<string, Variant[]>,
  options: ExpandOptions = {},
): Variant[] {
  let byNode = expanded.get(index);
  if (!byNode) expanded.set(index, (byNode = new WeakMap()));
  let variants = byNode.get(node);
  if (variants) return variants;
  const key = `${node.term}\u0000${node.prefix ?? ""}\u0000${node.fuzzy ?? ""}\u0000${node.exact ?? ""}`;
  variants = memo?.get(key) ?? expandNow(index, node, notes, share, options);
  memo?.set(key, variants);
  byNode.set(node, variants);
  return variants;
}

function expandNow(
  index: Vocabulary,
  node: TermNode,
  notes: string[],
  share: number,
  options: ExpandOptions,
): Variant[] {
  const self: Variant = { term: node.term, weight: 1, kind: "self" };
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
        kind: "prefix" as const,
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
        kind: "fuzzy" as const,
      })),
    ];
  }
  const out: Variant[] = [self];
  const seen = new Set([node.term]);
  const add = (term: string, weight: number, kind: Variant["kind"]) => {
    if (seen.has(term) || out.length > ranking.maxExpansions) return;
    seen.add(term);
    out.push({ term, weight, kind });
  };
  for (const term of inflections(index, node.term, options))
    add(term, ranking.weights.stem, "form");
  if (node.translit !== false && options.translit !== false) {
    checkDeadline();
    for (const name of crossScript(index, node.term)) {
      add(name, ranking.weights.name, "name");
      for (const form of inflections(index, name, options))
        add(form, ranking.weights.name, "name");
    }
  }
  return out;
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

/**
 * Indexed words that are other forms of `term`, other than `term` itself: words with its
 * stem under a stemmer of its script among the archive's languages (see `stemmersFor`),
 * that the stemmer also takes for related (English `unit` is not a form of `united`), and,
 * where `languagesOf` tells, that occur in statements of the stemmer's language.
 */
export function inflections(
  index: Vocabulary,
  term: string,
  options: Pick<ExpandOptions, "languages" | "languagesOf"> = {},
): string[] {
  const known: Known = (word) => index.frequency(word) > 0;
  const out = new Set<string>();
  for (const stemmer of stemmersFor(term, options.languages)) {
    for (const form of formsUnder(index, term, stemmer, known)) {
      const langs = options.languagesOf?.(form);
      if (!langs || langs.includes(stemmer.lang) || langs.includes("und"))
        out.add(form);
    }
  }
  out.delete(term);
  return [...out];
}

function formsUnder(
  index: Vocabulary,
  term: string,
  stemmer: Stemmer,
  known: Known,
): string[] {
  const target = stemmer.stem(term, known);
  const out: string[] = [];
  let scanned = 0;
  for (const head of headsOf(term, target, stemmer)) {
    for (const [candidate] of index.withPrefix(head, STEM_SCAN + 1)) {
      if (++scanned > STEM_SCAN) return out;
      if (
        candidate !== term &&
        stemmer.stem(candidate, known) === target &&
        (stemmer.related?.(candidate, term, known) ?? true)
      )
        out.push(candidate);
    }
  }
  return out;
}

/** The beginnings under which the forms of `term` (stem `target`) are looked for. */
function headsOf(term: string, target: string, stemmer: Stemmer): string[] {
  if (stemmer.prefixes) {
    if (target.length < 2) return [];
    return stemmer.prefixes.map((p) => p + target);
  }
  // Forms share the letters the stem keeps of the word (a stemmer may respell the end).
  let root = 0;
  while (root < term.length && term[root] === target[root]) root++;
  return root < 3 ? [] : [term.slice(0, root)];
}

/**
 * The beginnings `inflections` will read for `term`, for an engine that fetches its
 * vocabulary before searching (stems taken as if no word were known yet).
 */
export function inflectionHeads(
  term: string,
  languages?: readonly string[],
): string[] {
  const none: Known = () => false;
  return stemmersFor(term, languages).flatMap((stemmer) =>
    headsOf(term, stemmer.stem(term, none), stemmer),
  );
}
