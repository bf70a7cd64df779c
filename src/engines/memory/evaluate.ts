import type { Corpus } from "./corpus.ts";
import { derived, FIELDS, SEPARATOR, WORDS } from "./corpus.ts";
import type {
  FieldNode,
  PhraseNode,
  QueryNode,
  TextField,
} from "../../query/ast.ts";
import { matchSpecOf, type MatchSpec } from "../../search/marker.ts";
import { terms } from "../../text/terms.ts";
import { runNow, type Steps } from "../../search/deadline.ts";
import {
  expand,
  expansionShare,
  type ExpandOptions,
  type Variant,
} from "../../search/expand.ts";
import { findNear, findPhrase } from "../../search/positions.ts";
import { ranking } from "../../search/ranking.ts";

/** Matching documents by ascending short id, with their scores. */
export type { MatchSpec } from "../../search/marker.ts";

export interface Matches {
  ids: Int32Array;
  scores: Float64Array;
}

/**
 * Evaluates a query tree against the corpus: which statements match, each with a BM25 score.
 * `notes` hears about bounded expansions. Yields between units of work (see `Steps`).
 */
export function* evaluateSteps(
  corpus: Corpus,
  root: QueryNode | undefined,
  notes: string[],
): Steps<Matches> {
  const share = expansionShare(root);
  const memo = new Map<string, Variant[]>();
  const all = (nodes: QueryNode[]) =>
    (function* () {
      const out: Matches[] = [];
      for (const node of nodes) out.push(yield* visit(node));
      return out;
    })();
  function* visit(node: QueryNode): Steps<Matches> {
    switch (node.type) {
      case "term":
        return yield* scoreTerm(
          corpus,
          expand(corpus.index, node, notes, share, memo, expandOptions(corpus)),
          node.field,
        );
      case "phrase":
        return yield* phraseMatches(corpus, node);
      case "field":
        return fieldMatches(corpus, node);
      case "not":
        return difference(everything(corpus), yield* visit(node.child));
      case "or":
        return (yield* all(node.children)).reduce(union);
      case "and": {
        const positive = node.children.filter((c) => c.type !== "not");
        const negative = node.children.flatMap((c) =>
          c.type === "not" ? [c.child] : [],
        );
        let result = positive.length
          ? (yield* all(positive)).reduce(intersect)
          : everything(corpus);
        for (const n of negative) result = difference(result, yield* visit(n));
        return result;
      }
    }
  }
  return root ? yield* visit(root) : everything(corpus);
}

/** `evaluateSteps` run to the end at once. */
export function evaluate(
  corpus: Corpus,
  root: QueryNode | undefined,
  notes: string[],
): Matches {
  return runNow(evaluateSteps(corpus, root, notes));
}

/** What to mark for a query: every word and phrase it looks for, outside exclusions. */
export function matchSpec(
  corpus: Corpus,
  root: QueryNode | undefined,
): MatchSpec {
  const share = expansionShare(root);
  return matchSpecOf(root, (node) =>
    expand(corpus.index, node, [], share, undefined, expandOptions(corpus)),
  );
}

/**
 * The archive's languages choose the stemmers (`expand`): each statement's `lang` (or a
 * `language`/`lang` field of its record), and "und" when some statement has none.
 */
function expandOptions(corpus: Corpus): ExpandOptions {
  return derived(corpus, "expand-options", () => {
    const languages = new Set<string>();
    for (const s of corpus.statements) {
      if (s === undefined) continue;
      const lang =
        (s as { lang?: string }).lang ?? s.meta.language ?? s.meta.lang;
      languages.add(lang?.trim().toLowerCase() || "und");
    }
    return { languages: [...languages] };
  });
}

function fieldIds(field?: TextField): number[] {
  return field ? [FIELDS.indexOf(field)] : FIELDS.map((_, id) => id);
}

/**
 * BM25F of one query word: term frequencies of the fields added up with their weights, then
 * saturated once, so a word in both title and body is not counted as two words. Each variant
 * is scored with its own document frequency; the best variant counts.
 */
function* scoreTerm(
  corpus: Corpus,
  variants: Variant[],
  field?: TextField,
): Steps<Matches> {
  const { index } = corpus;
  const { k, b } = ranking.bm25;
  const fields = fieldIds(field);
  const { length, average } = weightedLengths(corpus, fields);
  const best = new Float64Array(index.capacity);
  const tf = new Float64Array(index.capacity);
  const touched: number[] = [];
  for (const { term, weight } of variants) {
    const postings = index.postings(term);
    if (!postings) continue;
    yield;
    const seen: number[] = [];
    for (const f of fields) {
      const boost = ranking.fieldBoost[f] ?? 1;
      for (const [doc, count] of postings.get(f) ?? []) {
        if (corpus.statements[doc] === undefined) continue;
        if (tf[doc] === 0) seen.push(doc);
        tf[doc]! += boost * count;
      }
    }
    const idf = Math.log(
      1 + (index.size - seen.length + 0.5) / (seen.length + 0.5),
    );
    for (const doc of seen) {
      const f = tf[doc]!;
      const score =
        weight *
        idf *
        ((f * (k + 1)) / (f + k * (1 - b + (b * length[doc]!) / average)));
      if (best[doc] === 0) touched.push(doc);
      if (score > best[doc]!) best[doc] = score;
      tf[doc] = 0;
    }
  }
  return fromDense(touched, best);
}

/** Each statement's length over the given fields, weighted as their term frequencies are. */
function weightedLengths(corpus: Corpus, fields: number[]) {
  return derived(corpus, `lengths:${fields.join(",")}`, () => {
    const length = new Float64Array(corpus.index.capacity);
    let total = 0;
    corpus.statements.forEach((statement, doc) => {
      if (statement === undefined) return;
      for (const f of fields)
        length[doc]! += (ranking.fieldBoost[f] ?? 1) * corpus[WORDS[f]!][doc]!;
      total += length[doc]!;
    });
    return { length, average: total / Math.max(1, corpus.index.size) };
  });
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
function* phraseMatches(corpus: Corpus, node: PhraseNode): Steps<Matches> {
  const scored: Matches[] = [];
  for (const term of node.terms)
    scored.push(yield* scoreTerm(corpus, [{ term, weight: 1 }], node.field));
  const candidates = scored.reduce(intersect);
  const ids = node.terms.map((t) => corpus.vocabulary.get(t));
  if (ids.some((id) => id === undefined)) return empty();
  const wanted = ids as number[];
  return yield* filterSteps(candidates, (doc) => {
    const seq = corpus.positions[doc]!;
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
function fieldMatches(corpus: Corpus, node: FieldNode): Matches {
  const field = corpus.fields.get(node.field);
  if (!field) return empty();
  const accepted = new Set<number>();
  field.values.forEach((value, v) => {
    if (findPhrase(terms(value), node.terms, 0, undefined, true).length > 0)
      accepted.add(v);
  });
  const ids: number[] = [];
  field.byDoc.forEach((v, doc) => {
    if (accepted.has(v) && corpus.statements[doc] !== undefined) ids.push(doc);
  });
  return { ids: Int32Array.from(ids), scores: new Float64Array(ids.length) };
}

/** Every statement, with score 0: what a query of only exclusions or filters starts from. */
export function everything(corpus: Corpus): Matches {
  const ids: number[] = [];
  corpus.statements.forEach((s, doc) => {
    if (s !== undefined) ids.push(doc);
  });
  return { ids: Int32Array.from(ids), scores: new Float64Array(ids.length) };
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

/** Keeps the matches whose id passes `keep`. */
export function filter(m: Matches, keep: (doc: number) => boolean): Matches {
  const ids: number[] = [];
  const scores: number[] = [];
  for (let i = 0; i < m.ids.length; i++) {
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

export function difference(a: Matches, b: Matches): Matches {
  let j = 0;
  return filter(a, (doc) => {
    while (j < b.ids.length && b.ids[j]! < doc) j++;
    return b.ids[j] !== doc;
  });
}
