import type { Statement } from "../../ingest/statement.ts";
import { statementRow } from "./rows.ts";

/**
 * Turning statements into COPY text and counting what they add to each shard's vocabulary,
 * field values and statistics: the import's own work, done the same way in this thread or in
 * a worker (`row-pool.ts`).
 */

/** A statement to write, with its hash and the shard it lives on. */
export interface RowTask {
  statement: Statement;
  hash: string;
  shard: number;
}

/**
 * Statements per term (anywhere, in the title, in the body). The counts live in one flat
 * array indexed by the term's number rather than an array per term: this runs for every
 * distinct word of every statement (hundreds each), and a lookup that reads one object less
 * is a large part of an import's own time.
 */
export class TermCounter {
  private readonly ids = new Map<string, number>();
  private counts = new Int32Array(3 * 1024);

  /** Counts one statement's distinct terms; `where[i]` is 1 title, 2 body, 3 both. */
  add(terms: readonly string[], where: Uint8Array): void {
    const { ids } = this;
    for (let i = 0; i < terms.length; i++) {
      const term = terms[i]!;
      let id = ids.get(term);
      if (id === undefined) {
        id = ids.size;
        ids.set(term, id);
        if (3 * id + 3 > this.counts.length) {
          const grown = new Int32Array(this.counts.length * 2);
          grown.set(this.counts);
          this.counts = grown;
        }
      }
      const at = 3 * id;
      const w = where[i]!;
      this.counts[at]!++;
      this.counts[at + 1]! += w & 1;
      this.counts[at + 2]! += w >> 1;
    }
  }

  /** Adds counts taken elsewhere (a worker's): `counts` holds three per term. */
  merge(terms: readonly string[], counts: Int32Array): void {
    for (let i = 0; i < terms.length; i++) {
      const term = terms[i]!;
      let id = this.ids.get(term);
      if (id === undefined) {
        id = this.ids.size;
        this.ids.set(term, id);
        if (3 * id + 3 > this.counts.length) {
          const grown = new Int32Array(
            Math.max(this.counts.length * 2, 3 * id + 3),
          );
          grown.set(this.counts);
          this.counts = grown;
        }
      }
      for (let j = 0; j < 3; j++)
        this.counts[3 * id + j]! += counts[3 * i + j]!;
    }
  }

  /** The terms in the order first counted, and their counts, three per term. */
  export(): { terms: string[]; counts: Int32Array } {
    return {
      terms: [...this.ids.keys()],
      counts: this.counts.slice(0, 3 * this.ids.size),
    };
  }

  /** How many terms were counted. */
  get size(): number {
    return this.ids.size;
  }

  /** One line per term, in the order they were first counted. */
  lines(
    line: (term: string, n: number, title: number, body: number) => string,
  ): string[] {
    const out: string[] = [];
    for (const [term, id] of this.ids)
      out.push(
        line(
          term,
          this.counts[3 * id]!,
          this.counts[3 * id + 1]!,
          this.counts[3 * id + 2]!,
        ),
      );
    return out;
  }
}

/** What the rows written to one shard add to its tables besides the rows. */
export class ShardCounts {
  readonly vocabulary = new TermCounter();
  /** `[field, value]` as JSON → statements. */
  readonly fieldValues = new Map<string, number>();
  statements = 0;
  titleWords = 0;
  bodyWords = 0;

  /** Adds counts taken elsewhere (a worker's). */
  merge(other: ShardCountsData): void {
    this.vocabulary.merge(other.terms, other.counts);
    for (const [key, n] of other.fieldValues)
      this.fieldValues.set(key, (this.fieldValues.get(key) ?? 0) + n);
    this.statements += other.statements;
    this.titleWords += other.titleWords;
    this.bodyWords += other.bodyWords;
  }

  /** The counts as a worker posts them. */
  data(): ShardCountsData {
    return {
      ...this.vocabulary.export(),
      fieldValues: [...this.fieldValues],
      statements: this.statements,
      titleWords: this.titleWords,
      bodyWords: this.bodyWords,
    };
  }
}

/** ShardCounts as plain data, for a message between threads. */
export interface ShardCountsData {
  terms: string[];
  counts: Int32Array;
  fieldValues: [string, number][];
  statements: number;
  titleWords: number;
  bodyWords: number;
}

/**
 * Builds the rows of `tasks`: per shard, their COPY lines joined in one string (empty when
 * none), counting into `counts` (one per shard).
 */
export function buildRows(tasks: RowTask[], counts: ShardCounts[]): string[] {
  const out: string[][] = counts.map(() => []);
  for (const { statement, hash, shard } of tasks) {
    const row = statementRow(statement, hash);
    const c = counts[shard]!;
    c.vocabulary.add(row.terms, row.where);
    for (const key of row.fields)
      c.fieldValues.set(key, (c.fieldValues.get(key) ?? 0) + 1);
    c.statements++;
    c.titleWords += row.titleWords;
    c.bodyWords += row.bodyWords;
    out[shard]!.push(row.line);
  }
  return out.map((lines) => lines.join(""));
}
