import {
  buildRate,
  latency,
  readoutHttp,
  serverHttp,
  single,
  type CorpusResult,
} from "./results.ts";
import { medianOf, ratio, type Cell } from "./stats.ts";
import { formats as f } from "./table.ts";

/** A table row: its label, the cell for each corpus, and how to print a figure. */
export type Row = [
  label: string,
  cell: (r: CorpusResult) => Cell,
  format: (n: number) => string,
];

const statements = (r: CorpusResult) =>
  medianOf(single(r.mix), (m) => m.statements);
const memory = (b: { heapUsed: number; arrayBuffers: number }) =>
  b.heapUsed + b.arrayBuffers;

export const buildRows: Row[] = [
  ["Statements", statements, f.count],
  ["Data on disk", (r) => ({ value: r.corpus.bytes }), f.bytes],
  [
    "Reading (loadStatements)",
    (r) => medianOf(r.readout, (b) => b.loadMs),
    f.seconds,
  ],
  [
    "Cold build, Readout (buildCorpus)",
    (r) => medianOf(r.readout, (b) => b.buildMs),
    f.seconds,
  ],
  [
    "Cold build, MiniSearch addAll",
    (r) => medianOf(r.stock, (b) => b.buildMs),
    f.seconds,
  ],
  ["Statements/s, Readout", (r) => buildRate(r.readout), f.perSecond],
  ["Statements/s, addAll", (r) => buildRate(r.stock), f.perSecond],
  [
    "Build speed, Readout ÷ addAll",
    (r) => ratio(buildRate(r.readout), buildRate(r.stock)),
    f.ratio,
  ],
  ["Peak RSS, Readout", (r) => medianOf(r.readout, (b) => b.peakRss), f.bytes],
  ["Peak RSS, addAll", (r) => medianOf(r.stock, (b) => b.peakRss), f.bytes],
  [
    "Peak RSS, Readout ÷ addAll",
    (r) =>
      ratio(
        medianOf(r.readout, (b) => b.peakRss),
        medianOf(r.stock, (b) => b.peakRss),
      ),
    f.ratio,
  ],
  [
    "Heap after build, Readout",
    (r) => medianOf(r.readout, (b) => b.heapUsed),
    f.bytes,
  ],
  [
    "ArrayBuffers after build, Readout",
    (r) => medianOf(r.readout, (b) => b.arrayBuffers),
    f.bytes,
  ],
  [
    "Heap after build, addAll",
    (r) => medianOf(r.stock, (b) => b.heapUsed),
    f.bytes,
  ],
  [
    "Heap + buffers, Readout ÷ addAll",
    (r) => ratio(medianOf(r.readout, memory), medianOf(r.stock, memory)),
    f.ratio,
  ],
  [
    "Index bytes/statement, Readout",
    (r) => medianOf(r.readout, (b) => b.bytesPerStatement),
    f.count,
  ],
  [
    "Index bytes/statement, addAll",
    (r) => medianOf(r.stock, (b) => b.bytesPerStatement),
    f.count,
  ],
  [
    "Bytes/statement, Readout ÷ addAll",
    (r) =>
      ratio(
        medianOf(r.readout, (b) => b.bytesPerStatement),
        medianOf(r.stock, (b) => b.bytesPerStatement),
      ),
    f.ratio,
  ],
  [
    "Snapshot write, Readout (after the first answer)",
    (r) => medianOf(r.starts, (s) => s.snapshotMs),
    f.seconds,
  ],
  [
    "Snapshot size, Readout (.readout-cache)",
    (r) => medianOf(r.starts, (s) => s.snapshotBytes),
    f.bytes,
  ],
  [
    "Snapshot size, MiniSearch JSON.stringify",
    (r) => stockSnapshot(r, "bytes"),
    f.bytes,
  ],
];

export const startRows: Row[] = [
  [
    "Cold start, Readout (spawn → first answer)",
    (r) => medianOf(r.starts, (s) => s.coldMs),
    f.seconds,
  ],
  [
    "Warm start, Readout (second start, same folder)",
    (r) => medianOf(r.starts, (s) => s.warmMs),
    f.seconds,
  ],
  [
    "Warm ÷ cold",
    (r) =>
      ratio(
        medianOf(r.starts, (s) => s.warmMs),
        medianOf(r.starts, (s) => s.coldMs),
      ),
    f.ratio,
  ],
  [
    "Start, naive app (stock addAll, spawn → first answer)",
    (r) => medianOf(single(r.naive), (s) => s.readyMs),
    f.seconds,
  ],
  [
    "MiniSearch JSON.stringify (save)",
    (r) => stockSnapshot(r, "saveMs"),
    f.seconds,
  ],
  ["MiniSearch.loadJSON (load)", (r) => stockSnapshot(r, "loadMs"), f.seconds],
  [
    "RSS after start, Readout server",
    (r) => medianOf(r.starts, (s) => s.rss),
    f.bytes,
  ],
  [
    "RSS while serving, Readout server (max under load)",
    (r) => medianOf(readoutHttp(r), (h) => h.servingRss),
    f.bytes,
  ],
  [
    "RSS after start, naive app",
    (r) => medianOf(single(r.naive), (s) => s.rss),
    f.bytes,
  ],
];

export const latencyRows: Row[] = [
  ["Readout p50", (r) => latency(r.readout, 50), f.ms],
  ["Readout p95", (r) => latency(r.readout, 95), f.ms],
  ["Readout p99", (r) => latency(r.readout, 99), f.ms],
  ["MiniSearch p50", (r) => latency(r.stock, 50), f.ms],
  ["MiniSearch p95", (r) => latency(r.stock, 95), f.ms],
  ["MiniSearch p99", (r) => latency(r.stock, 99), f.ms],
  [
    "p50, Readout ÷ MiniSearch",
    (r) => ratio(latency(r.readout, 50), latency(r.stock, 50)),
    f.ratio,
  ],
  [
    "p99, Readout ÷ MiniSearch",
    (r) => ratio(latency(r.readout, 99), latency(r.stock, 99)),
    f.ratio,
  ],
];

const rps = (r: CorpusResult, which: "readout" | "naive" | "constant") =>
  medianOf(
    which === "readout" ? readoutHttp(r) : serverHttp(r[which]),
    (h) => h.requestsPerSec,
  );
const httpOf = (r: CorpusResult, which: "readout" | "naive" | "constant") =>
  which === "readout" ? readoutHttp(r) : serverHttp(r[which]);
export const httpRows: Row[] = (
  [
    ["readout", "Readout results page"],
    ["naive", "Naive page"],
    ["constant", "Constant response"],
  ] as const
).flatMap(([which, name]): Row[] => [
  [`${name}, requests/s`, (r) => rps(r, which), f.perSecond],
  [`${name}, p50`, (r) => medianOf(httpOf(r, which), (h) => h.p50), f.ms],
  [`${name}, p99`, (r) => medianOf(httpOf(r, which), (h) => h.p99), f.ms],
  [
    `${name}, bytes/answer`,
    (r) => medianOf(httpOf(r, which), (h) => h.bytesPerAnswer),
    f.bytes,
  ],
  [
    `${name}, non-2xx + errors`,
    (r) => medianOf(httpOf(r, which), (h) => h.non2xx + h.errors),
    f.count,
  ],
]);
httpRows.push(
  [
    "Requests/s, Readout ÷ naive",
    (r) => ratio(rps(r, "readout"), rps(r, "naive")),
    f.ratio,
  ],
  [
    "Requests/s, Readout ÷ constant",
    (r) => ratio(rps(r, "readout"), rps(r, "constant")),
    f.ratio,
  ],
);

function stockSnapshot(
  r: CorpusResult,
  key: "bytes" | "saveMs" | "loadMs",
): Cell {
  const cells = r.stock.map((o) =>
    !o.ok || !o.value.snapshot
      ? undefined
      : "failed" in o.value.snapshot
        ? o.value.snapshot.failed
        : o.value.snapshot[key],
  );
  const failure = cells.find((c) => typeof c === "string");
  if (failure && !cells.some((c) => typeof c === "number"))
    return { text: `failed: ${failure}` };
  return medianOf(r.stock, (b) =>
    b.snapshot && !("failed" in b.snapshot) ? b.snapshot[key] : undefined,
  );
}
