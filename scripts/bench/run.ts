/**
 * `npm run bench`: build time, memory, start-up, search latency and HTTP throughput of
 * Readout, each beside stock MiniSearch measured in the same run (issue 6). Not part of
 * `npm test`: a full run takes most of an hour. `npm run bench -- --help` lists the options.
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { runWorker, type Outcome } from "./child.ts";
import {
  realCorpus,
  realCorpusDir,
  synthetic,
  type BenchCorpus,
} from "./corpora.ts";
import type { BuildFigures } from "./measure-build.ts";
import { measureServer, naivePaths, readoutPaths } from "./measure-http.ts";
import { measureReadoutStarts } from "./measure-start.ts";
import { parseOptions, usage, type BenchOptions } from "./options.ts";
import { renderReport } from "./report.ts";
import type { CorpusResult, MixFigures } from "./results.ts";
import { benchDir } from "./synthetic.ts";
import { formats } from "./table.ts";

// Build processes may use most of the machine: stock MiniSearch needs ~11 GB at 300,000.
const MAX_HEAP_MB = Math.floor((os.totalmem() / 2 ** 20) * 0.8);

const log = (line: string) => console.error(`bench: ${line}`);

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2), existsSync(realCorpusDir));
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  if (options.help) {
    console.log(usage);
    return 0;
  }
  const started = performance.now();
  const loadBefore = os.loadavg()[0]!;
  await mkdir(benchDir, { recursive: true });
  const results: CorpusResult[] = [];
  const corpora: (() => Promise<BenchCorpus>)[] = [
    ...(options.real ? [realCorpus] : []),
    ...options.sizes.map((size) => () => synthetic(size, options.seed, log)),
  ];
  const render = () =>
    renderReport(
      results,
      options,
      machine(loadBefore, (performance.now() - started) / 60_000),
    );
  // A long run on a busy machine may be stopped: the tables so far are kept after each step.
  const partial = path.join(
    benchDir,
    `report-${new Date().toISOString().slice(0, 19).replace(/:/g, "-")}.md`,
  );
  log(`tables so far, after each step: ${partial}`);
  const save = () => writeFile(partial, render());
  for (const corpus of corpora)
    await benchCorpus(await corpus(), options, results, save);
  console.log(render());
  return 0;
}

/**
 * Every measurement on one corpus, added to `results` as it goes; runs interleave Readout
 * and the baseline.
 */
async function benchCorpus(
  corpus: BenchCorpus,
  options: BenchOptions,
  results: CorpusResult[],
  save: () => Promise<void>,
): Promise<void> {
  const say = (line: string) => log(`[${corpus.label}] ${line}`);
  const timeoutMs = options.timeoutMinutes * 60_000;
  say("reading it and choosing the query mix");
  const mix = await runWorker<MixFigures>("measure-mix.ts", [corpus.dir], {
    timeoutMs,
  });
  const result: CorpusResult = {
    corpus,
    mix,
    readout: [],
    stock: [],
    starts: [],
    naive: { ok: false, reason: "not measured" },
    constant: { ok: false, reason: "not measured" },
  };
  results.push(result);
  await save();
  if (!mix.ok) {
    say(`failed: ${mix.reason}`);
    return;
  }
  const { statements } = mix.value;
  const queries = mix.value.mix;
  const mixFile = path.join(
    benchDir,
    `mix-${corpus.label.replace(/\W+/g, "-")}.json`,
  );
  await writeFile(mixFile, JSON.stringify(queries));

  for (let run = 1; run <= options.runs; run++)
    for (const engine of ["readout", "stock"] as const) {
      say(`run ${run}/${options.runs}: ${engine} build and queries`);
      const outcome = await runWorker<BuildFigures>(
        "measure-build.ts",
        [engine, corpus.dir, mixFile, String(options.rounds)],
        { timeoutMs, maxHeapMb: MAX_HEAP_MB },
      );
      say(summary(outcome));
      result[engine].push(outcome);
      await save();
    }

  const common = queries.find((q) => q.kind === "common word")!.params.q!;
  const http =
    statements <= options.httpMax
      ? { duration: options.duration, connections: options.connections }
      : undefined;
  if (!http) result.httpSkipped = `skipped: over --http-max ${options.httpMax}`;
  for (let run = 1; run <= options.runs; run++) {
    say(`run ${run}/${options.runs}: Readout server, cold then warm start`);
    const outcome = await measureReadoutStarts(
      corpus.dir,
      `/search.json?${new URLSearchParams({ q: common })}`,
      readoutPaths(queries),
      http,
      timeoutMs,
    );
    say(
      outcome.ok
        ? `cold ${formats.seconds(outcome.value.coldMs)}, warm ${formats.seconds(outcome.value.warmMs)}` +
            (outcome.value.http
              ? `, ${formats.perSecond(outcome.value.http.requestsPerSec)}`
              : "")
        : `failed: ${outcome.reason}`,
    );
    result.starts.push(outcome);
    await save();
  }
  if (!http) {
    result.naive = result.constant = { ok: false, reason: result.httpSkipped! };
    return;
  }
  say("naive Express + EJS app over stock MiniSearch");
  result.naive = await measureServer(
    ["scripts/bench/naive-app.ts", corpus.dir],
    `/search?${new URLSearchParams({ q: common })}`,
    naivePaths(queries),
    http,
    options.runs,
    timeoutMs,
  );
  await save();
  say("constant Express response");
  result.constant = await measureServer(
    ["scripts/bench/constant-app.ts"],
    "/",
    ["/"],
    http,
    options.runs,
    timeoutMs,
  );
  await save();
}

function summary(outcome: Outcome<BuildFigures>): string {
  if (!outcome.ok) return `failed: ${outcome.reason}`;
  const b = outcome.value;
  return `built in ${formats.seconds(b.buildMs)}, peak RSS ${formats.bytes(b.peakRss)}`;
}

function machine(loadBefore: number, minutes: number): string {
  const cpus = os.cpus();
  return (
    `Machine: ${cpus.length} CPUs (${cpus[0]?.model ?? "unknown"}), ${formats.bytes(os.totalmem())} RAM, ` +
    `Node ${process.version}, ${os.platform()} ${os.release()}. ` +
    `Load average ${loadBefore.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end; ` +
    `the run took ${minutes.toFixed(0)} min.`
  );
}

process.exitCode = await main();
