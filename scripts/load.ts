/**
 * `npm run load`: starts Readout on a real corpus (../shared/corpus when present, else a
 * generated one), drives it over loopback with autocannon through a mixed workload, and
 * reports requests/s, latency, errors, timeouts and the server's memory before and after each
 * of several equal runs (memory that keeps growing once the first run has warmed up is a leak).
 * Bounded in time and connections; it stops by itself.
 */
import autocannon from "autocannon";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const root = path.resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    data: { type: "string" },
    duration: { type: "string", default: "30" },
    connections: { type: "string", default: "20" },
    runs: { type: "string", default: "3" },
    help: { type: "boolean" },
  },
});
if (values.help) {
  console.log(`Usage: npm run load -- [--data DIR] [--duration SECONDS] [--connections N]

Serves DIR (default: ../shared/corpus, else a generated corpus of 5,000 statements) on a free
loopback port and runs the mixed workload --runs times (default 3), reporting each run and the
server's memory.`);
  process.exit(0);
}
const duration = Number(values.duration);
const connections = Number(values.connections);
const runCount = Math.max(2, Number(values.runs));

const data =
  values.data ??
  (existsSync(path.join(root, "..", "shared", "corpus"))
    ? path.join(root, "..", "shared", "corpus")
    : await generated());
const cache = path.join(
  os.tmpdir(),
  "readout-load-cache",
  Buffer.from(data).toString("hex").slice(-40),
);
console.error(`Serving ${data} (saved index in ${cache}) …`);
const { server, base } = await start(data, cache);
try {
  const workload = await buildWorkload(base);
  console.error(
    `Workload: ${workload.length} requests in rotation, ${connections} connections, ${duration} s per run.`,
  );
  const memory = [await rss(server)];
  const runs = [];
  for (let run = 1; run <= runCount; run++) {
    runs.push(await drive(base, workload));
    await new Promise((resolve) => setTimeout(resolve, 3000));
    memory.push(await rss(server));
  }
  print(runs, memory, workload.length);
} finally {
  server.kill("SIGTERM");
}

interface Run {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

async function drive(
  base: string,
  requests: { method: "GET"; path: string }[],
): Promise<Run> {
  const result = await autocannon({
    url: base,
    connections,
    duration,
    timeout: 20,
    requests,
  });
  return {
    requests: result.requests.total,
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
}

/** Searches of every kind, pages 1–5 (page 1 is the plain search URL), statement pages, JSON twins, an export and a feed. */
async function buildWorkload(
  base: string,
): Promise<{ method: "GET"; path: string }[]> {
  const statements = (await (
    await fetch(`${base}search.json?q=the&size=50`)
  ).json()) as { hits: { href: string; id: string }[] };
  const queries = [
    "ceasefire",
    "climate change",
    '"united states"',
    '"peace treaty"~5',
    "ukraine OR russia",
    "sanctions -iran",
    "(gas OR oil) AND europe",
    "title:sanctions",
    'source:"white house" grain',
    "negotiat*",
    "bayramov~",
    "date:2022 grain",
    "after:2024-01-01 tariffs",
    "the",
    "security council reform",
  ];
  const paths: string[] = [];
  for (const [i, q] of queries.entries()) {
    const query = new URLSearchParams({ q }).toString();
    paths.push(
      `/search?${query}`,
      `/search.json?${query}`,
      `/search?${query}&page=${(i % 4) + 2}`,
    );
  }
  paths.push(
    "/search?q=grain&sort=newest",
    "/search?q=the&source=The+White+House&year=2023",
    "/search?q=summit&from=2022&to=2023",
  );
  for (const hit of statements.hits.slice(0, 20))
    paths.push(
      hit.href.replace(/^\//, "/"),
      `/statements/${encodeURIComponent(hit.id)}.json`,
    );
  paths.push(
    "/search.csv?q=%22black+sea%22",
    "/search.atom?q=ceasefire",
    "/suggest?q=sanc",
    "/",
    "/about",
    "/help",
  );
  return paths.map((p) => ({ method: "GET" as const, path: p }));
}

function start(
  data: string,
  cache: string,
): Promise<{ server: ChildProcess; base: string }> {
  return new Promise((resolve, reject) => {
    // node --import tsx: one process, so its memory is the server's.
    const server = spawn(
      process.execPath,
      [
        "--expose-gc",
        "--import",
        "tsx",
        "src/cli.ts",
        "--data",
        data,
        "--port",
        "0",
        "--cache",
        cache,
      ],
      {
        cwd: root,
        stdio: ["ignore", "pipe", "inherit"],
        env: { ...process.env, NODE_ENV: "production" },
      },
    );
    let out = "";
    server.stdout!.on("data", (chunk) => {
      out += chunk;
      const ready = /Ready at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (ready) resolve({ server, base: ready[1]! });
    });
    server.on("exit", (code) =>
      reject(
        new Error(
          `load: the server exited (${code}) before it was ready:\n${out}`,
        ),
      ),
    );
  });
}

async function rss(server: ChildProcess): Promise<number> {
  server.kill("SIGUSR2");
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const status = await readFile(`/proc/${server.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

function print(runs: Run[], memory: number[], rotation: number): void {
  const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
  console.log(
    `\n| run | requests | requests/s | p50 | p99 | errors | timeouts | non-2xx | RSS after |`,
  );
  console.log(
    `| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`,
  );
  runs.forEach((r, i) =>
    console.log(
      `| ${i + 1} | ${r.requests} | ${r.perSecond.toFixed(1)} | ${r.p50} ms | ${r.p99} ms | ${r.errors} | ${r.timeouts} | ${r.non2xx} | ${mb(memory[i + 1]!)} |`,
    ),
  );
  const after = memory.slice(1);
  console.log(
    `\nServer RSS: ${mb(memory[0]!)} before; after each run ${after.map(mb).join(", ")} (${rotation} URLs in rotation, ${connections} connections, ${duration} s each).`,
  );
  // RSS moves with the garbage collector; a leak shows as growth after every run once the
  // first has warmed the caches, not as one high reading.
  const rising = after.slice(1).every((m, i) => m > after[i]! * 1.05);
  console.log(
    rising
      ? `RSS rose after every run (${mb(after[0]!)} → ${mb(after.at(-1)!)}): look for a leak.`
      : `RSS did not keep rising (lowest after warm-up ${mb(Math.min(...after.slice(1)))}, last ${mb(after.at(-1)!)}): no sign of a leak.`,
  );
  const failures = runs.reduce(
    (n, r) => n + r.errors + r.timeouts + r.non2xx,
    0,
  );
  if (failures) process.exitCode = 1;
}

/** A corpus of 5,000 generated statements, for machines without ../shared/corpus. */
async function generated(): Promise<string> {
  const dir = path.join(
    await mkdtemp(path.join(os.tmpdir(), "readout-load-")),
    "data",
  );
  await mkdir(dir);
  const words =
    "ceasefire climate change united states peace treaty ukraine russia sanctions iran gas oil europe grain security council reform summit tariffs negotiations minister statement joint black sea white house".split(
      " ",
    );
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = () => words[Math.floor(random() * words.length)]!;
  const lines = Array.from({ length: 5000 }, (_, i) =>
    JSON.stringify({
      id: `g${i}`,
      title: `${pick()} ${pick()} ${pick()}`,
      date: `${2015 + (i % 10)}-${String((i % 12) + 1).padStart(2, "0")}-15`,
      source: i % 3 ? "The White House" : "Ministry of Foreign Affairs",
      body: Array.from({ length: 300 }, pick).join(" "),
    }),
  );
  await writeFile(path.join(dir, "generated.jsonl"), lines.join("\n") + "\n");
  return dir;
}
