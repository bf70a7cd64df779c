/**
 * Earlier texts of a statement whose file changed (opt-in): one JSON record per text, in a
 * JSON Lines file in the cache folder. This module is the format and the decisions; only
 * `history-file.ts` touches the disk.
 */

/** One text a statement had, and when Readout first saw it. */
export interface KeptText {
  id: string;
  title: string;
  text: string;
  /** ISO-8601 instant, or "" when the text was there before anyone looked (unknown). */
  seenAt: string;
}

/** A statement's title and body at one moment. */
export interface Seen {
  title: string;
  text: string;
  seenAt: string;
}

/** Something in a history file that could not be read; the rest is kept. */
export interface HistoryProblem {
  line: number;
  message: string;
}

/**
 * The records to append when statement `id` changed from `before` to `after`, given what
 * the history already holds for it (oldest first): the old text, unless it is already the
 * last one kept, then the new one. Nothing when only the spacing or nothing changed.
 *
 * The history is written as a change is seen, the saved index seconds later; after a crash
 * in between (kill -9), the next start sees the change again, from a `before` the history
 * already moved past. So nothing is appended when the last text kept is `after` (the change
 * is kept), and `before` is not appended again when the last text kept was seen after it:
 * the texts then read as they happened, with no change reverted and made again.
 */
export function versionsToAppend(
  id: string,
  known: readonly KeptText[],
  before: Seen,
  after: Seen,
): KeptText[] {
  if (sameText(before, after)) return [];
  const last = known[known.length - 1];
  if (last && sameText(last, after)) return [];
  const out: KeptText[] = [];
  if (!last || (!sameText(last, before) && !seenLater(last, before)))
    out.push({ id, ...before });
  out.push({ id, ...after });
  return out;
}

// Times Readout wrote itself, as ISO-8601 instants; unknown ("") is never later.
function seenLater(a: Seen, b: Seen): boolean {
  return (
    Boolean(a.seenAt && b.seenAt) && Date.parse(a.seenAt) > Date.parse(b.seenAt)
  );
}

/** The history file's line for a record. */
export function formatVersion(version: KeptText): string {
  const { id, title, text, seenAt } = version;
  return `${JSON.stringify({ id, title, text, seenAt })}\n`;
}

/** Reads a history file: each statement's records, oldest first, and any line it could not read. */
export function parseHistory(content: string): {
  versions: Map<string, KeptText[]>;
  problems: HistoryProblem[];
} {
  const versions = new Map<string, KeptText[]>();
  const problems: HistoryProblem[] = [];
  const lines = content.split("\n");
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const problem = (message: string) =>
      problems.push({ line: i + 1, message });
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      // A line cut short is what a crash during an append leaves: said, then passed over.
      return problem(
        i === lines.length - 1 ? "last line cut short" : "not valid JSON",
      );
    }
    const r = record as Partial<Record<keyof KeptText, unknown>>;
    if (
      typeof r !== "object" ||
      r === null ||
      typeof r.id !== "string" ||
      typeof r.title !== "string" ||
      typeof r.text !== "string" ||
      typeof r.seenAt !== "string"
    )
      return problem("not a version record: needs id, title, text and seenAt");
    const list = versions.get(r.id) ?? [];
    list.push({ id: r.id, title: r.title, text: r.text, seenAt: r.seenAt });
    versions.set(r.id, list);
  });
  return { versions, problems };
}

function sameText(a: Omit<Seen, "seenAt">, b: Omit<Seen, "seenAt">): boolean {
  const squash = (s: string) => s.replace(/\s+/g, " ").trim();
  return (
    squash(a.title) === squash(b.title) && squash(a.text) === squash(b.text)
  );
}
