import autocannon from "autocannon";
import type { Outcome } from "./child.ts";
import type { CorpusContext } from "./measurement.ts";
import type { MixQuery } from "./mix.ts";
import {
  startServer,
  type RunningServer,
  type StartSettings,
} from "./server.ts";

/** How hard and how long to load a server. */
export interface HttpSettings {
  /** Seconds per load test. */
  duration: number;
  connections: number;
}

/** What one load test measured. */
export interface HttpFigures {
  /** Answers of any status. */
  requests: number;
  /** 2xx answers per second. */
  requestsPerSec: number;
  /** Latency percentiles, ms. */
  p50: number;
  p99: number;
  /** Mean bytes per answer. */
  bytesPerAnswer: number;
  /** Answers that were not 2xx; connection errors (timeouts included), and timeouts alone. */
  non2xx: number;
  /** Of the non-2xx, the 503s of a server refusing work past its queue (Readout's admission). */
  refused?: number;
  errors: number;
  timeouts: number;
  /** Largest resident memory of the server sampled during the test, bytes. */
  servingRss: number;
}

/** Why load tests are not run on this corpus (`--http-max`), or undefined when they are. */
export function httpSkipped(ctx: CorpusContext): string | undefined {
  return ctx.statements > ctx.options.httpMax
    ? `skipped: over --http-max ${ctx.options.httpMax}`
    : undefined;
}

/** Readout's results page for each query of the mix. */
export const readoutPaths = (mix: MixQuery[]) =>
  mix.map((q) => `/search?${new URLSearchParams(q.params)}`);

/** The naive page for each query, with the same stock options as in-process. */
export const naivePaths = (mix: MixQuery[]) =>
  mix.map((q) => `/search?${new URLSearchParams({ ...q.stock })}`);

/** The mix's common word: every corpus has one, so servers are ready when it answers. */
export const commonWord = (mix: MixQuery[]) =>
  mix.find((q) => q.kind === "common word")!.params.q!;

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
      // Each request in turn from one of `connections` addresses, as many clients would send
      // them: Readout (started with --trust-proxy loopback) shares its places fairly per
      // client, and one address for the whole load was refused past 3 pages at once. The
      // other servers ignore the header.
      requests: paths.map((path) => ({
        method: "GET",
        path,
        setupRequest: (request: object) => ({
          ...request,
          headers: { "x-forwarded-for": clientAddress(settings.connections) },
        }),
      })),
    });
    const answers = result["2xx"] + result.non2xx;
    return {
      requests: answers,
      requestsPerSec: result["2xx"] / result.duration,
      p50: result.latency.p50,
      p99: result.latency.p99,
      bytesPerAnswer: answers ? result.throughput.total / answers : 0,
      non2xx: result.non2xx,
      refused:
        (result as { statusCodeStats?: Record<string, { count: number }> })
          .statusCodeStats?.["503"]?.count ?? 0,
      errors: result.errors,
      timeouts: result.timeouts,
      servingRss,
    };
  } finally {
    clearInterval(sampler);
  }
}

let sent = 0;
// 10.0.x.y, the next of `count` addresses.
function clientAddress(count: number): string {
  const n = sent++ % Math.max(1, count);
  return `10.0.${n >> 8}.${n & 255}`;
}

/** A server started once and loaded `runs` times. */
export interface ServerFigures {
  readyMs: number;
  /** Resident memory once it answered. */
  rss: number;
  http: HttpFigures[];
}

/** How `measureServer` starts and loads a server. */
export interface ServerPlan extends StartSettings {
  /** `node` arguments: the script and its own arguments. */
  args: string[];
  readyPath: string;
  paths: string[];
  /** Awaited once the server answers, before the first load test. */
  settle?: (server: RunningServer) => Promise<void>;
}

/** Starts a server once, then loads it `runs` times with the same paths. */
export async function measureServer(
  plan: ServerPlan,
  http: HttpSettings,
  runs: number,
  timeoutMs: number,
): Promise<Outcome<ServerFigures>> {
  try {
    const server = await startServer(
      plan.args,
      plan.readyPath,
      timeoutMs,
      plan,
    );
    try {
      await plan.settle?.(server);
      const figures: ServerFigures = {
        readyMs: server.readyMs,
        rss: server.memory().rss,
        http: [],
      };
      for (let r = 0; r < runs; r++)
        figures.http.push(
          await loadTest(
            server.origin,
            plan.paths,
            http,
            () => server.memory().rss,
          ),
        );
      return { ok: true, value: figures };
    } finally {
      await server.stop();
    }
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}
