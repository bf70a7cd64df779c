/**
 * `npm run concurrency`: do heavy requests stall everyone? Serves the real corpus
 * (../shared/corpus, or --data DIR) on a loopback port, runs 3 batch searches of 500 heavy
 * lines and 6 clients sending heavy queries (64 two-letter prefixes, 64 fuzzy words, a phrase
 * with slop 50), and meanwhile times a statement page and /about.json. Then it checks that a
 * batch whose client goes away stops costing the server processor time. Bounded in time; it
 * stops by itself and only ever talks to 127.0.0.1.
 *
 * `--hostile`: one client (127.0.0.1) keeps 60 heavy requests in flight, in every spelling of
 * their paths (/SEARCH, /Search.CSV, /search/, POST /BATCH …), and 20 diffs of the longest
 * statements; another client (127.0.0.2, a second loopback address) sends light requests
 * (a statement page, a simple search, /-/health), whose times and statuses are reported.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const root = path.resolve(import.meta.dirname, "..", "..");
const { values } = parseArgs({
  options: {
    data: { type: "string" },
    seconds: { type: "string", default: "30" },
    hostile: { type: "boolean" },
    heavy: { type: "string", default: "60" },
    diffs: { type: "string", default: "20" },
    "cpu-prof": { type: "string" },
    help: { type: "boolean" },
  },
});
if (values.help) {
  console.log(`Usage: npm run concurrency -- [--data DIR] [--seconds N] [--hostile]

Serves DIR (default ../shared/corpus) and, for N seconds (default 30), runs 3 heavy batches
and 6 heavy query loops while timing a statement page and /about.json; then checks that an
abandoned batch stops using the processor.

--hostile: one client keeps 60 heavy requests in any path spelling (--heavy N) and 20 diffs
of long statements (--diffs N) in flight while another client's light requests are timed.

--cpu-prof DIR: the server writes a V8 processor profile (.cpuprofile) into DIR when it stops.`);
  process.exit(0);
}
const data = path.resolve(
  values.data ?? path.join(root, "..", "shared", "corpus"),
);
if (!existsSync(data)) {
  console.error(`concurrency: no data folder at ${data}; pass --data DIR`);
  process.exit(2);
}
const seconds = Number(values.seconds);
/** What the hostile client keeps in flight (`--heavy`, `--diffs`). */
const inFlight = { heavy: Number(values.heavy), diffs: Number(values.diffs) };
const cache = path.join(os.tmpdir(), "readout-concurrency-cache");

const letters = "abcdefghijklmnopqrstuvwxyz";
const pick = (i: number, n: number) =>
  letters[(i * 7 + n * 3) % 26]! + letters[(i * 11 + n) % 26]!;
/** The three heavy queries of the issue, varied by `n` so no cache could answer them. */
const heavy = (n: number): string[] => [
  Array.from({ length: 64 }, (_, i) => `${pick(i, n)}*`).join(" "),
  Array.from({ length: 64 }, (_, i) => `${pick(i, n)}~2`).join(" "),
  `"the president of the united states ${pick(0, n)}"~50`,
];

const server = spawn(
  process.execPath,
  [
    ...(values["cpu-prof"]
      ? ["--cpu-prof", "--cpu-prof-dir", path.resolve(values["cpu-prof"])]
      : []),
    "--import",
    "tsx",
    "src/cli.ts",
    "--data",
    data,
    "--cache",
    cache,
    "--port",
    "0",
  ],
  { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
);
try {
  const base = await new Promise<string>((resolve, reject) => {
    let out = "";
    server.stdout!.on("data", (chunk) => {
      out += chunk;
      const ready = /Ready at (http:\/\/\S+)\//.exec(out);
      if (ready) resolve(ready[1]!);
    });
    server.once("exit", (code) =>
      reject(new Error(`concurrency: the server exited (${code})`)),
    );
  });
  console.error(`Serving ${data} at ${base}`);
  if (values.hostile) {
    await hostileClient(base, seconds);
    // Waited for, so that a processor profile is written before this script ends.
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
    process.exit(0);
  }
  const search = (await (
    await fetch(`${base}/search.json?q=ministry`)
  ).json()) as { hits: { id: string }[] };
  const statementPath = `/statements/${encodeURIComponent(search.hits[0]!.id)}`;

  const stop = performance.now() + seconds * 1000;
  const heavyResults: { ms: number; status: number }[] = [];
  const loops = Array.from({ length: 6 }, async (_, client) => {
    for (let n = client; performance.now() < stop; n += 6) {
      const q = heavy(n)[n % 3]!;
      const started = performance.now();
      const res = await fetch(
        `${base}/search.json?${new URLSearchParams({ q })}`,
      );
      await res.arrayBuffer();
      heavyResults.push({
        ms: performance.now() - started,
        status: res.status,
      });
    }
  });
  const batches = Array.from({ length: 3 }, async (_, b) => {
    const lines = Array.from(
      { length: 500 },
      (_, i) => heavy(b * 500 + i)[i % 3],
    );
    const started = performance.now();
    const res = await fetch(`${base}/batch`, {
      method: "POST",
      body: new URLSearchParams({ lines: lines.join("\n") }),
      signal: AbortSignal.timeout(
        Math.round(Math.max(1000, stop - performance.now())),
      ),
    }).catch(() => undefined);
    await res?.arrayBuffer();
    return { ms: performance.now() - started, status: res?.status ?? 0 };
  });
  const probes: Record<string, number[]> = { statement: [], about: [] };
  const probing = (async () => {
    while (performance.now() < stop) {
      for (const [name, url] of [
        ["statement", statementPath],
        ["about", "/about.json"],
      ] as const) {
        const started = performance.now();
        const res = await fetch(base + url);
        await res.arrayBuffer();
        probes[name]!.push(performance.now() - started);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  await Promise.all([...loops, probing]);
  const batchResults = await Promise.all(batches);

  console.log(`\n## Concurrency (${seconds} s, ${data})\n`);
  console.log("| while heavy work runs | requests | p50 | p99 | max |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const [name, times] of Object.entries(probes))
    console.log(
      `| ${name === "about" ? "/about.json" : "statement page"} | ${times.length} | ${ms(quantile(times, 0.5))} | ${ms(quantile(times, 0.99))} | ${ms(Math.max(...times))} |`,
    );
  const statuses = count(heavyResults.map((r) => r.status));
  console.log(
    `\nHeavy queries: ${heavyResults.length} answered (${Object.entries(
      statuses,
    )
      .map(([s, n]) => `${n} × ${s}`)
      .join(", ")}); p50 ${ms(
      quantile(
        heavyResults.map((r) => r.ms),
        0.5,
      ),
    )}, max ${ms(Math.max(...heavyResults.map((r) => r.ms)))}.`,
  );
  console.log(
    `Batches: ${batchResults.map((r) => `${r.status || "cut off by the client"} in ${ms(r.ms)}`).join("; ")}.`,
  );

  // A batch abandoned after 1 s: the server's processor time over the next 2 s.
  const abandoned = new AbortController();
  const lines = Array.from({ length: 500 }, (_, i) => heavy(9000 + i)[i % 3]);
  void fetch(`${base}/batch`, {
    method: "POST",
    body: new URLSearchParams({ lines: lines.join("\n") }),
    signal: abandoned.signal,
  }).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const busy = cpuMs(server.pid!);
  abandoned.abort();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const afterAbort = cpuMs(server.pid!);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idle = cpuMs(server.pid!);
  console.log(
    `Abandoned batch: the server used ${ms(afterAbort - busy)} of processor time in the 0.5 s after its client went away, then ${ms(idle - afterAbort)} in the next 2 s.`,
  );
} finally {
  server.kill("SIGTERM");
}

/** The heavy requests of the hostile client, in every spelling of their paths. */
function hostileRequest(n: number): {
  method: string;
  path: string;
  body?: string;
} {
  const q = encodeURIComponent(heavy(n)[n % 3]!);
  const spellings = [
    `/SEARCH?q=${q}`,
    `/Search.CSV?q=${q}`,
    `/search/?q=${q}`,
    `/search.csv/?q=${q}`,
    `/search.Json?q=${q}`,
    `/%73earch.jsonl?q=${q}`,
    `/search.json?q=${q}&all=1`,
    `/SEARCH.ATOM?q=${q}`,
    `/search.json?q=${q}`,
  ];
  if (n % 10 === 9) {
    const lines = Array.from({ length: 20 }, (_, i) => heavy(n + i)[i % 3]);
    return {
      method: "POST",
      path: "/BATCH",
      body: new URLSearchParams({ lines: lines.join("\n") }).toString(),
    };
  }
  return { method: "GET", path: spellings[n % spellings.length]! };
}

function errorOf(err: Error): string {
  return (err as NodeJS.ErrnoException).code ?? err.message;
}

/** One request from `agent`'s address; a 308 (a path's other spelling) is followed once. */
function ask(
  agent: http.Agent,
  base: string,
  request: { method: string; path: string; body?: string },
): Promise<{ status: number | string; ms: number }> {
  const started = performance.now();
  const once = (
    path: string,
  ): Promise<{ status: number; location?: string; error?: string }> =>
    new Promise((resolve) => {
      const url = new URL(path, base);
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method: request.method,
          agent,
          headers: request.body
            ? { "Content-Type": "application/x-www-form-urlencoded" }
            : {},
          timeout: 60_000,
        },
        (res) => {
          res.resume();
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              ...(res.headers.location
                ? { location: res.headers.location }
                : {}),
            }),
          );
          res.on("error", (err) => resolve({ status: 0, error: errorOf(err) }));
        },
      );
      req.on("error", (err) => resolve({ status: 0, error: errorOf(err) }));
      req.on("timeout", () => req.destroy());
      req.end(request.body);
    });
  return once(request.path).then(async (first) => {
    const final =
      first.status === 308 && first.location
        ? await once(first.location)
        : first;
    // A request that failed counts under its error's code (ECONNRESET …), not as a status.
    return {
      status: final.error ?? final.status,
      ms: performance.now() - started,
    };
  });
}

/** The ids of the longest statements of a folder of JSON Lines files, longest first. */
function longestIds(dir: string, n: number): string[] {
  const lengths: [number, string][] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".jsonl")))
    for (const line of readFileSync(path.join(dir, name), "utf8").split("\n")) {
      if (!line.trim()) continue;
      try {
        const r = JSON.parse(line) as {
          id?: string;
          body?: string;
          text?: string;
        };
        if (r.id) lengths.push([(r.body ?? r.text ?? "").length, r.id]);
      } catch {
        // Not a record; the server reports it.
      }
    }
  return lengths
    .sort((a, b) => b[0] - a[0])
    .slice(0, n)
    .map(([, id]) => id);
}

async function hostileClient(base: string, seconds: number): Promise<void> {
  const hostileAgent = new http.Agent({
    keepAlive: true,
    localAddress: "127.0.0.1",
  });
  const otherAgent = new http.Agent({
    keepAlive: true,
    localAddress: "127.0.0.2",
  });
  let ids = longestIds(data, 40);
  if (ids.length < 2) {
    const found = (await (
      await fetch(`${base}/search.json?q=the&size=40`)
    ).json()) as { hits: { id: string }[] };
    ids = found.hits.map((h) => h.id);
  }
  const diffPath = (n: number) =>
    `/statements/${encodeURIComponent(ids[n % ids.length]!)}/diff/${encodeURIComponent(ids[(n * 7 + 1) % ids.length]!)}`;
  // A statement of the kind a reader opens (the first hit of a search), not one of the
  // longest, whose page costs most to make whoever asks.
  const first = (await (
    await fetch(`${base}/search.json?q=ministry`)
  ).json()) as { hits: { id: string }[] };
  const statement = `/statements/${encodeURIComponent(first.hits[0]!.id)}`;

  // Warmed first: the first look at a long statement decodes the postings its related
  // statements need, which is no one's stall.
  for (let i = 0; i < 2; i++)
    await ask(otherAgent, base, { method: "GET", path: statement });

  const stop = performance.now() + seconds * 1000;
  type Result = { status: number | string; ms: number };
  const hostile: Result[] = [];
  const diffs: Result[] = [];
  const loop = async (
    first: number,
    step: number,
    next: (n: number) => { method: string; path: string; body?: string },
    into: Result[],
  ) => {
    for (let n = first; performance.now() < stop; n += step)
      into.push(await ask(hostileAgent, base, next(n)));
  };
  const heavyLoops = Array.from({ length: inFlight.heavy }, (_, i) =>
    loop(i, inFlight.heavy, hostileRequest, hostile),
  );
  const diffLoops = Array.from({ length: inFlight.diffs }, (_, i) =>
    loop(
      i,
      inFlight.diffs,
      (n) => ({ method: "GET", path: diffPath(n) }),
      diffs,
    ),
  );
  const light: Record<string, Result[]> = {
    "statement page": [],
    "simple search": [],
    "/-/health": [],
  };
  const words = [
    "ministry",
    "harbour",
    "treaty",
    "election",
    "budget",
    "visit",
  ];
  const probing = (async () => {
    for (let n = 0; performance.now() < stop; n++) {
      light["statement page"]!.push(
        await ask(otherAgent, base, { method: "GET", path: statement }),
      );
      light["simple search"]!.push(
        await ask(otherAgent, base, {
          method: "GET",
          path: `/search.json?q=${words[n % words.length]}${n}`,
        }),
      );
      light["/-/health"]!.push(
        await ask(otherAgent, base, { method: "GET", path: "/-/health" }),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  await Promise.all([...heavyLoops, ...diffLoops, probing]);
  hostileAgent.destroy();
  otherAgent.destroy();

  const [one, five] = os.loadavg();
  console.log(
    `\n## Hostile client (${seconds} s, ${data}; load average ${one!.toFixed(1)} over 1 min, ${five!.toFixed(1)} over 5 min, ${os.availableParallelism()} cores)\n`,
  );
  console.log(
    "| another client's light requests | requests | 503 | p50 | p99 | max |",
  );
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const [name, results] of Object.entries(light)) {
    const times = results.map((r) => r.ms);
    console.log(
      `| ${name} | ${results.length} | ${results.filter((r) => r.status === 503).length} | ${ms(quantile(times, 0.5))} | ${ms(quantile(times, 0.99))} | ${ms(Math.max(...times))} |`,
    );
  }
  for (const [name, results] of [
    [`Hostile heavy requests (${inFlight.heavy} in flight)`, hostile],
    [`Hostile diffs (${inFlight.diffs} in flight)`, diffs],
  ] as const) {
    const statuses = count(results.map((r) => r.status));
    console.log(
      `\n${name}: ${results.length} answered (${Object.entries(statuses)
        .map(([s, n]) => `${n} × ${s}`)
        .join(", ")}); p50 ${ms(
        quantile(
          results.map((r) => r.ms),
          0.5,
        ),
      )}.`,
    );
  }
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN
  );
}

function ms(n: number): string {
  return `${Math.round(n).toLocaleString("en")} ms`;
}

function count(values: (number | string)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

/** Processor time (user and system) a process has used, from /proc. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8")
    .replace(/^.*\) /, "")
    .split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}
