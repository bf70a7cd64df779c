/**
 * Keyword in context (issue 26): each match of a text with the words before and after it,
 * the match in a column of its own so that a phrase lines up on its first word. The matches
 * are the marks `highlight` draws with the same marker, so line N links to the mark `#mN`.
 */
import { markedSpans, type Marker } from "./highlight.ts";
import { tokenize } from "../text/terms.ts";

/** One match in its context. */
export interface ConcordanceLine {
  /** The match's number among the text's marks, from 1. */
  n: number;
  /** Up to `context` words before the match, as written, spaces collapsed. */
  left: string;
  /** The match as written: a phrase from its first word to its last. */
  match: string;
  right: string;
}

/** Which context orders the lines, and whether by its words or by how common its next word is. */
export interface ConcordanceOrder {
  side: "left" | "right";
  by: "words" | "frequency";
}

/** Every match of `text` that `marker` finds, with `context` words either side. */
export function concordance(
  text: string,
  marker: Marker,
  context = 8,
): ConcordanceLine[] {
  const { tokens, spans } = markedSpans(text, marker);
  return spans.map((span, i) => {
    const first = tokens[span.from]!;
    const last = tokens[span.to]!;
    const before = tokens[Math.max(0, span.from - context)]!;
    const after = tokens[Math.min(tokens.length - 1, span.to + context)]!;
    return {
      n: i + 1,
      left: flat(text.slice(before.start, first.start)),
      match: flat(text.slice(first.start, last.end)),
      right: flat(text.slice(last.end, after.end)),
    };
  });
}

/**
 * The lines sorted as AntConc sorts them. By words: on the context's words read outwards from
 * the match (the nearest first, then the next), folded as the index folds them, an empty
 * context first. By frequency: lines whose neighbouring word is more common among the lines
 * come first, then by words. Equal lines keep their order.
 */
export function sortLines<T extends Pick<ConcordanceLine, "left" | "right">>(
  lines: readonly T[],
  order: ConcordanceOrder,
): T[] {
  const keys = new Map<T, string[]>();
  const counts = new Map<string, number>();
  for (const line of lines) {
    const words = tokenize(order.side === "left" ? line.left : line.right).map(
      (t) => t.term,
    );
    if (order.side === "left") words.reverse();
    keys.set(line, words);
    const next = words[0] ?? "";
    counts.set(next, (counts.get(next) ?? 0) + 1);
  }
  const byWords = (a: T, b: T) => compareWords(keys.get(a)!, keys.get(b)!);
  const byFrequency = (a: T, b: T) =>
    counts.get(keys.get(b)![0] ?? "")! - counts.get(keys.get(a)![0] ?? "")! ||
    byWords(a, b);
  return [...lines].sort(order.by === "words" ? byWords : byFrequency);
}

function compareWords(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length && i < b.length; i++)
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length - b.length;
}

const flat = (text: string) => text.replace(/\s+/g, " ").trim();
