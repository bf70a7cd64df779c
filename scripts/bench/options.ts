import { parseArgs } from "node:util";

/** How a benchmark run goes. */
export interface BenchOptions {
  /** Synthetic corpus sizes, in statements. `--sizes`; default 100,000 and 300,000. */
  sizes: number[];
  /** Runs of each measurement; tables show medians. `--runs`; default 3. */
  runs: number;
  /** Measure the shared real corpus too. `--real`/`--no-real`; default: when it exists. */
  real: boolean;
  /** Seed of the synthetic generator. `--seed`; default 1. */
  seed: number;
  /** Rounds of the query mix timed per build. Default 20 (5 with `--quick`). */
  rounds: number;
  /** Seconds per HTTP load test, and connections. `--duration`, `--connections`; default 10, 50. */
  duration: number;
  connections: number;
  /** HTTP is measured on corpora up to this many statements. `--http-max`; default 100,000. */
  httpMax: number;
  /** Longest wait for one build process or server start, in minutes. `--timeout`; default 40. */
  timeoutMinutes: number;
  /** Names of the measurements to run. `--only`; default every one. */
  only: string[];
  help: boolean;
}

export const defaults: BenchOptions = {
  sizes: [100_000, 300_000],
  runs: 3,
  real: true,
  seed: 1,
  rounds: 20,
  duration: 10,
  connections: 50,
  httpMax: 100_000,
  timeoutMinutes: 40,
  only: [],
  help: false,
};

/** What `--quick` changes: one small synthetic corpus, one run, short load tests. */
const quick: Partial<BenchOptions> = {
  sizes: [20_000],
  runs: 1,
  rounds: 5,
  duration: 3,
  connections: 10,
};

/** `--help`, listing the measurements by name. */
export function usage(
  measurements: readonly { name: string; summary: string }[],
): string {
  const width = Math.max(...measurements.map((m) => m.name.length));
  return `Usage: npm run bench -- [options]

Measures Readout on the real corpus (shared/corpus beside the repository or a folder above
it) and on synthetic corpora. Each figure is the median of several runs, beside baselines
measured in the same run (stock MiniSearch, a naive Express + EJS page, a constant response).
Progress goes to stderr, the report (Markdown) to stdout and, step by step, to a file in the
temp folder. Servers listen on 127.0.0.1 only; every run is bounded in time and connections.
Exits with 1 when Readout failed requests under load, 2 on a bad option.

Measurements, run in this order on each corpus:
${measurements.map((m) => `  ${m.name.padEnd(width)}  ${m.summary}`).join("\n")}

Options:
  --only NAME,NAME   run only these measurements      (default: all)
  --formats          only the file readers: parsers, OCR pages/s, 1,000 PDFs (--runs N, default 1)
  --sizes N,N        synthetic corpus sizes; '' for none (default: 100000,300000)
  --runs N           runs per measurement; medians    (default: 3; load: at least 3)
  --real, --no-real  include the real corpus          (default: when it exists)
  --seed N           synthetic generator seed         (default: 1)
  --duration S       seconds per HTTP and load run    (default: 10)
  --connections N    HTTP and load connections        (default: 50)
  --http-max N       HTTP and load only on corpora up to N statements (default: 100000)
  --timeout MIN      longest build or start, minutes  (default: 40)
  --quick            sizes 20000, 1 run, 3 s HTTP with 10 connections
  --help             show this help

A short check: npm run bench -- --no-real --sizes 2000 --runs 1 --duration 1 --connections 2`;
}

/** Reads the command line; throws `bench: …` naming a bad option and its value. */
export function parseOptions(
  argv: string[],
  realExists: boolean,
  names: readonly string[],
): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        sizes: { type: "string" },
        runs: { type: "string" },
        real: { type: "boolean" },
        "no-real": { type: "boolean" },
        seed: { type: "string" },
        duration: { type: "string" },
        connections: { type: "string" },
        "http-max": { type: "string" },
        timeout: { type: "string" },
        only: { type: "string" },
        quick: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new Error(
      `bench: ${(err as Error).message.split("\n")[0]} (see --help)`,
    );
  }
  const base = { ...defaults, ...(values.quick ? quick : {}) };
  const whole = (
    name: string,
    raw: string | undefined,
    fallback: number,
    min = 1,
  ) => {
    if (raw === undefined) return fallback;
    const n = Number(raw.replace(/_/g, ""));
    if (!Number.isInteger(n) || n < min)
      throw new Error(
        `bench: --${name} must be a whole number ≥ ${min}, got "${raw}"`,
      );
    return n;
  };
  return {
    sizes:
      values.sizes === undefined
        ? base.sizes
        : values.sizes
            .split(",")
            .filter((s) => s.trim())
            .map((s) => whole("sizes", s.trim(), 1)),
    runs: whole("runs", values.runs, base.runs),
    real: values["no-real"] ? false : (values.real ?? realExists),
    seed: whole("seed", values.seed, base.seed, 0),
    rounds: base.rounds,
    duration: whole("duration", values.duration, base.duration),
    connections: whole("connections", values.connections, base.connections),
    httpMax: whole("http-max", values["http-max"], base.httpMax, 0),
    timeoutMinutes: whole("timeout", values.timeout, base.timeoutMinutes),
    only: values.only === undefined ? [] : chosen(values.only, names),
    help: values.help ?? false,
  };
}

/** The measurement names of `--only`, each checked against those there are. */
function chosen(raw: string, names: readonly string[]): string[] {
  const picked = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = picked.find((name) => !names.includes(name));
  if (unknown !== undefined || !picked.length)
    throw new Error(
      `bench: --only takes ${names.join(", ")}, got "${unknown ?? raw}"`,
    );
  return picked;
}
