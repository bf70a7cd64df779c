/** Start-up of Readout's server: cold (no saved index), then warm, and its saved index. */
import type { Outcome } from "../child.ts";
import { commonWord } from "../measure-http.ts";
import { measureReadoutStarts, type StartFigures } from "../measure-start.ts";
import {
  corpusTable,
  medianOfRuns,
  type Measured,
  type Measurement,
  type Row,
} from "../measurement.ts";
import { medianOf, ratio } from "../stats.ts";
import { formats as f } from "../table.ts";

export interface StartRecord {
  starts: Outcome<StartFigures>[];
}

export const start: Measurement<StartRecord> = {
  name: "start",
  summary:
    "cold and warm start of Readout's server to its first answer; its saved index",
  empty: () => ({ starts: [] }),
  async run(ctx, record) {
    const readyPath = `/search.json?${new URLSearchParams({ q: commonWord(ctx.mix) })}`;
    for (let run = 1; run <= ctx.options.runs; run++) {
      ctx.say(
        `run ${run}/${ctx.options.runs}: Readout server, cold then warm start`,
      );
      const outcome = await measureReadoutStarts(
        ctx.corpus.dir,
        readyPath,
        ctx.timeoutMs,
      );
      ctx.say(
        outcome.ok
          ? `cold ${f.seconds(outcome.value.coldMs)}, warm ${f.seconds(outcome.value.warmMs)}`
          : `failed: ${outcome.reason}`,
      );
      record.starts.push(outcome);
      await ctx.save();
    }
  },
  report: (results, options) => [
    `## Start-up (${medianOfRuns(options.runs)})`,
    "",
    "From spawning `readout serve` to the first answered search (NODE_ENV=production): cold with no saved index, warm with the index the cold start saved.",
    "",
    corpusTable(results, rows),
    "",
  ],
  outcomes: (record) =>
    record.starts.map(
      (o) => ["Readout server start", o] as [string, Outcome<unknown>],
    ),
};

const starts =
  (pick: (s: StartFigures) => number | undefined) =>
  (m: Measured<StartRecord>) =>
    medianOf(m.record.starts, pick);

const rows: Row<StartRecord>[] = [
  ["Cold start (spawn → first answer)", starts((s) => s.coldMs), f.seconds],
  [
    "Warm start (second start, same folder)",
    starts((s) => s.warmMs),
    f.seconds,
  ],
  [
    "Warm ÷ cold",
    (m) => ratio(starts((s) => s.warmMs)(m), starts((s) => s.coldMs)(m)),
    f.ratio,
  ],
  [
    "Saved index write (after the first answer)",
    starts((s) => s.snapshotMs),
    f.seconds,
  ],
  [
    "Saved index size (.readout-cache)",
    starts((s) => s.snapshotBytes),
    f.bytes,
  ],
  ["RSS after warm start", starts((s) => s.rss), f.bytes],
];
