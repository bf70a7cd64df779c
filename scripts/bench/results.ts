import type { Outcome } from "./child.ts";
import type { BenchCorpus } from "./corpora.ts";
import type { BuildFigures } from "./measure-build.ts";
import type { HttpFigures, ServerFigures } from "./measure-http.ts";
import type { StartFigures } from "./measure-start.ts";
import type { MixQuery } from "./mix.ts";
import { median, medianOf, percentile, type Cell } from "./stats.ts";

/** What measure-mix.ts reports. */
export interface MixFigures {
  statements: number;
  problems: number;
  mix: MixQuery[];
}

/** Everything measured on one corpus, run by run. */
export interface CorpusResult {
  corpus: BenchCorpus;
  mix: Outcome<MixFigures>;
  readout: Outcome<BuildFigures>[];
  stock: Outcome<BuildFigures>[];
  starts: Outcome<StartFigures>[];
  /** Absent when HTTP was not measured on this corpus, with the reason. */
  naive: Outcome<ServerFigures>;
  constant: Outcome<ServerFigures>;
  httpSkipped?: string;
}

/** Median over runs of statements indexed per second. */
export function buildRate(builds: Outcome<BuildFigures>[]): Cell {
  return medianOf(builds, (b) => b.statements / (b.buildMs / 1000));
}

/** Median over runs of a latency percentile of all timed queries of each run. */
export function latency(builds: Outcome<BuildFigures>[], p: number): Cell {
  return medianOf(builds, (b) =>
    percentile(
      b.queries.flatMap((q) => q.ms),
      p,
    ),
  );
}

/** Median over runs of one query's median time. */
export function kindLatency(builds: Outcome<BuildFigures>[], i: number): Cell {
  return medianOf(builds, (b) => {
    const ms = b.queries[i]?.ms;
    return ms?.length ? median(ms) : undefined;
  });
}

/** Readout's load tests, one per run (each on the warm server of that run). */
export function readoutHttp(r: CorpusResult): Outcome<HttpFigures>[] {
  return r.starts.map((s) =>
    !s.ok
      ? s
      : s.value.http
        ? { ok: true, value: s.value.http }
        : { ok: false, reason: r.httpSkipped ?? "not measured" },
  );
}

/** A baseline server's load tests, or its start-up failure. */
export function serverHttp(
  server: Outcome<ServerFigures>,
): Outcome<HttpFigures>[] {
  return server.ok
    ? server.value.http.map((value) => ({ ok: true, value }))
    : [server];
}

/** The figure as a one-outcome list, for medianOf. */
export const single = <T>(o: Outcome<T>): Outcome<T>[] => [o];
