/**
 * The workspace journal's format: one JSON record per line, each a write (a collection, a
 * statement in one, a saved search, or the removal of one). Replaying the lines in order gives
 * the workspace; a compacted journal is the workspace written out as puts. This module is the
 * format and the replay; `journal-file.ts` alone touches the disk.
 */
import type {
  CollectionRecord,
  ItemRecord,
  SavedRecord,
} from "../../../workspace/model.ts";

/** One line of the journal. */
export type Entry =
  | { op: "collection"; value: CollectionRecord }
  | { op: "drop-collection"; slug: string }
  | { op: "item"; slug: string; value: ItemRecord }
  | { op: "remove-item"; slug: string; id: string }
  | { op: "search"; value: SavedRecord }
  | { op: "drop-search"; slug: string };

/** Something in a journal that could not be read; the lines around it are kept. */
export interface JournalProblem {
  line: number;
  message: string;
}

/** The journal's line for an entry. */
export function formatEntry(entry: Entry): string {
  return `${JSON.stringify(entry)}\n`;
}

/**
 * Reads a journal: its entries in order and the lines it could not read. A last line without
 * its line end is a write that a crash cut short (every write ends its line): it is reported
 * and left out, and `whole` is the length in bytes of what comes before it.
 */
export function parseJournal(content: string): {
  entries: Entry[];
  problems: JournalProblem[];
  /** Bytes of the journal up to the end of its last whole line. */
  whole: number;
  lines: number;
} {
  const entries: Entry[] = [];
  const problems: JournalProblem[] = [];
  const end = content.lastIndexOf("\n") + 1;
  const lines = content.slice(0, end).split("\n");
  lines.pop();
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      return problems.push({ line: i + 1, message: "not valid JSON" });
    }
    const entry = checkEntry(record);
    if (typeof entry === "string")
      return problems.push({ line: i + 1, message: entry });
    entries.push(entry);
  });
  if (end < content.length)
    problems.push({
      line: lines.length + 1,
      message: "last line cut short (a write the program did not finish)",
    });
  return {
    entries,
    problems,
    whole: Buffer.byteLength(content.slice(0, end), "utf8"),
    lines: lines.length,
  };
}

/** The entry a parsed line holds, or why it is not one. */
function checkEntry(record: unknown): Entry | string {
  const r = record as Record<string, unknown> | null;
  if (typeof r !== "object" || r === null || Array.isArray(r))
    return "not a workspace record";
  const value = r.value as Record<string, unknown> | undefined;
  const text = (v: unknown) => typeof v === "string";
  switch (r.op) {
    case "collection":
      return value && text(value.slug) && text(value.name) && text(value.owner)
        ? (r as Entry)
        : "a collection record needs slug, name and owner";
    case "item":
      return text(r.slug) &&
        value &&
        text(value.id) &&
        text(value.note) &&
        Array.isArray(value.tags) &&
        typeof value.kept === "object" &&
        value.kept !== null
        ? (r as Entry)
        : "a statement record needs slug, id, note, tags and kept";
    case "search":
      return value &&
        text(value.slug) &&
        text(value.search) &&
        text(value.owner)
        ? (r as Entry)
        : "a saved search record needs slug, owner and search";
    case "drop-collection":
    case "drop-search":
      return text(r.slug) ? (r as Entry) : `a ${r.op} record needs a slug`;
    case "remove-item":
      return text(r.slug) && text(r.id)
        ? (r as Entry)
        : "a remove-item record needs slug and id";
    default:
      return `unknown record "${String(r.op).slice(0, 40)}"`;
  }
}

/** The workspace as the journal's entries leave it. */
export class JournalState {
  readonly collections = new Map<
    string,
    { record: CollectionRecord; items: Map<string, ItemRecord> }
  >();
  readonly searches = new Map<string, SavedRecord>();

  /** Applies one entry; a statement for a collection that is gone is dropped. */
  apply(entry: Entry): void {
    switch (entry.op) {
      case "collection": {
        const known = this.collections.get(entry.value.slug);
        if (known) known.record = entry.value;
        else
          this.collections.set(entry.value.slug, {
            record: entry.value,
            items: new Map(),
          });
        return;
      }
      case "drop-collection":
        this.collections.delete(entry.slug);
        return;
      case "item":
        this.collections
          .get(entry.slug)
          ?.items.set(entry.value.id, entry.value);
        return;
      case "remove-item":
        this.collections.get(entry.slug)?.items.delete(entry.id);
        return;
      case "search":
        this.searches.set(entry.value.slug, entry.value);
        return;
      case "drop-search":
        this.searches.delete(entry.slug);
    }
  }

  /** Records held: what a compacted journal has lines for. */
  get size(): number {
    let n = this.searches.size;
    for (const c of this.collections.values()) n += 1 + c.items.size;
    return n;
  }

  /** The shortest journal that gives this state: each record put once, in order. */
  *entries(): Generator<Entry> {
    for (const [slug, c] of this.collections) {
      yield { op: "collection", value: c.record };
      for (const item of c.items.values())
        yield { op: "item", slug, value: item };
    }
    for (const value of this.searches.values()) yield { op: "search", value };
  }
}
