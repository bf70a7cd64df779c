import {
  buildRate,
  latency,
  readoutHttp,
  serverHttp,
  type CorpusResult,
} from "./results.ts";
import { medianOf, ratio, type Cell } from "./stats.ts";
import { formats as f, markdownTable, show } from "./table.ts";

interface Target {
  goal: string;
  /** The corpus the target is about; undefined: every corpus. */
  corpus: (r: CorpusResult) => boolean;
  measure: (r: CorpusResult) => Cell;
  format: (n: number) => string;
  met: (n: number) => boolean;
}

const real = (r: CorpusResult) => r.corpus.label === "real";
const at100k = (r: CorpusResult) => r.corpus.label === "synthetic 100,000";

const targets: Target[] = [
  {
    goal: "Warm start, real corpus ≤ 3 s",
    corpus: real,
    measure: (r) => medianOf(r.starts, (s) => s.warmMs),
    format: f.seconds,
    met: (ms) => ms <= 3000,
  },
  {
    goal: "Warm start, 100,000 synthetic ≤ 10 s",
    corpus: at100k,
    measure: (r) => medianOf(r.starts, (s) => s.warmMs),
    format: f.seconds,
    met: (ms) => ms <= 10_000,
  },
  {
    goal: "Cold build ≥ 2× the statements/s of addAll",
    corpus: () => true,
    measure: (r) => ratio(buildRate(r.readout), buildRate(r.stock)),
    format: f.ratio,
    met: (x) => x >= 2,
  },
  {
    goal: "RSS while serving at 100,000 ≤ 1.5 GB",
    corpus: at100k,
    measure: (r) => {
      const serving = medianOf(readoutHttp(r), (h) => h.servingRss);
      return "value" in serving ? serving : medianOf(r.starts, (s) => s.rss);
    },
    format: f.bytes,
    met: (b) => b <= 1.5 * 2 ** 30,
  },
  {
    goal: "Search p50 at 100,000 ≤ 15 ms",
    corpus: at100k,
    measure: (r) => latency(r.readout, 50),
    format: f.ms,
    met: (ms) => ms <= 15,
  },
  {
    goal: "Search p99 at 100,000 ≤ 100 ms",
    corpus: at100k,
    measure: (r) => latency(r.readout, 99),
    format: f.ms,
    met: (ms) => ms <= 100,
  },
  {
    goal: "Results page on the real corpus ≥ 3× the requests/s of the naive page",
    corpus: real,
    measure: (r) =>
      ratio(
        medianOf(readoutHttp(r), (h) => h.requestsPerSec),
        medianOf(serverHttp(r.naive), (h) => h.requestsPerSec),
      ),
    format: f.ratio,
    met: (x) => x >= 3,
  },
];

/** Each target with what this run measured for it, and whether it is met. */
export function targetsTable(results: CorpusResult[]): string {
  return markdownTable(
    ["Target", "Measured", "Met"],
    targets.map((t) => {
      const measured = results
        .filter(t.corpus)
        .map((r) => ({ label: r.corpus.label, cell: t.measure(r) }));
      if (!measured.length)
        return [t.goal, "not in this run (no such corpus)", "—"];
      const text = measured
        .map((m) =>
          measured.length > 1
            ? `${m.label}: ${show(m.cell, t.format)}`
            : show(m.cell, t.format),
        )
        .join("; ");
      const values = measured.map((m) => m.cell);
      const met = values.every((c) => "value" in c)
        ? values.every((c) => "value" in c && t.met(c.value))
          ? "yes"
          : "no"
        : "—";
      return [t.goal, text, met];
    }),
    [0, 1, 2],
  );
}
