import type { Outcome } from "./child.ts";
import type { BenchCorpus } from "./corpora.ts";
import type { Measurement, MixFigures } from "./measurement.ts";
import type { BenchOptions } from "./options.ts";

/** Everything measured on one corpus: its mix, and each measurement's record by name. */
export interface CorpusResult {
  corpus: BenchCorpus;
  mix: Outcome<MixFigures>;
  records: Map<string, unknown>;
}

/**
 * The whole printed report: the machine, each measurement's sections in registry order, then
 * what went wrong in Readout and every failed measurement in full.
 */
export function renderReport(
  results: CorpusResult[],
  measurements: readonly Measurement<unknown>[],
  options: BenchOptions,
  machine: string,
): string {
  const sections = measurements.flatMap((m) => {
    const measured = results.flatMap((r) =>
      r.records.has(m.name)
        ? [{ corpus: r.corpus, mix: r.mix, record: r.records.get(m.name) }]
        : [],
    );
    return measured.length ? m.report(measured, options) : [];
  });
  const faults = faultsOf(results, measurements);
  return [
    "# Readout benchmark",
    "",
    machine,
    "",
    ...sections,
    ...(faults.length ? ["## Faults", "", ...faults, ""] : []),
    ...failures(results, measurements),
  ].join("\n");
}

/** What the records show going wrong in Readout itself, one Markdown item each. */
export function faultsOf(
  results: CorpusResult[],
  measurements: readonly Measurement<unknown>[],
): string[] {
  return results.flatMap((r) =>
    measurements.flatMap((m) =>
      m.faults && r.records.has(m.name)
        ? m
            .faults(r.records.get(m.name))
            .map((fault) => `- ${r.corpus.label}, ${m.name}: ${fault}`)
        : [],
    ),
  );
}

/** Every distinct failure in full: table cells shorten them. */
function failures(
  results: CorpusResult[],
  measurements: readonly Measurement<unknown>[],
): string[] {
  const lines = results.flatMap((r) => {
    const outcomes: [string, Outcome<unknown>][] = [
      ["reading", r.mix],
      ...measurements.flatMap((m) =>
        r.records.has(m.name) ? m.outcomes(r.records.get(m.name)) : [],
      ),
    ];
    const seen = new Set<string>();
    return outcomes.flatMap(([what, o]) => {
      if (o.ok || /^(skipped|not measured)/.test(o.reason)) return [];
      const line = `- ${r.corpus.label}, ${what}: ${o.reason}`;
      if (seen.has(line)) return [];
      seen.add(line);
      return [line];
    });
  });
  return lines.length ? ["## Failures", "", ...lines, ""] : [];
}
