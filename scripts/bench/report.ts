import type { BenchOptions } from "./options.ts";
import { mixTable } from "./report-mix.ts";
import type { CorpusResult } from "./results.ts";
import {
  buildRows,
  httpRows,
  latencyRows,
  startRows,
  type Row,
} from "./rows.ts";
import { markdownTable, show } from "./table.ts";
import { targetsTable } from "./targets.ts";

/** The whole printed report: settings, then one table per concern, then the query mixes. */
export function renderReport(
  results: CorpusResult[],
  options: BenchOptions,
  machine: string,
): string {
  const table = (rows: Row[]) =>
    markdownTable(
      ["", ...results.map(columnName)],
      rows.map(([label, cell, format]) => [
        label,
        ...results.map((r) => show(cell(r), format)),
      ]),
    );
  const runs = `median of ${options.runs} run${options.runs > 1 ? "s" : ""}`;
  return [
    "# Readout benchmark",
    "",
    machine,
    "",
    `Each build in its own process (${runs}); query latency over ${options.rounds} rounds of the mix below; HTTP: autocannon on 127.0.0.1, ${options.duration} s, ${options.connections} connections.`,
    "",
    `## Index build and memory (${runs})`,
    "",
    table(buildRows),
    "",
    `## Start-up (${runs})`,
    "",
    table(startRows),
    "",
    `## Search latency in process, ms (${runs})`,
    "",
    "Readout: `search(corpus, parseQuery(params))`, as the pages call it, snippets and facets included. MiniSearch: `ms.search` with the nearest options (see the mixes).",
    "",
    table(latencyRows),
    "",
    `## HTTP (${runs})`,
    "",
    "Readout's results page vs a naive Express + EJS page over stock MiniSearch (top 20, no snippets or facets), and a constant Express response.",
    "",
    table(httpRows),
    "",
    "## Targets of issue 6",
    "",
    targetsTable(results),
    "",
    ...results.flatMap((r) => [mixTable(r), ""]),
    ...failures(results),
  ].join("\n");
}

/** Every distinct failure in full: table cells shorten them. */
function failures(results: CorpusResult[]): string[] {
  const lines = results.flatMap((r) => {
    const outcomes = [
      ["reading", r.mix],
      ...r.readout.map((o) => ["Readout build", o] as const),
      ...r.stock.map((o) => ["MiniSearch build", o] as const),
      ...r.starts.map((o) => ["Readout server", o] as const),
      ["naive app", r.naive],
      ["constant app", r.constant],
    ] as const;
    const seen = new Set<string>();
    return outcomes.flatMap(([what, o]) => {
      if (o.ok || o.reason === r.httpSkipped || o.reason === "not measured")
        return [];
      const line = `- ${r.corpus.label}, ${what}: ${o.reason}`;
      if (seen.has(line)) return [];
      seen.add(line);
      return [line];
    });
  });
  return lines.length ? ["## Failures", "", ...lines, ""] : [];
}

function columnName(r: CorpusResult): string {
  if (r.corpus.label !== "real") return r.corpus.label;
  return r.mix.ok
    ? `real (${r.mix.value.statements.toLocaleString("en")})`
    : "real";
}
