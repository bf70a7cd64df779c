import { metaKey } from "../../query/fields.ts";
import type { FieldColumn, Segment } from "../store.ts";
import { SEPARATOR } from "../store.ts";

/** A candidate as a shard returns it: what BM25F and the phrase checks need of a statement. */
export interface CandidateRow {
  id: string;
  title_words: number;
  body_words: number;
  date_key: number | null;
  group_id: string | null;
  /** The statement's vector cut down to the query's lexemes (`'peace':3C,17C`). */
  occ: string;
  /** `source`, `lang` and the metadata, when the query names a field. */
  /** The fields a query names: `source`, `lang` and the document's own keys (`meta`). */
  fields?: {
    source: string | null;
    lang: string | null;
    meta: Record<string, string>;
  };
  /** What its result line shows, when read with it (an export: see `HitRow`). */
  title?: string;
  body?: string;
  date?: string | null;
  source?: string | null;
  url?: string | null;
  lang?: string | null;
}

/** Where a statement holds a lexeme: its positions, from 1 (title, a gap, then the body). */
export type Occurrences = Map<string, number[]>;

// Holds no word: what the gaps between the query's words hold in a rebuilt word sequence.
const OTHER = 0xfffffffe;

/**
 * Candidates of a page, read from the shards, as the pipeline scores them: postings of the
 * query's lexemes made from each row's positions, and each row's word sequence rebuilt from
 * them (its other words left blank), numbered 0 … n-1 in the order given. Positions are
 * PostgreSQL's: at most 256 of a lexeme, none past 16,383.
 */
export class RowSegment implements Segment {
  readonly complete = false;
  readonly capacity: number;
  private readonly occurrences: Occurrences[];
  private readonly termIds = new Map<string, number>();
  private readonly index = new Map<string, Map<number, Map<number, number>>>();
  private readonly columns: { title: Float64Array; body: Float64Array };
  private readonly sequences = new Map<number, Uint32Array>();
  private readonly fieldColumns = new Map<string, FieldColumn>();

  constructor(
    private readonly rows: readonly CandidateRow[],
    /** The shard each row came from. */
    readonly shards: readonly number[],
  ) {
    this.capacity = rows.length;
    this.columns = {
      title: Float64Array.from(rows, (r) => r.title_words),
      body: Float64Array.from(rows, (r) => r.body_words),
    };
    this.occurrences = rows.map((r) => occurrencesOf(r.occ));
    this.occurrences.forEach((occ, doc) => {
      const titleWords = rows[doc]!.title_words;
      for (const [lexeme, positions] of occ) {
        if (!this.termIds.has(lexeme))
          this.termIds.set(lexeme, this.termIds.size);
        let byField = this.index.get(lexeme);
        if (!byField) this.index.set(lexeme, (byField = new Map()));
        let title = 0;
        for (const p of positions) if (p <= titleWords) title++;
        const body = positions.length - title;
        if (title) add(byField, 0, doc, title);
        if (body) add(byField, 1, doc, body);
      }
    });
  }

  has(doc: number): boolean {
    return doc >= 0 && doc < this.capacity;
  }

  all(): Int32Array {
    return Int32Array.from({ length: this.capacity }, (_, i) => i);
  }

  id(doc: number): string {
    return this.rows[doc]!.id;
  }

  /** A doc's row as the shard returned it. */
  row(doc: number): CandidateRow | undefined {
    return this.rows[doc];
  }

  postings(term: string) {
    return this.index.get(term);
  }

  words(field: number): ArrayLike<number> {
    return field === 0 ? this.columns.title : this.columns.body;
  }

  positions(doc: number): Uint32Array | undefined {
    let seq = this.sequences.get(doc);
    if (seq) return seq;
    const row = this.rows[doc];
    if (!row) return undefined;
    let last = row.title_words + 1;
    for (const positions of this.occurrences[doc]!.values())
      for (const p of positions) if (p > last) last = p;
    seq = new Uint32Array(last).fill(OTHER);
    seq[row.title_words] = SEPARATOR;
    for (const [lexeme, positions] of this.occurrences[doc]!)
      for (const p of positions) seq[p - 1] = this.termIds.get(lexeme)!;
    this.sequences.set(doc, seq);
    return seq;
  }

  termId(term: string): number | undefined {
    return this.termIds.get(term);
  }

  field(name: string): FieldColumn | undefined {
    let column = this.fieldColumns.get(name);
    if (column) return column;
    const values: string[] = [];
    const lookup = new Map<string, number>();
    const byDoc = this.rows.map((row) => {
      const fields = row.fields;
      // A metadata field goes by its name (`meta_year`); the row keeps the document's key.
      const value =
        name === "source" || name === "lang"
          ? fields?.[name]
          : fields?.meta[metaKey(name)];
      if (value === undefined || value === null) return -1;
      let v = lookup.get(value);
      if (v === undefined) lookup.set(value, (v = values.push(value) - 1));
      return v;
    });
    column = { values, byDoc };
    this.fieldColumns.set(name, column);
    return column;
  }

  dateKey(doc: number): number {
    return this.rows[doc]!.date_key ?? -Infinity;
  }

  group(doc: number): string {
    const row = this.rows[doc]!;
    return row.group_id ?? row.id;
  }
}

function add(
  byField: Map<number, Map<number, number>>,
  field: number,
  doc: number,
  tf: number,
) {
  let docs = byField.get(field);
  if (!docs) byField.set(field, (docs = new Map()));
  docs.set(doc, tf);
}

/**
 * Reads a cut-down vector's text (`'peace':3C,17C 'it''s':1C`) into each lexeme's positions.
 * Scanned once by hand: a pattern over quoted text retried at every quote takes time
 * quadratic in the text.
 */
export function occurrencesOf(text: string): Occurrences {
  const out: Occurrences = new Map();
  let i = 0;
  while (i < text.length) {
    if (text[i] !== "'") {
      i++;
      continue;
    }
    // A quoted lexeme: `''` is a quote inside it, `\\` a backslash.
    let quoted = "";
    let from = i + 1;
    for (;;) {
      const close = text.indexOf("'", from);
      if (close < 0) return out;
      quoted += text.slice(from, close);
      from = close + 1;
      if (text[from] !== "'") break;
      quoted += "'";
      from++;
    }
    i = from;
    if (text[i] !== ":") continue;
    let end = i + 1;
    while (end < text.length && POSITION_CHARS.has(text[end]!)) end++;
    const list = text.slice(i + 1, end);
    i = end;
    // Metadata lexemes (`source=white`) are not words of the text.
    if (!list || quoted.includes("=")) continue;
    out.set(
      quoted.replace(/\\\\/g, "\\"),
      list.split(",").map((p) => parseInt(p, 10)),
    );
  }
  return out;
}

const POSITION_CHARS = new Set("0123456789ABCD,");
