/**
 * The load test and leak check: Readout's server driven over loopback through a mixed
 * workload (every kind of query and page, exports, a feed, completions) in several equal
 * runs, with its memory after garbage collection before and after each run. Memory that keeps
 * growing once the first run has warmed the caches is a leak.
 */
import {
  commonWord,
  httpSkipped,
  loadTest,
  type HttpFigures,
} from "../measure-http.ts";
import type { Measured, Measurement } from "../measurement.ts";
import {
  readoutServerArgs,
  startServer,
  type RunningServer,
} from "../server.ts";
import { median } from "../stats.ts";
import { formats as f, markdownTable } from "../table.ts";
import { loadWorkload, type ListedHit } from "../workload.ts";

/** One run of the workload, and the server's memory after it. */
export interface LoadRun extends HttpFigures {
  rssAfter: number;
}

export interface LoadRecord {
  /** Paths in rotation. */
  paths?: number;
  /** Server RSS after garbage collection, before the first run. */
  rssBefore?: number;
  /** Filled run by run. */
  runs: LoadRun[];
  /** Why the test stopped, or that it did not run. */
  failed?: string;
}

/** The first run warms caches: a trend needs two more after it. */
const MIN_RUNS = 3;
/** Answers in flight finish and idle connections close before memory is read. */
const SETTLE_MS = 2000;
/** Time for the collection SIGUSR2 starts. */
const GC_MS = 1000;
/** RSS moves with the collector by a few per cent: growth below this is not counted. */
const NOISE = 0.05;

export const load: Measurement<LoadRecord> = {
  name: "load",
  summary: `load test with a mixed workload over at least ${MIN_RUNS} runs, RSS after each (leak check)`,
  empty: () => ({ runs: [] }),
  async run(ctx, record) {
    const skipped = httpSkipped(ctx);
    if (skipped) {
      record.failed = skipped;
      return;
    }
    const runs = loadRuns(ctx.options.runs);
    const common = commonWord(ctx.mix);
    let server: RunningServer | undefined;
    try {
      // With --expose-gc, Readout collects garbage on SIGUSR2; its handler is in place once
      // "Ready at" is printed (before that the signal would end the process).
      server = await startServer(
        readoutServerArgs(ctx.corpus.dir),
        `/search.json?${new URLSearchParams({ q: common })}`,
        ctx.timeoutMs,
        { nodeFlags: ["--expose-gc"], readyLine: /Ready at / },
      );
      const listed = (await (
        await fetch(
          `${server.origin}/search.json?${new URLSearchParams({ q: common })}`,
        )
      ).json()) as { hits: ListedHit[] };
      const paths = loadWorkload(ctx.mix, listed.hits);
      record.paths = paths.length;
      record.rssBefore = await collectedRss(server);
      for (let run = 1; run <= runs; run++) {
        ctx.say(`load run ${run}/${runs}: ${paths.length} paths in rotation`);
        const live = server;
        const figures = await loadTest(
          live.origin,
          paths,
          ctx.options,
          () => live.memory().rss,
        );
        record.runs.push({ ...figures, rssAfter: await collectedRss(live) });
        ctx.say(
          `${f.perSecond(figures.requestsPerSec)}, p99 ${f.ms(figures.p99)}, RSS after ${f.bytes(record.runs.at(-1)!.rssAfter)}`,
        );
        await ctx.save();
      }
    } catch (err) {
      record.failed = (err as Error).message;
    } finally {
      await server?.stop();
    }
  },
  report: (results, options) => [
    `## Load: mixed workload and leak check (${loadRuns(options.runs)} runs)`,
    "",
    `Readout's server (NODE_ENV=production, \`--expose-gc\`) started once, then loaded ${loadRuns(options.runs)} times by autocannon on 127.0.0.1 for ${options.duration} s with ${options.connections} connections, each connection cycling through every kind of query of the mix (pages 1–5, JSON twins, operators, sorts), statement pages and their JSON, a CSV export, a feed, completions and the plain pages. RSS is read after each run, once the server has collected garbage (SIGUSR2). Requests/s counts 2xx answers; errors include timeouts.`,
    "",
    ...results.flatMap((m) => [...loadSection(m), ""]),
  ],
  outcomes: (record) => [
    [
      "load test",
      record.failed
        ? { ok: false, reason: record.failed }
        : { ok: true, value: record },
    ],
  ],
  faults: (record) =>
    record.runs.flatMap((r, i) =>
      r.errors + r.non2xx
        ? [
            `load run ${i + 1}: errors ${r.errors} (timeouts ${r.timeouts}), non-2xx ${r.non2xx}`,
          ]
        : [],
    ),
};

/** Runs of the load test for `--runs`. */
const loadRuns = (runs: number) => Math.max(MIN_RUNS, runs);

async function collectedRss(server: RunningServer): Promise<number> {
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  server.signal("SIGUSR2");
  await new Promise((r) => setTimeout(r, GC_MS));
  return server.memory().rss;
}

function loadSection(m: Measured<LoadRecord>): string[] {
  const { runs, rssBefore, failed } = m.record;
  const title = `### ${m.corpus.label}`;
  if (!runs.length) return [title, "", failed ?? "not measured"];
  const row = (
    label: string,
    r: Omit<LoadRun, "servingRss" | "bytesPerAnswer">,
  ) => [
    label,
    f.count(r.requests),
    f.perSecond(r.requestsPerSec),
    f.ms(r.p50),
    f.ms(r.p99),
    f.count(r.errors),
    f.count(r.timeouts),
    f.count(r.non2xx),
    f.bytes(r.rssAfter),
  ];
  const mid = (pick: (r: LoadRun) => number) => median(runs.map(pick));
  const after = runs.map((r) => r.rssAfter);
  return [
    title,
    "",
    markdownTable(
      [
        "Run",
        "Requests",
        "Requests/s",
        "p50",
        "p99",
        "Errors",
        "Timeouts",
        "Non-2xx",
        "RSS after",
      ],
      [
        ...runs.map((r, i) => row(String(i + 1), r)),
        row("median", {
          requests: mid((r) => r.requests),
          requestsPerSec: mid((r) => r.requestsPerSec),
          p50: mid((r) => r.p50),
          p99: mid((r) => r.p99),
          errors: mid((r) => r.errors),
          timeouts: mid((r) => r.timeouts),
          non2xx: mid((r) => r.non2xx),
          rssAfter: mid((r) => r.rssAfter),
        }),
      ],
    ),
    "",
    `Server RSS after garbage collection: ${rssBefore === undefined ? "—" : f.bytes(rssBefore)} before the first run; after each run ${after.map(f.bytes).join(", ")} (${m.record.paths} paths in rotation).`,
    leakVerdict(after),
    ...(failed ? [`Stopped early: ${failed}`] : []),
  ];
}

/**
 * Whether memory kept growing once the first run had warmed the caches: RSS after every
 * later run above the one before by more than the collector's noise. One high reading is not
 * a leak; steady growth is.
 */
export function leakVerdict(after: number[]): string {
  const warmed = after.slice(1);
  if (warmed.length < 2)
    return `Too few runs after the warm-up run to tell a trend (${MIN_RUNS} needed).`;
  const rising = warmed.every((rss, i) => rss > after[i]! * (1 + NOISE));
  return rising
    ? `RSS rose after every run (${f.bytes(after[0]!)} → ${f.bytes(after.at(-1)!)}): look for a leak.`
    : `RSS did not keep rising after the warm-up run (lowest ${f.bytes(Math.min(...warmed))}, last ${f.bytes(after.at(-1)!)}): no sign of a leak.`;
}
