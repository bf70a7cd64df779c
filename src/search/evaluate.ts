import type {
  FieldNode,
  PhraseNode,
  QueryNode,
  TermNode,
  TextField,
} from "../query/ast.ts";
import { terms } from "../text/terms.ts";
import { runNow, type Steps } from "../runtime/deadline.ts";
import type { Ceiling, Matches, Segment, Variant } from "../engines/store.ts";
import { SEPARATOR } from "../engines/store.ts";
import { keepMatches } from "../engines/matches.ts";
import { findNear, findPhrase } from "./positions.ts";
import { ranking } from "./ranking.ts";

/** What BM25F needs beyond a segment: the archive's figures, whatever part the segment holds. */
export interface Scoring {
  statements: number;
  /** Average weighted length of the given fields (by field id) over the archive. */
  average(fields: readonly number[]): number;
  /**
   * Statements holding `term` in one of `fields`, over the whole archive: read for a segment
   * that holds part of it (a page of database rows); a complete one counts its own postings.
   */
  frequency(term: string, fields: readonly number[]): number;
}

/**
 * Evaluates a query tree over a segment: which of its statements match, each with a BM25F
 * score (a word scores as its best variant; AND and OR add; a phrase scores as its words; NOT
 * and metadata fields add nothing). Yields between units of work (see `Steps`).
 */
export function* evaluateSteps(
  segment: Segment,
  root: QueryNode | undefined,
  variantsOf: (node: TermNode) => Variant[],
  scoring: Scoring,
): Steps<Matches> {
  const all = (nodes: QueryNode[]) =>
    (function* () {
      const out: Matches[] = [];
      for (const node of nodes) out.push(yield* visit(node));
      return out;
    })();
  function* visit(node: QueryNode): Steps<Matches> {
    switch (node.type) {
      case "term":
        return yield* scoreTerm(segment, variantsOf(node), scoring, node.field);
      case "phrase":
        return yield* phraseMatches(segment, node, scoring);
      case "field":
        return fieldMatches(segment, node);
      case "not":
        return difference(everything(segment), yield* visit(node.child));
      case "or":
        return (yield* all(node.children)).reduce(union);
      case "and": {
        const positive = node.children.filter((c) => c.type !== "not");
        const negative = node.children.flatMap((c) =>
          c.type === "not" ? [c.child] : [],
        );
        let result = positive.length
          ? (yield* all(positive)).reduce(intersect)
          : everything(segment);
        for (const n of negative) result = difference(result, yield* visit(n));
        return result;
      }
    }
  }
  return root ? yield* visit(root) : everything(segment);
}

/** `evaluateSteps` run to the end at once. */
export function evaluate(
  segment: Segment,
  root: QueryNode | undefined,
  variantsOf: (node: TermNode) => Variant[],
  scoring: Scoring,
): Matches {
  return runNow(evaluateSteps(segment, root, variantsOf, scoring));
}

/** Field ids a word or phrase is looked for in: the one named, or all. */
export function fieldIds(field?: TextField): number[] {
  return field === "title" ? [0] : field === "body" ? [1] : [0, 1];
}

/**
 * One word's BM25F: the frequencies of a variant in the fields added up with their weights,
 * then saturated once, so a word in both title and body is not counted as two words. Each
 * variant is scored with its own document frequency; the best variant counts.
 */
export function bm25f(
  frequency: number,
  length: number,
  average: number,
  df: number,
  statements: number,
  weight: number,
): number {
  const { k, b } = ranking.bm25;
  return (
    weight *
    idf(df, statements) *
    ((frequency * (k + 1)) / (frequency + k * (1 - b + (b * length) / average)))
  );
}

function idf(df: number, statements: number): number {
  return Math.log(1 + (statements - df + 0.5) / (df + 0.5));
}

/**
 * The bound of `evaluateSteps`'s scores that a store reads best-first by (see `Ceiling`): a
 * word scores as its best variant, at most the best weight × idf of its variants times the
 * saturation of all their occurrences together; a phrase as its words; words under NOT and
 * metadata fields score nothing.
 */
export function ceilingOf(
  root: QueryNode | undefined,
  variantsOf: (node: TermNode) => Variant[],
  scoring: Scoring,
): Ceiling {
  const parts: Ceiling["parts"] = [];
  const part = (variants: Variant[], field?: TextField) => {
    const fields = fieldIds(field);
    const average = scoring.average(fields);
    const factors = variants
      .map((v) => ({
        term: v.term,
        factor:
          v.weight * idf(scoring.frequency(v.term, fields), scoring.statements),
      }))
      .sort((a, b) => b.factor - a.factor);
    // Variants in up to three parts by factor, each within a factor of 2 of its best but
    // the last: a row holding only common forms is not bounded by a rare form's idf. Parts
    // add up, so the bound holds whichever variant scores.
    for (let band = 0; factors.length > 0; band++) {
      const top = factors[0]!.factor;
      const n =
        band === 2
          ? factors.length
          : factors.filter((f) => f.factor > top / 2).length || 1;
      const taken = factors.splice(0, n);
      parts.push({
        terms: taken.map((f) => f.term),
        fields,
        factor: top,
        average,
      });
    }
  };
  const visit = (node: QueryNode): void => {
    switch (node.type) {
      case "term":
        return part(variantsOf(node), node.field);
      case "phrase":
        for (const term of node.terms) part([{ term, weight: 1 }], node.field);
        return;
      case "and":
      case "or":
        return node.children.forEach(visit);
      default:
        return;
    }
  };
  if (root) visit(root);
  return {
    ...ranking.bm25,
    boosts: ranking.fieldBoost,
    parts,
  };
}

function* scoreTerm(
  segment: Segment,
  variants: Variant[],
  scoring: Scoring,
  field?: TextField,
): Steps<Matches> {
  const fields = fieldIds(field);
  const length = weightedLengths(segment, fields);
  const average = scoring.average(fields);
  const best = new Float64Array(segment.capacity);
  const tf = new Float64Array(segment.capacity);
  const touched: number[] = [];
  for (const { term, weight } of variants) {
    const postings = segment.postings(term);
    if (!postings) continue;
    yield;
    const seen: number[] = [];
    for (const f of fields) {
      const boost = ranking.fieldBoost[f] ?? 1;
      for (const [doc, count] of postings.get(f) ?? []) {
        if (!segment.has(doc)) continue;
        if (tf[doc] === 0) seen.push(doc);
        tf[doc]! += boost * count;
      }
    }
    const df = segment.complete ? seen.length : scoring.frequency(term, fields);
    for (const doc of seen) {
      const score = bm25f(
        tf[doc]!,
        length[doc]!,
        average,
        df,
        scoring.statements,
        weight,
      );
      if (best[doc] === 0) touched.push(doc);
      if (score > best[doc]!) best[doc] = score;
      tf[doc] = 0;
    }
  }
  return fromDense(touched, best);
}

const lengthCache = new WeakMap<Segment, Map<string, Float64Array>>();

/** Each doc's length over the given fields, weighted as their term frequencies are. */
export function weightedLengths(
  segment: Segment,
  fields: readonly number[],
): Float64Array {
  let cached = lengthCache.get(segment);
  if (!cached) lengthCache.set(segment, (cached = new Map()));
  const key = fields.join(",");
  let length = cached.get(key);
  if (!length) {
    length = new Float64Array(segment.capacity);
    for (const f of fields) {
      const words = segment.words(f);
      const boost = ranking.fieldBoost[f] ?? 1;
      for (let doc = 0; doc < length.length; doc++)
        length[doc]! += boost * words[doc]!;
    }
    cached.set(key, length);
  }
  return length;
}

function fromDense(touched: number[], scores: Float64Array): Matches {
  const ids = Int32Array.from(touched);
  // Postings come in the order documents were added, ascending unless some were replaced.
  let sorted = true;
  for (let i = 1; i < ids.length && sorted; i++) sorted = ids[i - 1]! < ids[i]!;
  if (!sorted) ids.sort();
  const out = new Float64Array(ids.length);
  for (let i = 0; i < ids.length; i++) out[i] = scores[ids[i]!]!;
  return { ids, scores: out };
}

/** Statements holding the words as a phrase (or near each other), scored as their words together. */
function* phraseMatches(
  segment: Segment,
  node: PhraseNode,
  scoring: Scoring,
): Steps<Matches> {
  const scored: Matches[] = [];
  for (const term of node.terms)
    scored.push(
      yield* scoreTerm(segment, [{ term, weight: 1 }], scoring, node.field),
    );
  const candidates = scored.reduce(intersect);
  const ids = node.terms.map((t) => segment.termId(t));
  if (ids.some((id) => id === undefined)) return empty();
  const wanted = ids as number[];
  return yield* filterSteps(candidates, (doc) => {
    const seq = segment.positions(doc);
    if (!seq) return false;
    const sep = seq.indexOf(SEPARATOR);
    const [from, to] =
      node.field === "title"
        ? [0, sep]
        : node.field === "body"
          ? [sep + 1, seq.length]
          : [0, seq.length];
    return node.slop === undefined
      ? findPhrase(seq, wanted, from, to, true).length > 0
      : findNear(seq, wanted, node.slop, from, to, true).length > 0;
  });
}

/** Statements whose metadata field holds the words, in order (`source:"white house"`). */
function fieldMatches(segment: Segment, node: FieldNode): Matches {
  const field = segment.field(node.field);
  if (!field) return empty();
  const accepted = new Set<number>();
  field.values.forEach((value, v) => {
    if (findPhrase(terms(value), node.terms, 0, undefined, true).length > 0)
      accepted.add(v);
  });
  const ids: number[] = [];
  for (let doc = 0; doc < segment.capacity; doc++)
    if (accepted.has(field.byDoc[doc]!) && segment.has(doc)) ids.push(doc);
  return { ids: Int32Array.from(ids), scores: new Float64Array(ids.length) };
}

/** Every statement, with score 0: what a query of only exclusions or filters starts from. */
function everything(segment: Segment): Matches {
  const ids = segment.all();
  return { ids, scores: new Float64Array(ids.length) };
}

function empty(): Matches {
  return { ids: new Int32Array(0), scores: new Float64Array(0) };
}

/** `filter` for a costly `keep`: yields every 256 checks. */
function* filterSteps(
  m: Matches,
  keep: (doc: number) => boolean,
): Steps<Matches> {
  const ids: number[] = [];
  const scores: number[] = [];
  for (let i = 0; i < m.ids.length; i++) {
    if (i % 256 === 255) yield;
    if (keep(m.ids[i]!)) {
      ids.push(m.ids[i]!);
      scores.push(m.scores[i]!);
    }
  }
  return { ids: Int32Array.from(ids), scores: Float64Array.from(scores) };
}

function intersect(a: Matches, b: Matches): Matches {
  const ids: number[] = [];
  const scores: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const x = a.ids[i]!;
    const y = b.ids[j]!;
    if (x < y) i++;
    else if (y < x) j++;
    else {
      ids.push(x);
      scores.push(a.scores[i++]! + b.scores[j++]!);
    }
  }
  return { ids: Int32Array.from(ids), scores: Float64Array.from(scores) };
}

function union(a: Matches, b: Matches): Matches {
  const ids: number[] = [];
  const scores: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.ids.length || j < b.ids.length) {
    const x = i < a.ids.length ? a.ids[i]! : Infinity;
    const y = j < b.ids.length ? b.ids[j]! : Infinity;
    if (x < y) {
      ids.push(x);
      scores.push(a.scores[i++]!);
    } else if (y < x) {
      ids.push(y);
      scores.push(b.scores[j++]!);
    } else {
      ids.push(x);
      scores.push(a.scores[i++]! + b.scores[j++]!);
    }
  }
  return { ids: Int32Array.from(ids), scores: Float64Array.from(scores) };
}

function difference(a: Matches, b: Matches): Matches {
  let j = 0;
  return keepMatches(a, (doc) => {
    while (j < b.ids.length && b.ids[j]! < doc) j++;
    return b.ids[j] !== doc;
  });
}
