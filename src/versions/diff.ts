/**
 * Word-level differences between two versions of a text: what was removed and what was added,
 * as data (for a `.json` twin) and as HTML with `<del>` and `<ins>`, escaped first.
 *
 * Sentences (and paragraphs) are aligned first, and only the runs of changed sentences are
 * compared word by word, which keeps the work near the size of the change. Bounds: alignment
 * gives up past `MAX_BLOCK_EDITS` sentences added or removed; a changed run is compared word
 * by word only when each side has at most `MAX_RUN_WORDS` words and they differ by at most
 * `MAX_RUN_EDITS` words; a whole diff compares at most `MAX_TOTAL_WORDS` words that way. Past
 * a bound the run is shown as removed and added whole, and `coarse` says so. The `diff`
 * package's Myers algorithm does both steps; these bounds cap its O((N + M) · D) work.
 */
import { diffArrays } from "diff";
import type { Statement } from "../ingest/statement.ts";
import { escapeHtml, type Html } from "../text/html.ts";
import { tokenize } from "../text/terms.ts";

/** One piece of a diff. */
export interface DiffPart {
  op: "same" | "ins" | "del";
  /** Text as written; paragraphs are separated by a blank line. */
  text: string;
}

/** The difference between two texts. */
export interface TextDiff {
  /**
   * In order. The `same` and `ins` texts make the new text exactly; the `same` and `del` texts
   * make the old one, but with the new text's spacing where the two differ only in spacing,
   * paragraph breaks included.
   */
  parts: DiffPart[];
  /** Paragraphs of escaped text with changes in `<del>` and `<ins>`. */
  html: Html[];
  /** Words removed and added. */
  removed: number;
  added: number;
  /** True when some change was too large to compare word by word. */
  coarse: boolean;
  /**
   * Places where one text breaks a paragraph and the other goes on with a space or a line
   * break: not a change of words, so not marked, only counted (the new text's breaks show).
   */
  paragraphBreaks: number;
}

/** The differences between two statements' titles and bodies (from `a` to `b`). */
export interface StatementDiff {
  title: TextDiff;
  body: TextDiff;
}

export const MAX_BLOCK_EDITS = 1_000;
export const MAX_RUN_WORDS = 1_000;
export const MAX_RUN_EDITS = 200;
export const MAX_TOTAL_WORDS = 20_000;

/** What changed from statement `a` to statement `b`. */
export function diffStatements(a: Statement, b: Statement): StatementDiff {
  return { title: diffText(a.title, b.title), body: diffText(a.body, b.body) };
}

/**
 * What changed from text `a` to text `b`, word by word. Words compare exactly (case and
 * accents count); the spaces between them do not count (a space, a line break, a run of
 * spaces and a paragraph break are alike), but a paragraph break in one text where the other
 * has none is counted in `paragraphBreaks`.
 */
export function diffText(a: string, b: string): TextDiff {
  const ba = blocks(a);
  const bb = blocks(b);
  const budget = { words: MAX_TOTAL_WORDS, coarse: false, breaks: 0 };
  const changes = diffArrays(keys(ba), keys(bb), {
    maxEditLength: MAX_BLOCK_EDITS,
  }) ?? [
    // Too different to align: one run of everything.
    { value: [], removed: true, added: false, count: ba.length },
    { value: [], removed: false, added: true, count: bb.length },
  ];
  const parts: DiffPart[] = [];
  let ia = 0;
  let ib = 0;
  let runA = "";
  let runB = "";
  const flush = () => {
    compareRun(runA, runB, parts, budget);
    runA = runB = "";
  };
  for (const change of changes) {
    if (change.removed) runA += ba.slice(ia, (ia += change.count)).join("");
    else if (change.added) runB += bb.slice(ib, (ib += change.count)).join("");
    else {
      flush();
      for (let k = 0; k < change.count; k++)
        same(ba[ia + k]!, bb[ib + k]!, parts, budget);
      ia += change.count;
      ib += change.count;
    }
  }
  flush();
  return {
    parts,
    html: render(parts),
    removed: countWords(parts, "del"),
    added: countWords(parts, "ins"),
    coarse: budget.coarse,
    paragraphBreaks: budget.breaks,
  };
}

/**
 * A text cut after each sentence and paragraph, each piece keeping the spacing that follows
 * it, so the pieces joined are the text. A cut after an abbreviation ("U.S. Government") only
 * makes alignment finer.
 */
function blocks(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (const m of text.matchAll(
    /[.!?…]["'”’»)\]]*[ \t]*\n?\s*|\n[ \t]*\n\s*/g,
  )) {
    const end = m.index + m[0].length;
    if (end === m.index || !/\s$/.test(m[0])) continue;
    out.push(text.slice(from, end));
    from = end;
  }
  if (from < text.length) out.push(text.slice(from));
  return out;
}

// What alignment compares: any spacing as one space, paragraph breaks too, so two texts
// that differ only in where their paragraphs break align sentence for sentence.
const spacing = (text: string) => text.replace(/\s+/g, " ");

// A paragraph break: a blank line.
const breaks = (space: string) => /\n\s*\n/.test(space);

// The end of the text ends a sentence too, so a last sentence matches itself followed by more.
const keys = (blocks: string[]) =>
  blocks.map((b, i) =>
    i === blocks.length - 1 ? `${spacing(b).trimEnd()} ` : spacing(b),
  );

/** A word or the text between two words, and what it is compared by. */
interface Unit {
  text: string;
  key: string;
  word: boolean;
}

function units(text: string): Unit[] {
  const out: Unit[] = [];
  let at = 0;
  const gap = (to: number) => {
    if (to <= at) return;
    const text_ = text.slice(at, to);
    out.push({ text: text_, key: spacing(text_), word: false });
  };
  for (const token of tokenize(text)) {
    gap(token.start);
    const word = text.slice(token.start, token.end);
    out.push({ text: word, key: word, word: true });
    at = token.end;
  }
  gap(text.length);
  return out;
}

/**
 * An aligned sentence: equal but for spacing, and for the spacing after it, which is missing
 * at the end of a text. That spacing is a change when one side has none; a paragraph break
 * after it on one side only is counted.
 */
function same(
  ta: string,
  tb: string,
  parts: DiffPart[],
  budget: { breaks: number },
): void {
  const core = tb.trimEnd();
  const wa = ta.slice(ta.trimEnd().length);
  const wb = tb.slice(core.length);
  push(parts, "same", core);
  if (wa && wb) {
    push(parts, "same", wb);
    if (breaks(wa) !== breaks(wb)) budget.breaks++;
  } else {
    push(parts, "del", wa);
    push(parts, "ins", wb);
  }
}

/** Compares a run of changed text word by word, or whole when past a bound. */
function compareRun(
  runA: string,
  runB: string,
  parts: DiffPart[],
  budget: { words: number; coarse: boolean; breaks: number },
): void {
  if (!runA || !runB) {
    push(parts, "del", runA);
    push(parts, "ins", runB);
    return;
  }
  const ua = units(runA);
  const ub = units(runB);
  // Units alternate words and the gaps between them: about twice the words.
  const words = (ua.length + ub.length) / 2;
  const changes =
    ua.length <= 2 * MAX_RUN_WORDS &&
    ub.length <= 2 * MAX_RUN_WORDS &&
    words <= budget.words
      ? diffArrays(ua, ub, {
          comparator: (x, y) => x.key === y.key,
          maxEditLength: 2 * MAX_RUN_EDITS,
        })
      : undefined;
  if (!changes) {
    budget.coarse = true;
    push(parts, "del", runA);
    push(parts, "ins", runB);
    return;
  }
  budget.words -= words;
  // Changes with only spacing or punctuation between them read as one change.
  let del = "";
  let ins = "";
  const settle = () => {
    push(parts, "del", del);
    push(parts, "ins", ins);
    del = ins = "";
  };
  let ia = 0;
  changes.forEach((change, i) => {
    const text = change.value.map((u) => u.text).join("");
    if (!change.added && !change.removed)
      // `value` holds the new text's units; the old ones start at `ia`.
      change.value.forEach((u, k) => {
        if (!u.word && breaks(u.text) !== breaks(ua[ia + k]!.text))
          budget.breaks++;
      });
    if (!change.added) ia += change.count;
    if (change.removed) del += text;
    else if (change.added) ins += text;
    else if (
      i > 0 &&
      i < changes.length - 1 &&
      change.value.every((u) => !u.word && !breaks(u.text))
    ) {
      del += text;
      ins += text;
    } else {
      settle();
      push(parts, "same", text);
    }
  });
  settle();
}

/** Appends a piece, merged into the last one when they are of one kind. */
function push(parts: DiffPart[], op: DiffPart["op"], text: string): void {
  if (!text) return;
  const last = parts[parts.length - 1];
  if (last?.op === op) last.text += text;
  else parts.push({ op, text });
}

function countWords(parts: DiffPart[], op: DiffPart["op"]): number {
  let n = 0;
  for (const p of parts) if (p.op === op) n += tokenize(p.text).length;
  return n;
}

/** Escapes and marks the pieces, paragraph by paragraph; a mark never spans two paragraphs. */
function render(parts: DiffPart[]): Html[] {
  const paragraphs: string[] = [];
  let current = "";
  for (const { op, text } of parts) {
    const lines = text.split(/\n\s*\n/);
    lines.forEach((line, i) => {
      if (i > 0) {
        paragraphs.push(current);
        current = "";
      }
      if (!line) return;
      const escaped = escapeHtml(line);
      current += op === "same" ? escaped : `<${op}>${escaped}</${op}>`;
    });
  }
  paragraphs.push(current);
  return paragraphs.filter(Boolean) as Html[];
}
