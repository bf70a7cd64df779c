import type { Marker, Span } from "../highlight.ts";
import type { TextField } from "../query/ast.ts";
import type { MatchSpec } from "./evaluate.ts";
import { findNear, findPhrase } from "./positions.ts";

/**
 * What to mark in a statement's title or body for a query: each word that matched (with its
 * variants, as they stand in the text), each phrase as one mark, each word of a proximity match.
 */
export function specMarker(spec: MatchSpec, field: TextField): Marker {
  const words = new Map<string, string>();
  for (const w of spec.words)
    if (!w.field || w.field === field) words.set(w.term, w.key);
  const phrases = spec.phrases.filter((p) => !p.field || p.field === field);
  return (tokens) => {
    const seq = tokens.map((t) => t.term);
    const spans: Span[] = [];
    seq.forEach((term, i) => {
      const key = words.get(term);
      if (key !== undefined) spans.push({ from: i, to: i, key });
    });
    phrases.forEach((phrase, n) => {
      const key = `"${n}`;
      if (phrase.slop === undefined) {
        for (const i of findPhrase(seq, phrase.terms))
          spans.push({ from: i, to: i + phrase.terms.length - 1, key });
        return;
      }
      for (const [start, end] of findNear(seq, phrase.terms, phrase.slop)) {
        for (let i = start; i <= end; i++)
          if (phrase.terms.includes(seq[i]!))
            spans.push({ from: i, to: i, key });
      }
    });
    return spans;
  };
}
