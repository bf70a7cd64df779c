/**
 * `npm run bench`: build time, memory, start-up, search latency, HTTP throughput and a load
 * test with a leak check, each beside baselines measured in the same run (issues 6 and 9).
 * Not part of `npm test`: a full run takes most of an hour. `npm run bench -- --help` lists
 * the options; registry.ts lists the measurements.
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { runWorker } from "./child.ts";
import {
  realCorpus,
  realCorpusDir,
  synthetic,
  type BenchCorpus,
} from "./corpora.ts";
import type { Measurement, MixFigures } from "./measurement.ts";
import { parseOptions, usage, type BenchOptions } from "./options.ts";
import { measurements } from "./registry.ts";
import { faultsOf, renderReport, type CorpusResult } from "./report.ts";
import { benchDir } from "./synthetic.ts";
import { formats } from "./table.ts";
import { benchFormats } from "./formats.ts";

const log = (line: string) => console.error(`bench: ${line}`);

async function main(): Promise<number> {
  // `--pg SPEC`: the PostgreSQL engine's bench instead (scripts/bench/pg.ts, issue 13).
  if (process.argv.includes("--pg")) {
    const { benchPostgres, parsePgOptions } = await import("./pg.ts");
    console.log(await benchPostgres(parsePgOptions(process.argv.slice(2))));
    return 0;
  }
  // `--formats`: only the file readers' tables (parsers, OCR pages/s, a folder of PDFs).
  if (process.argv.includes("--formats")) {
    const at = process.argv.indexOf("--runs");
    const runs = at > 0 ? Number(process.argv[at + 1]) : 1;
    console.log(
      `Load average before: ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs.\n`,
    );
    console.log(
      await benchFormats(
        path.resolve("..", "shared", "corpus-world"),
        Number.isInteger(runs) && runs > 0 ? runs : 1,
        log,
      ),
    );
    return 0;
  }
  let options: BenchOptions;
  const names = measurements.map((m) => m.name);
  try {
    options = parseOptions(
      process.argv.slice(2),
      existsSync(realCorpusDir),
      names,
    );
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  if (options.help) {
    console.log(usage(measurements));
    return 0;
  }
  const chosen = measurements.filter(
    (m) => !options.only.length || options.only.includes(m.name),
  );
  const started = performance.now();
  const loadBefore = os.loadavg()[0]!;
  await mkdir(benchDir, { recursive: true });
  const results: CorpusResult[] = [];
  const corpora: (() => Promise<BenchCorpus>)[] = [
    ...(options.real ? [realCorpus] : []),
    ...options.sizes.map((size) => () => synthetic(size, options.seed, log)),
  ];
  if (options.real && !existsSync(realCorpusDir)) {
    console.error(`bench: --real: no real corpus at ${realCorpusDir}`);
    return 2;
  }
  if (!corpora.length) {
    console.error(
      `bench: no corpus to measure: --sizes is empty and the real corpus is left out (${realCorpusDir})`,
    );
    return 2;
  }
  log(
    options.real
      ? `real corpus: ${realCorpusDir}`
      : `no real corpus (${existsSync(realCorpusDir) ? "--no-real" : `none at ${realCorpusDir}`})`,
  );
  const render = () =>
    renderReport(
      results,
      chosen,
      options,
      machine(loadBefore, (performance.now() - started) / 60_000),
    );
  // A long run on a busy machine may be stopped: the report so far is kept after each step.
  const partial = path.join(
    benchDir,
    `report-${new Date().toISOString().slice(0, 19).replace(/:/g, "-")}.md`,
  );
  log(`report so far, after each step: ${partial}`);
  const save = () => writeFile(partial, render());
  for (const corpus of corpora)
    await benchCorpus(await corpus(), chosen, options, results, save);
  await save();
  console.log(render());
  // Reading saved pages, PDFs and Word files is not per corpus: its tables come last, in a
  // full run (alone: npx tsx scripts/bench/formats.ts).
  if (!options.only.length)
    console.log(
      await benchFormats(
        path.resolve("..", "shared", "corpus-world"),
        options.runs,
        log,
      ),
    );
  return faultsOf(results, chosen).length ? 1 : 0;
}

/**
 * Reads one corpus and chooses its query mix, then runs each chosen measurement on it. Its
 * result joins `results` first and fills as it goes, so that every save shows the steps so far.
 */
async function benchCorpus(
  corpus: BenchCorpus,
  chosen: readonly Measurement<unknown>[],
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
  const result: CorpusResult = { corpus, mix, records: new Map() };
  results.push(result);
  await save();
  if (!mix.ok) {
    say(`failed: ${mix.reason}`);
    return;
  }
  const mixFile = path.join(
    benchDir,
    `mix-${corpus.label.replace(/\W+/g, "-")}.json`,
  );
  await writeFile(mixFile, JSON.stringify(mix.value.mix));
  for (const measurement of chosen) {
    const record = measurement.empty();
    result.records.set(measurement.name, record);
    await measurement.run(
      {
        corpus,
        statements: mix.value.statements,
        mix: mix.value.mix,
        mixFile,
        options,
        timeoutMs,
        say: (line) => say(`${measurement.name}: ${line}`),
        save,
      },
      record,
    );
    await save();
  }
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
