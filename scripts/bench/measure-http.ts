import autocannon from "autocannon";
import type { Outcome } from "./child.ts";
import type { MixQuery } from "./mix.ts";
import { startServer } from "./server.ts";

/** How hard and how long to load a server. */
export interface HttpSettings {
  /** Seconds per load test. */
  duration: number;
  connections: number;
}

/** What one load test measured. */
export interface HttpFigures {
  /** 2xx answers per second. */
  requestsPerSec: number;
  /** Latency percentiles, ms. */
  p50: number;
  p99: number;
  /** Mean bytes per answer. */
  bytesPerAnswer: number;
  /** Answers that were not 2xx, and connection errors or timeouts. */
  non2xx: number;
  errors: number;
  /** Largest resident memory of the server sampled during the test, bytes. */
  servingRss: number;
}

/** Readout's results page for each query of the mix. */
export const readoutPaths = (mix: MixQuery[]) =>
  mix.map((q) => `/search?${new URLSearchParams(q.params)}`);

/** The naive page for each query, with the same stock options as in-process. */
export const naivePaths = (mix: MixQuery[]) =>
  mix.map((q) => `/search?${new URLSearchParams({ ...q.stock })}`);

/**
 * Loads a server on 127.0.0.1 with autocannon for `duration` seconds; each connection cycles
 * through `paths`. `rss` samples the server's memory while the test runs.
 */
export async function loadTest(
  origin: string,
  paths: string[],
  settings: HttpSettings,
  rss: () => number,
): Promise<HttpFigures> {
  let servingRss = rss();
  const sampler = setInterval(
    () => (servingRss = Math.max(servingRss, rss())),
    250,
  );
  try {
    const result = await autocannon({
      url: origin,
      connections: settings.connections,
      duration: settings.duration,
      requests: paths.map((path) => ({ method: "GET", path })),
    });
    const answers = result["2xx"] + result.non2xx;
    return {
      requestsPerSec: result["2xx"] / result.duration,
      p50: result.latency.p50,
      p99: result.latency.p99,
      bytesPerAnswer: answers ? result.throughput.total / answers : 0,
      non2xx: result.non2xx,
      errors: result.errors,
      servingRss,
    };
  } finally {
    clearInterval(sampler);
  }
}

/** Another server started once and loaded `runs` times. */
export interface ServerFigures {
  readyMs: number;
  rss: number;
  http: HttpFigures[];
}

/** Starts `script` once, then loads it `runs` times with the same paths. */
export async function measureServer(
  args: string[],
  readyPath: string,
  paths: string[],
  http: HttpSettings,
  runs: number,
  timeoutMs: number,
): Promise<Outcome<ServerFigures>> {
  try {
    const server = await startServer(args, readyPath, timeoutMs);
    try {
      const figures: ServerFigures = {
        readyMs: server.readyMs,
        rss: server.memory().rss,
        http: [],
      };
      for (let r = 0; r < runs; r++)
        figures.http.push(
          await loadTest(server.origin, paths, http, () => server.memory().rss),
        );
      return { ok: true, value: figures };
    } finally {
      await server.stop();
    }
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}
