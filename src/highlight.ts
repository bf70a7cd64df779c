import { tokenize, wordOffsets, type Token } from "./text.ts";

/** A string that is safe to print into HTML as it is: escaped, with only `<mark>` tags added. */
export type Html = string & { readonly __html: unique symbol };

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): Html {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!) as Html;
}

/** A run of tokens to mark as one, from `from` to `to` inclusive; `key` names what matched. */
export interface Span {
  from: number;
  to: number;
  key: string;
}

/** Finds what to mark in a tokenized text. */
export type Marker = (tokens: Token[]) => Span[];

/** Marks every token whose normalized term is one of `terms`. */
export function wordMarker(terms: Iterable<string>): Marker {
  const set = new Set(terms);
  return (tokens) => {
    const spans: Span[] = [];
    tokens.forEach((t, i) => {
      if (set.has(t.term)) spans.push({ from: i, to: i, key: t.term });
    });
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
  const tokens = tokenize(text);
  return markSpans(
    text,
    0,
    text.length,
    tokens,
    merge(marker(tokens)),
    counter,
  );
}

/**
 * The passage of `text` (about `words` words) with the most distinct matches, highlighted,
 * with `…` where it was cut. Falls back to the opening words when nothing matches.
 */
export function snippet(
  text: string,
  marker: Marker,
  words = 32,
  terms?: readonly string[],
): Html {
  // With the text's terms known (from the index), only the chosen passage is located in it.
  const tokens: Token[] = terms
    ? terms.map((term) => ({ term, start: 0, end: 0 }))
    : tokenize(text);
  if (tokens.length === 0) return escapeHtml(text.slice(0, 200));
  const spans = merge(marker(tokens));
  const from = bestWindow(tokens.length, spans, words);
  const to = Math.min(tokens.length, from + words) - 1;
  if (terms) {
    wordOffsets(text, from, to).forEach(([start, end], i) =>
      Object.assign(tokens[from + i]!, { start, end }),
    );
  }
  const start = from === 0 ? 0 : tokens[from]!.start;
  const end = to === tokens.length - 1 ? text.length : tokens[to]!.end;
  const inside = spans.filter((s) => s.from >= from && s.to <= to);
  const body = markSpans(text, start, end, tokens, inside);
  const flat = body.replace(/\s*\n\s*/g, " ").trim();
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

// The start of the window holding the most distinct matched things, then the most matches;
// it opens a few words before its first match so the match has some context.
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
    const distinct = new Set(spans.slice(lo, hi).map((s) => s.key)).size;
    const score = distinct * 1000 + (hi - lo);
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
  let out = "";
  let at = start;
  for (const span of spans) {
    const from = tokens[span.from]!.start;
    const to = tokens[span.to]!.end;
    out += escapeHtml(text.slice(at, from));
    const id = counter ? ` id="m${++counter.count}"` : "";
    out += `<mark${id}>${escapeHtml(text.slice(from, to))}</mark>`;
    at = to;
  }
  return (out + escapeHtml(text.slice(at, end))) as Html;
}
