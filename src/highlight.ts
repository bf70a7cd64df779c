import { tokenize, type Token } from "./text.ts";

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

/** Decides whether a token of the text is a match. */
export type Matcher = (token: Token, index: number, tokens: Token[]) => boolean;

/** Matches tokens whose normalized term is one of `terms`. */
export function termMatcher(terms: Iterable<string>): Matcher {
  const set = new Set(terms);
  return (token) => set.has(token.term);
}

/** Numbers marks across several calls, so a page can link to match 1 … N. */
export interface MarkCounter {
  count: number;
}

/**
 * Escapes `text` and wraps every matching word in `<mark>`. With a counter, each mark gets
 * `id="mN"` so a page can link to it.
 */
export function highlight(
  text: string,
  matcher: Matcher,
  counter?: MarkCounter,
): Html {
  const tokens = tokenize(text);
  return markTokens(
    text,
    0,
    text.length,
    tokens,
    matchedIndexes(tokens, matcher),
    counter,
  );
}

/**
 * The passage of `text` (about `words` words) with the most distinct matches, highlighted,
 * with `…` where it was cut. Falls back to the opening words when nothing matches.
 */
export function snippet(text: string, matcher: Matcher, words = 32): Html {
  const tokens = tokenize(text);
  if (tokens.length === 0) return escapeHtml(text.slice(0, 200));
  const matched = matchedIndexes(tokens, matcher);
  const from = bestWindow(tokens, matched, words);
  const to = Math.min(tokens.length, from + words) - 1;
  const start = from === 0 ? 0 : tokens[from]!.start;
  const end = to === tokens.length - 1 ? text.length : tokens[to]!.end;
  const body = markTokens(
    text,
    start,
    end,
    tokens.slice(from, to + 1),
    matched.filter((i) => i >= from && i <= to).map((i) => i - from),
  );
  const flat = body.replace(/\s*\n\s*/g, " ").trim();
  return ((start > 0 ? "… " : "") +
    flat +
    (end < text.length ? " …" : "")) as Html;
}

function matchedIndexes(tokens: Token[], matcher: Matcher): number[] {
  const out: number[] = [];
  tokens.forEach((token, i) => {
    if (matcher(token, i, tokens)) out.push(i);
  });
  return out;
}

// The start of the window that holds the most distinct matched terms, then the most matches;
// it opens a few words before its first match so the match has some context.
function bestWindow(tokens: Token[], matched: number[], words: number): number {
  let best = 0;
  let bestScore = -1;
  const lead = Math.min(4, Math.floor(words / 4));
  let lo = 0;
  for (const first of matched) {
    const from = Math.max(0, Math.min(first - lead, tokens.length - words));
    while (matched[lo]! < from) lo++;
    let hi = lo;
    while (hi < matched.length && matched[hi]! < from + words) hi++;
    const distinct = new Set(matched.slice(lo, hi).map((i) => tokens[i]!.term))
      .size;
    const score = distinct * 1000 + (hi - lo);
    if (score > bestScore) {
      best = from;
      bestScore = score;
    }
  }
  return best;
}

function markTokens(
  text: string,
  start: number,
  end: number,
  tokens: Token[],
  matched: number[],
  counter?: MarkCounter,
): Html {
  let out = "";
  let at = start;
  for (const i of matched) {
    const token = tokens[i]!;
    out += escapeHtml(text.slice(at, token.start));
    const id = counter ? ` id="m${++counter.count}"` : "";
    out += `<mark${id}>${escapeHtml(text.slice(token.start, token.end))}</mark>`;
    at = token.end;
  }
  return (out + escapeHtml(text.slice(at, end))) as Html;
}
