/**
 * Readout's results page over HTTP, uncached (READOUT_QUERY_CACHE=0: every page searches)
 * and cached (the default: the mix repeats, so most pages reuse a kept match set), against
 * two baselines started the same way: a naive Express + EJS page over stock MiniSearch, and
 * a constant Express response.
 */
import type { Outcome } from "../child.ts";
import { cacheDir } from "../corpora.ts";
import {
  commonWord,
  httpSkipped,
  measureServer,
  naivePaths,
  readoutPaths,
  type HttpFigures,
  type ServerFigures,
} from "../measure-http.ts";
import { awaitCache } from "../measure-start.ts";
import {
  corpusTable,
  medianOfRuns,
  type Measured,
  type Measurement,
  type Row,
} from "../measurement.ts";
import { readoutServerArgs } from "../server.ts";
import { medianOf, ratio, type Cell } from "../stats.ts";
import { formats as f } from "../table.ts";

const SERVERS = ["readout", "cached", "naive", "constant"] as const;
type Server = (typeof SERVERS)[number];

export type HttpRecord = Record<Server, Outcome<ServerFigures>>;

export const http: Measurement<HttpRecord> = {
  name: "http",
  summary:
    "Readout's results page under load, beside a naive Express + EJS page and a constant one",
  empty: () => ({
    readout: { ok: false, reason: "not measured" },
    cached: { ok: false, reason: "not measured" },
    naive: { ok: false, reason: "not measured" },
    constant: { ok: false, reason: "not measured" },
  }),
  async run(ctx, record) {
    const skipped = httpSkipped(ctx);
    if (skipped) {
      for (const server of SERVERS)
        record[server] = { ok: false, reason: skipped };
      return;
    }
    const { options, corpus, mix } = ctx;
    const q = new URLSearchParams({ q: commonWord(mix) });
    const readout = (queryCache: string) => ({
      args: readoutServerArgs(corpus.dir),
      readyPath: `/search.json?${q}`,
      paths: readoutPaths(mix),
      env: { READOUT_QUERY_CACHE: queryCache },
      // A first start saves its index meanwhile; the load waits until it is written.
      settle: () =>
        awaitCache(cacheDir(corpus.dir), ctx.timeoutMs).then(() => {}),
    });
    const plans = {
      readout: readout("0"),
      cached: readout(""),
      naive: {
        args: ["scripts/bench/naive-app.ts", corpus.dir],
        readyPath: `/search?${q}`,
        paths: naivePaths(mix),
      },
      constant: {
        args: ["scripts/bench/constant-app.ts"],
        readyPath: "/",
        paths: ["/"],
      },
    };
    for (const server of SERVERS) {
      ctx.say(
        `${server} server: ${options.runs} load test${options.runs > 1 ? "s" : ""}`,
      );
      record[server] = await measureServer(
        plans[server],
        options,
        options.runs,
        ctx.timeoutMs,
      );
      const o = record[server];
      ctx.say(
        o.ok
          ? o.value.http.map((h) => f.perSecond(h.requestsPerSec)).join(", ")
          : `failed: ${o.reason}`,
      );
      await ctx.save();
    }
  },
  report: (results, options) => [
    `## HTTP (${medianOfRuns(options.runs)})`,
    "",
    `Each server started once with NODE_ENV=production, then loaded ${options.runs} time${options.runs > 1 ? "s" : ""} by autocannon on 127.0.0.1 for ${options.duration} s with ${options.connections} connections, cycling through the mix, each request from one of as many client addresses in turn (X-Forwarded-For; Readout runs with --trust-proxy loopback, as behind a proxy). Readout: its results page, snippets and facets included, uncached (READOUT_QUERY_CACHE=0: every page searches) and cached (the default: the mix repeats, so pages after the first round reuse the kept match sets, rankings, facets and timelines, and only make their hits and HTML); 503s are prompt refusals past the admission queue; naive page: Express + EJS over stock MiniSearch, top 20, no snippets or facets; constant: Express sending one small page.`,
    "",
    corpusTable(results, rows),
    "",
  ],
  outcomes: (record) =>
    SERVERS.map(
      (s) => [`${s} server`, record[s]] as [string, Outcome<unknown>],
    ),
  faults(record) {
    if (!record.readout.ok) return [];
    const runs = record.readout.value.http;
    const sum = (pick: (h: HttpFigures) => number) =>
      runs.reduce((n, h) => n + pick(h), 0);
    const errors = sum((h) => h.errors);
    // Prompt 503s past the admission queue are the overload answer, not failures.
    const non2xx = sum((h) => h.non2xx - (h.refused ?? 0));
    return errors + non2xx
      ? [
          `results page under load: errors ${errors} (timeouts ${sum((h) => h.timeouts)}), non-2xx other than 503 ${non2xx}`,
        ]
      : [];
  },
};

const loads = (r: HttpRecord, server: Server): Outcome<HttpFigures>[] => {
  const o = r[server];
  return o.ok ? o.value.http.map((value) => ({ ok: true, value })) : [o];
};
const each =
  (server: Server, pick: (h: HttpFigures) => number) =>
  (m: Measured<HttpRecord>): Cell =>
    medianOf(loads(m.record, server), pick);
const once =
  (server: Server, pick: (s: ServerFigures) => number) =>
  (m: Measured<HttpRecord>): Cell =>
    medianOf([m.record[server]], pick);
const rps = (server: Server) => each(server, (h) => h.requestsPerSec);

const NAMES: Record<Server, string> = {
  readout: "Readout results page, uncached",
  cached: "Readout results page, cached",
  naive: "Naive page",
  constant: "Constant response",
};

const rows: Row<HttpRecord>[] = [
  ...SERVERS.flatMap((server): Row<HttpRecord>[] => [
    [`${NAMES[server]}, requests/s`, rps(server), f.perSecond],
    [`${NAMES[server]}, p50`, each(server, (h) => h.p50), f.ms],
    [`${NAMES[server]}, p99`, each(server, (h) => h.p99), f.ms],
    [
      `${NAMES[server]}, bytes/answer`,
      each(server, (h) => h.bytesPerAnswer),
      f.bytes,
    ],
    [
      `${NAMES[server]}, non-2xx + errors`,
      each(server, (h) => h.non2xx + h.errors),
      f.count,
    ],
    [
      `${NAMES[server]}, of which prompt 503s`,
      each(server, (h) => h.refused ?? 0),
      f.count,
    ],
  ]),
  [
    "Requests/s, Readout uncached ÷ naive",
    (m) => ratio(rps("readout")(m), rps("naive")(m)),
    f.ratio,
  ],
  [
    "Requests/s, Readout cached ÷ naive",
    (m) => ratio(rps("cached")(m), rps("naive")(m)),
    f.ratio,
  ],
  [
    "Requests/s, Readout ÷ constant",
    (m) => ratio(rps("readout")(m), rps("constant")(m)),
    f.ratio,
  ],
  [
    "Ready, Readout (spawn → first answer; saved index if any)",
    once("readout", (s) => s.readyMs),
    f.seconds,
  ],
  [
    "Ready, naive app (stock addAll; spawn → first answer)",
    once("naive", (s) => s.readyMs),
    f.seconds,
  ],
  ["RSS after start, Readout", once("readout", (s) => s.rss), f.bytes],
  [
    "RSS while serving, Readout (max under load)",
    each("readout", (h) => h.servingRss),
    f.bytes,
  ],
  ["RSS after start, naive app", once("naive", (s) => s.rss), f.bytes],
];
