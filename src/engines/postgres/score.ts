import type { QueryNode, TermNode, TextField } from "../../query/ast.ts";
import { positives } from "../../query/tree.ts";
import type { Variant } from "../../search/expand.ts";
import { ranking } from "../../search/ranking.ts";
import { fieldLexeme } from "./rows.ts";
import type { FetchedVocabulary } from "./vocabulary.ts";

/** Where a statement holds the query's lexemes: positions and weights (A title, D body, B metadata). */
export type Occurrences = Map<string, { positions: number[]; weights: string }>;

/** A match as a shard returns it: what BM25 needs of the statement. */
export interface Candidate {
  id: string;
  shard: number;
  titleWords: number;
  bodyWords: number;
  /** Orders by date; -Infinity when undated, as the memory engine's dateKey. */
  dateKey: number;
  occurrences: Occurrences;
  score: number;
  /** The share of the query's word pairs standing together, when known before ordering. */
  near?: number;
}

/** Statement counts and word totals of the whole archive, summed over the shards. */
export interface GlobalStats {
  statements: number;
  titleWords: number;
  bodyWords: number;
}

/**
 * Reads a cut-down vector's text (`'peace':3C,17C 'source=white':1C`) into occurrences:
 * positions up to the title's length are the title's (A), later ones the body's (D), and
 * metadata lexemes (`field=term`) are B. Scanned once by hand: a pattern over quoted text
 * retried at every quote takes time quadratic in the text.
 */
export function occurrencesOf(text: string, titleWords: number): Occurrences {
  const out: Occurrences = new Map();
  let i = 0;
  while (i < text.length) {
    if (text[i] !== "'") {
      i++;
      continue;
    }
    // A quoted lexeme: `''` is a quote inside it, `\\` a backslash.
    let quoted = "";
    let from = i + 1;
    for (;;) {
      const close = text.indexOf("'", from);
      if (close < 0) return out;
      quoted += text.slice(from, close);
      from = close + 1;
      if (text[from] !== "'") break;
      quoted += "'";
      from++;
    }
    i = from;
    if (text[i] !== ":") continue;
    let end = i + 1;
    while (end < text.length && POSITION_CHARS.has(text[end]!)) end++;
    const list = text.slice(i + 1, end);
    i = end;
    if (!list) continue;
    const lexeme = quoted.replace(/\\\\/g, "\\");
    const positions = list.split(",").map((p) => parseInt(p, 10));
    const field = lexeme.includes("=");
    const weights = positions
      .map((p) => (field ? "B" : p <= titleWords ? "A" : "D"))
      .join("");
    out.set(lexeme, { positions, weights });
  }
  return out;
}

const POSITION_CHARS = new Set("0123456789ABCD,");

/**
 * BM25F of a statement for a query tree, as the memory engine's `evaluate` scores it: a
 * word's field frequencies weighted and added, saturated once, the best variant counting; a
 * phrase scores as its words; AND and OR add; NOT and metadata fields add nothing. Undefined
 * when the statement does not match.
 */
export class Scorer {
  private readonly averages: Record<string, number>;

  constructor(
    private readonly stats: GlobalStats,
    private readonly vocabulary: FetchedVocabulary,
    private readonly variantsOf: (node: TermNode) => Variant[],
  ) {
    const n = Math.max(1, stats.statements);
    const [title, body] = ranking.fieldBoost as [number, number];
    this.averages = {
      both: (title * stats.titleWords + body * stats.bodyWords) / n,
      title: (title * stats.titleWords) / n,
      body: (body * stats.bodyWords) / n,
    };
  }

  score(root: QueryNode | undefined, c: Candidate): number | undefined {
    if (!root) return 0;
    const visit = (node: QueryNode): number | undefined => {
      switch (node.type) {
        case "term":
          return this.term(c, this.variantsOf(node), node.field);
        case "phrase": {
          const at = (t: string) => weighted(c.occurrences, t, node.field);
          const lists = node.terms.map(at);
          const found =
            node.slop === undefined
              ? isPhrase(lists)
              : isNear(
                  [...new Set(node.terms)].map(at),
                  node.slop + node.terms.length - 1,
                );
          if (!found) return undefined;
          let sum = 0;
          for (const term of node.terms)
            sum += this.term(c, [{ term, weight: 1 }], node.field) ?? 0;
          return sum;
        }
        case "field":
          return isPhrase(
            node.terms.map((t) =>
              weighted(c.occurrences, fieldLexeme(node.field, t)),
            ),
          )
            ? 0
            : undefined;
        case "not":
          return visit(node.child) === undefined ? 0 : undefined;
        case "and": {
          let sum = 0;
          for (const child of node.children) {
            const s = visit(child);
            if (s === undefined) return undefined;
            sum += s;
          }
          return sum;
        }
        case "or": {
          let sum: number | undefined;
          for (const child of node.children) {
            const s = visit(child);
            if (s !== undefined) sum = (sum ?? 0) + s;
          }
          return sum;
        }
      }
    };
    return visit(root);
  }

  private term(
    c: Candidate,
    variants: Variant[],
    field?: TextField,
  ): number | undefined {
    const { k, b } = ranking.bm25;
    const [titleBoost, bodyBoost] = ranking.fieldBoost as [number, number];
    const length =
      (field !== "body" ? titleBoost * c.titleWords : 0) +
      (field !== "title" ? bodyBoost * c.bodyWords : 0);
    const average = this.averages[field ?? "both"]!;
    let best: number | undefined;
    for (const { term, weight } of variants) {
      const at = c.occurrences.get(term);
      if (!at) continue;
      let f = 0;
      for (const w of at.weights) {
        if (w === "A" && field !== "body") f += titleBoost;
        else if (w === "D" && field !== "title") f += bodyBoost;
      }
      if (f === 0) continue;
      const n = this.vocabulary.fieldFrequency(term, field);
      const idf = Math.log(1 + (this.stats.statements - n + 0.5) / (n + 0.5));
      const score =
        weight *
        idf *
        ((f * (k + 1)) / (f + k * (1 - b + (b * length) / average)));
      if (best === undefined || score > best) best = score;
    }
    return best;
  }
}

/** A lexeme's positions in a field (any of title and body when none is named). */
function weighted(
  occurrences: Occurrences,
  lexeme: string,
  field?: TextField,
): Set<number> {
  const at = occurrences.get(lexeme);
  const out = new Set<number>();
  if (!at) return out;
  at.positions.forEach((p, i) => {
    const w = at.weights[i];
    if (field === "title" ? w === "A" : field === "body" ? w === "D" : true)
      out.add(p);
  });
  return out;
}

/** Whether the lists hold a run: the first word at p, the next at p + 1, and so on. */
function isPhrase(lists: Set<number>[]): boolean {
  if (lists.length === 0 || lists.some((l) => l.size === 0)) return false;
  for (const p of lists[0]!)
    if (lists.every((list, i) => list.has(p + i))) return true;
  return false;
}

/** Whether each list has a position within one window of `span` + 1 positions. */
function isNear(lists: Set<number>[], span: number): boolean {
  if (lists.some((l) => l.size === 0)) return false;
  const hits: [number, number][] = [];
  lists.forEach((list, w) => list.forEach((p) => hits.push([p, w])));
  hits.sort((a, b) => a[0] - b[0]);
  const count = new Array<number>(lists.length).fill(0);
  let present = 0;
  let lo = 0;
  for (let hi = 0; hi < hits.length; hi++) {
    if (count[hits[hi]![1]]!++ === 0) present++;
    while (present === lists.length) {
      if (hits[hi]![0] - hits[lo]![0] <= span) return true;
      if (--count[hits[lo]![1]]! === 0) present--;
      lo++;
    }
  }
  return false;
}

/** Neighbouring plain words of the query, for the proximity re-rank (as order.ts pairs them). */
export function wordPairs(
  root: QueryNode | undefined,
  vocabulary: FetchedVocabulary,
): [string, string][] {
  const words = positives(root).flatMap((n) =>
    n.type === "term" && !n.field
      ? [vocabulary.frequency(n.term) > 0 ? n.term : undefined]
      : [],
  );
  const pairs: [string, string][] = [];
  for (let i = 1; i < words.length; i++) {
    const [a, b] = [words[i - 1], words[i]];
    if (a !== undefined && b !== undefined) pairs.push([a, b]);
  }
  return pairs;
}

/** The share of pairs that stand side by side, in order, somewhere in the statement. */
export function together(c: Candidate, pairs: [string, string][]): number {
  let found = 0;
  for (const [a, b] of pairs)
    if (isPhrase([weighted(c.occurrences, a), weighted(c.occurrences, b)]))
      found++;
  return found / pairs.length;
}
