import type { Sequence } from "./positions.ts";
import { escapeHtml, type Html } from "../text/html.ts";
import { tokenize, wordOffsets, type Token } from "../text/terms.ts";

export { escapeHtml, type Html } from "../text/html.ts";

/**
 * A run of tokens to mark as one, from `from` to `to` inclusive; `key` names what matched,
 * and `exact` says the text has it as typed (not another form or spelling of it).
 */
export interface Span {
  from: number;
  to: number;
  key: string;
  exact?: boolean;
}

/**
 * Finds what to mark in a text, given its words in order: as terms (strings), or as the
 * index's term ids when the words come from the index rather than from tokenizing.
 */
export type Marker<T = string> = (words: Sequence<T>) => Span[];

/** Marks every word whose normalized term is one of `terms`. */
export function wordMarker(terms: Iterable<string>): Marker {
  const set = new Set(terms);
  return (words) => {
    const spans: Span[] = [];
    for (let i = 0; i < words.length; i++) {
      if (set.has(words[i]!))
        spans.push({ from: i, to: i, key: words[i]!, exact: true });
    }
    return spans;
  };
}

/** Numbers marks across several calls, so a page can link to match 1 … N. */
export interface MarkCounter {
  count: number;
}

/**
 * Escapes `text` and wraps every span the marker finds in `<mark>`; a phrase is one mark from
 * its first word to its last. With a counter, each mark gets `id="mN"`.
 */
export function highlight(
  text: string,
  marker: Marker,
  counter?: MarkCounter,
): Html {
  const { tokens, spans } = markedSpans(text, marker);
  return markSpans(text, 0, text.length, tokens, spans, counter);
}

/**
 * The words of `text` and the spans the marker finds in them, in order and without overlaps:
 * the marks `highlight` draws, the N-th of them `#mN`.
 */
export function markedSpans(
  text: string,
  marker: Marker,
): { tokens: Token[]; spans: Span[] } {
  const tokens = tokenize(text);
  return { tokens, spans: merge(marker(tokens.map((t) => t.term))) };
}

/**
 * The passage of `text` (about `words` words) with the most distinct matches, highlighted,
 * with `…` where it was cut; among those, one with the words as typed rather than their other
 * forms (`sanctions`, not only `sanctioned`). Falls back to the opening words when nothing matches. Given the
 * text's words as the index holds them (`known`), the marker reads those and only the chosen
 * passage is located in the text, instead of tokenizing all of it.
 */
export function snippet(text: string, marker: Marker, words?: number): Html;
export function snippet<T>(
  text: string,
  marker: Marker<T>,
  words: number,
  known: Sequence<T>,
): Html;
export function snippet<T>(
  text: string,
  marker: Marker<T>,
  words = 32,
  known?: Sequence<T>,
): Html {
  let tokens: Token[] = [];
  let spans: Span[];
  let length: number;
  if (known) {
    spans = merge(marker(known));
    length = known.length;
  } else {
    tokens = tokenize(text);
    spans = merge(
      (marker as unknown as Marker<string>)(tokens.map((t) => t.term)),
    );
    length = tokens.length;
  }
  if (length === 0) return escapeHtml(text.slice(0, 200));
  const from = bestWindow(length, spans, words);
  const to = Math.min(length, from + words) - 1;
  if (known)
    wordOffsets(text, from, to).forEach(
      ([start, end], i) => (tokens[from + i] = { term: "", start, end }),
    );
  const start = from === 0 ? 0 : tokens[from]!.start;
  const end = to === length - 1 ? text.length : tokens[to]!.end;
  const inside = spans.filter((s) => s.from >= from && s.to <= to);
  const body = markSpans(text, start, end, tokens, inside);
  // Whitespace runs holding a line break become one space (one pass: linear in the run).
  const flat = body
    .replace(/\s+/g, (run) => (run.includes("\n") ? " " : run))
    .trim();
  return ((start > 0 ? "… " : "") +
    flat +
    (end < text.length ? " …" : "")) as Html;
}

// Sorted, without overlaps: a word inside a marked phrase is not marked again.
function merge(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.from - b.from || b.to - a.to);
  const out: Span[] = [];
  for (const span of sorted) {
    const last = out[out.length - 1];
    if (last && span.from <= last.to) {
      if (span.to > last.to) last.to = span.to;
    } else out.push({ ...span });
  }
  return out;
}

// The start of the window holding the most distinct matched things, then the most of them
// as typed, then the most matches; it opens a few words before its first match so the match
// has some context.
function bestWindow(length: number, spans: Span[], words: number): number {
  let best = 0;
  let bestScore = -1;
  const lead = Math.min(4, Math.floor(words / 4));
  let lo = 0;
  for (const span of spans) {
    const from = Math.max(0, Math.min(span.from - lead, length - words));
    while (spans[lo]!.from < from) lo++;
    let hi = lo;
    while (hi < spans.length && spans[hi]!.to < from + words) hi++;
    const inside = spans.slice(lo, hi);
    const distinct = new Set(inside.map((s) => s.key)).size;
    const exact = new Set(inside.filter((s) => s.exact).map((s) => s.key)).size;
    const score = (distinct * 1000 + exact) * 1000 + (hi - lo);
    if (score > bestScore) {
      best = from;
      bestScore = score;
    }
  }
  return best;
}

function markSpans(
  text: string,
  start: number,
  end: number,
  tokens: Token[],
  spans: Span[],
  counter?: MarkCounter,
): Html {
  // Spans as character ranges; Chinese and Japanese words are overlapping pairs of
  // characters (see text/segment.ts), so the marks of neighbouring pairs become one.
  const ranges: [number, number][] = [];
  for (const span of spans) {
    const from = tokens[span.from]!.start;
    const to = tokens[span.to]!.end;
    const last = ranges[ranges.length - 1];
    if (last && from < last[1]) last[1] = Math.max(last[1], to);
    else ranges.push([from, to]);
  }
  let out = "";
  let at = start;
  for (const [from, to] of ranges) {
    out += escapeHtml(text.slice(at, from));
    const id = counter ? ` id="m${++counter.count}"` : "";
    out += `<mark${id}>${escapeHtml(text.slice(from, to))}</mark>`;
    at = to;
  }
  return (out + escapeHtml(text.slice(at, end))) as Html;
}
