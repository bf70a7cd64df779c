import type { Outcome } from "./child.ts";
import type { BenchCorpus } from "./corpora.ts";
import type { MixQuery } from "./mix.ts";
import type { BenchOptions } from "./options.ts";
import type { Cell } from "./stats.ts";
import { markdownTable, show } from "./table.ts";

/** What measure-mix.ts reports: read before any measurement, shared by all. */
export interface MixFigures {
  statements: number;
  problems: number;
  mix: MixQuery[];
}

/** One corpus as a measurement sees it, read and with its query mix chosen. */
export interface CorpusContext {
  corpus: BenchCorpus;
  statements: number;
  mix: MixQuery[];
  /** The mix as a JSON file, for worker processes. */
  mixFile: string;
  options: BenchOptions;
  /** Longest wait for one build or server start. */
  timeoutMs: number;
  /** A progress line on stderr, naming the corpus. */
  say(line: string): void;
  /** Writes the report so far: call it after each step of a long measurement. */
  save(): Promise<void>;
}

/**
 * One thing the bench measures, on each corpus in turn, and how the report shows it. A
 * measurement keeps its figures in its own record type `R`; register it in registry.ts.
 */
export interface Measurement<R> {
  /** Chosen with `--only NAME`. */
  name: string;
  /** One line for `--help`. */
  summary: string;
  /** A record with nothing measured yet; `run` fills it in place, so a stopped run keeps its steps. */
  empty(): R;
  run(ctx: CorpusContext, record: R): Promise<void>;
  /** Markdown sections (each a `## ` heading and its tables) over every corpus measured. */
  report(results: Measured<R>[], options: BenchOptions): string[];
  /** Every outcome in the record that may have failed, named, for the report's failure list. */
  outcomes(record: R): [what: string, outcome: Outcome<unknown>][];
  /**
   * What the record shows going wrong in Readout itself (failed requests, not a failed
   * measurement): listed in the report, and the bench exits with 1.
   */
  faults?(record: R): string[];
}

/** One corpus with its mix and one measurement's record. */
export interface Measured<R> {
  corpus: BenchCorpus;
  mix: Outcome<MixFigures>;
  record: R;
}

/** A table row: its label, the cell for each corpus, and how to print a figure. */
export type Row<R> = [
  label: string,
  cell: (m: Measured<R>) => Cell,
  format: (n: number) => string,
];

/** A table with one column per corpus and one line per row. */
export function corpusTable<R>(results: Measured<R>[], rows: Row<R>[]): string {
  return markdownTable(
    ["", ...results.map(columnName)],
    rows.map(([label, cell, format]) => [
      label,
      ...results.map((r) => show(cell(r), format)),
    ]),
  );
}

/** A corpus's label, with its statement count when the label does not give it. */
export function columnName(r: {
  corpus: BenchCorpus;
  mix: Outcome<MixFigures>;
}): string {
  if (r.corpus.label !== "real") return r.corpus.label;
  return r.mix.ok
    ? `real (${r.mix.value.statements.toLocaleString("en")})`
    : "real";
}

/** "median of 3 runs" */
export const medianOfRuns = (runs: number) =>
  `median of ${runs} run${runs > 1 ? "s" : ""}`;
