/**
 * Fuzzing, in one run: thousands of generated queries against the real app, a data
 * folder of generated files read by the real ingest and served by the real app, and a
 * folder of PDF and HTML bombs read while the process's memory is watched.
 *
 *   npm run fuzz                          a random seed, 10,000 queries, 1,200 files
 *   npm run fuzz -- --seed 42 --queries 20000 --files 3000 --spellings 2000 --saves 60
 *
 * Checks: no 5xx (a 503 for a stopped search is a bounded answer, counted apart), no crash
 * (an uncaught exception or unhandled rejection is a failure), no hang (each request and
 * each folder read is bounded), every bad file reported, every statement's page answers; a
 * page asked for in another spelling of its path (`/SEARCH`, `/search.csv/`) is redirected
 * to its one spelling or not found, never answered as it is; a file saved in any of the ways
 * editors and tools save is searchable soon after, its earlier texts kept.
 * Prints a summary; exits 1 on any failure, naming the seed that reproduces the run.
 * Everything happens in a temporary folder and on 127.0.0.1.
 */
import { execFileSync } from "node:child_process";
import { closeSync, constants, openSync } from "node:fs";
import {
  mkdir,
  mkdtemp,
  rename,
  rm,
  symlink,
  writeFile,
} from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { deflateSync } from "node:zlib";
import type { Archive, Statement } from "../../src/archive.ts";
import { MemoryArchive } from "../../src/archive.ts";
import { loadStatements, type LoadResult } from "../../src/ingest/load.ts";
import { parseQuery } from "../../src/query/params.ts";
import { createApp } from "../../src/web/app.ts";
import { urls } from "../../src/web/urls.ts";

const { values } = parseArgs({
  options: {
    seed: { type: "string" },
    queries: { type: "string", default: "10000" },
    files: { type: "string", default: "1200" },
    spellings: { type: "string", default: "1000" },
    saves: { type: "string", default: "40" },
    concurrency: { type: "string", default: "8" },
    "timeout-seconds": { type: "string", default: "15" },
  },
});
const SEED = values.seed ? Number(values.seed) : (Date.now() % 2 ** 31) >>> 0;
const QUERIES = Number(values.queries);
const FILES = Number(values.files);
const SPELLINGS = Number(values.spellings);
const SAVES = Number(values.saves);
const CONCURRENCY = Number(values.concurrency);
/** The longest a request or a folder read may take before it counts as a hang. */
const TIMEOUT_MS = Number(values["timeout-seconds"]) * 1000;

// mulberry32: small, seedable, good enough to pick test cases.
let state = SEED >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
const chance = (p: number) => random() < p;

/** A failure found: what was done, and what went wrong. */
interface Finding {
  phase: string;
  what: string;
  problem: string;
}
const findings: Finding[] = [];
const fail = (phase: string, what: string, problem: string) =>
  findings.push({ phase, what, problem });

// Readout logs each unexpected error with its stack; the run counts them and shows the
// failures instead, each once.
let logged = 0;
const serverErrors = new Map<string, number>();
console.error = (...args: unknown[]) => {
  logged++;
  const error = args.find((a): a is Error => a instanceof Error);
  const line = error
    ? `${error.name}: ${error.message} ${
        error.stack
          ?.split("\n")
          .find((l) => l.includes("/src/"))
          ?.trim() ?? ""
      }`
    : args.map(String).join(" ").slice(0, 200);
  serverErrors.set(line, (serverErrors.get(line) ?? 0) + 1);
};
const progress = (line: string) => process.stderr.write(`${line}\n`);

// A crash of any part of Readout surfaces here instead of ending the run.
process.on("uncaughtException", (err) =>
  fail("process", "uncaught exception", String(err?.stack ?? err)),
);
process.on("unhandledRejection", (err) =>
  fail("process", "unhandled rejection", String((err as Error)?.stack ?? err)),
);

// ---------------------------------------------------------------------------------------
// Material

const WORDS = [
  "ceasefire",
  "sanctions",
  "minister",
  "Karabakh",
  "Ağdam",
  "zeugma",
  "treaty",
  "peace",
  "joint",
  "statement",
  "Bayramov",
  "negotiations",
  "the",
  "of",
  "a",
  "NATO",
  "COVID-19",
  "São",
  "Zürich",
  "Москва",
  "北京",
  "القدس",
  "naïve",
];
const HOSTILE = [
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  "%",
  "%%",
  "%E0%A4%A",
  "\u0000",
  "\u0001\u0007\u001b[31m",
  "\ud800",
  "\udfff\ud800",
  "\u202e\u2066",
  "\u200b\u200d\ufeff",
  "🙂🏳️‍🌈",
  "e\u0301",
  "${7*7}",
  "{{constructor.constructor('x')()}}",
  "../../../etc/passwd",
  "..",
  ".",
  "C:\\Windows\\win.ini",
  "'; DROP TABLE statements; --",
  "\\",
  "\r\n\r\nX-Injected: 1",
  "__proto__",
  "constructor",
  "prototype",
];
const KEYS = [
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "prototype",
  "__defineGetter__",
  "isPrototypeOf",
];
const OPERATORS = [
  "AND",
  "OR",
  "NOT",
  "-",
  "+",
  "(",
  ")",
  '"',
  "“",
  "„",
  "«",
  "~",
  "~1",
  "~2",
  "~99",
  "*",
  "^2",
  ":",
];
const FIELDS = [
  "title:",
  "body:",
  "source:",
  "country:",
  "category:",
  "after:",
  "before:",
  "date:",
  ...KEYS.map((k) => `${k}:`),
];
const DATES = [
  "2023",
  "2023-09",
  "2023-09-07",
  "2023-13-45",
  "0000",
  "9999-99-99",
  "07 September 2023 20:51 (UTC +04:00)",
  "September 7, 2023",
  "yesterday",
  "-1",
  "1e309",
  "2023-09-07T20:51:00+04:00",
  " ".repeat(200) + "2023",
  "1".repeat(300),
];

function word(): string {
  const w = pick(WORDS);
  return chance(0.2) ? w.slice(0, 1 + int(w.length)) + pick(["*", "~", ""]) : w;
}

/** A query in the query language, or near it, hostile now and then. */
function queryText(): string {
  const parts: string[] = [];
  const n = chance(0.05) ? 60 + int(80) : 1 + int(8);
  for (let i = 0; i < n; i++) {
    const r = random();
    if (r < 0.45) parts.push(word());
    else if (r < 0.65) parts.push(pick(OPERATORS));
    else if (r < 0.8)
      parts.push(pick(FIELDS) + (chance(0.5) ? word() : pick(DATES)));
    else if (r < 0.9)
      parts.push(`"${word()} ${word()}"${chance(0.5) ? `~${int(60)}` : ""}`);
    else parts.push(pick(HOSTILE));
  }
  let q = parts.join(chance(0.1) ? "" : " ");
  if (chance(0.02)) q = q.repeat(1 + int(400)).slice(0, 4000 + int(6000));
  return q;
}

/** A search's parameters: the query, odd values, repeats and hostile names. */
function searchParams(): [string, string][] {
  const p: [string, string][] = [];
  if (chance(0.9)) p.push(["q", queryText()]);
  if (chance(0.1)) p.push(["q", queryText()]);
  if (chance(0.2))
    p.push(["mode", pick(["all", "any", "ANY", "", "__proto__", "x"])]);
  if (chance(0.2))
    p.push([
      "sort",
      pick(["relevance", "newest", "oldest", "constructor", "", "toString"]),
    ]);
  if (chance(0.2))
    p.push([
      "page",
      pick(["1", "2", "0", "-1", "1e309", "NaN", "99999999", "2.5", "abc", ""]),
    ]);
  if (chance(0.2))
    p.push(["size", pick(["1", "100", "101", "0", "-5", "1e9", "x"])]);
  if (chance(0.2)) p.push(["from", pick(DATES)]);
  if (chance(0.2)) p.push(["to", pick(DATES)]);
  if (chance(0.2))
    p.push(["year", pick(["2023", "2023", "0", "x", "2023-01"])]);
  if (chance(0.2))
    p.push([
      pick(["source", "country", "category"]),
      pick([...WORDS, ...HOSTILE]),
    ]);
  if (chance(0.15)) p.push([pick(KEYS), pick([...WORDS, ...HOSTILE])]);
  if (chance(0.05)) p.push([`${pick(KEYS)}[${pick(KEYS)}]`, "1"]);
  if (chance(0.05)) p.push([pick(HOSTILE), pick(HOSTILE)]);
  if (chance(0.05)) p.push(["m", pick(["1", "0", "-3", "999999", "x"])]);
  if (chance(0.03)) p.push(["all", pick(["1", "true", ""])]);
  return p;
}

function encode(p: [string, string][]): string {
  return p.map(([k, v]) => `${escape(k)}=${escape(v)}`).join("&");
}

// encodeURIComponent refuses a lone surrogate; it goes as the bytes a careless client sends
// for one (CESU-8), which are not UTF-8.
function escape(text: string): string {
  return encodeURIComponent(text.replace(/\p{Cs}/gu, "\ue000")).replace(
    /%EE%80%80/g,
    "%ED%A0%80",
  );
}

interface Request {
  kind: string;
  method: string;
  path: string;
  body?: string;
}

/** One request to the app: a search in any format, a statement, a suggestion, a batch … */
function request(ids: string[]): Request {
  const r = random();
  const qs = () => encode(searchParams());
  if (r < 0.35)
    return { kind: "search", method: "GET", path: `/search?${qs()}` };
  if (r < 0.55)
    return { kind: "search.json", method: "GET", path: `/search.json?${qs()}` };
  if (r < 0.6)
    return {
      kind: "export",
      method: "GET",
      path: `/search.${pick(["csv", "jsonl"])}?${qs()}`,
    };
  if (r < 0.64)
    return { kind: "feed", method: "GET", path: `/search.atom?${qs()}` };
  if (r < 0.66)
    return {
      kind: "head",
      method: "HEAD",
      path: `/search.${pick(["csv", "jsonl", "json", "atom"])}?${qs()}`,
    };
  if (r < 0.78) {
    const id = chance(0.7)
      ? pick(ids)
      : pick([...HOSTILE, ...KEYS, queryText()]);
    let p: string;
    try {
      p = urls.statement(
        id,
        chance(0.5) ? { q: queryText() } : {},
        chance(0.3) ? "json" : "html",
      );
    } catch {
      p = `/statements/${pick(KEYS)}`;
    }
    return { kind: "statement", method: "GET", path: p };
  }
  if (r < 0.86)
    return {
      kind: "suggest",
      method: "GET",
      path: `/suggest?${encode([["q", queryText()]])}`,
    };
  if (r < 0.9) {
    const lines = Array.from(
      { length: 1 + int(chance(0.1) ? 500 : 20) },
      queryText,
    ).join("\n");
    return {
      kind: "batch",
      method: "POST",
      path: pick(["/batch", "/batch.csv"]) + (chance(0.5) ? `?${qs()}` : ""),
      body: encode([
        ["lines", lines],
        ...searchParams().filter(() => chance(0.3)),
      ]),
    };
  }
  if (r < 0.94)
    return {
      kind: "page",
      method: "GET",
      path:
        pick([
          "/",
          "/about",
          "/about.json",
          "/help",
          "/batch",
          "/opensearch.xml",
          "/style.css",
          "/favicon.svg",
        ]) + (chance(0.3) ? `?${qs()}` : ""),
    };
  if (r < 0.97)
    return {
      kind: "method",
      method: pick(["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]),
      path: pick([
        "/search",
        "/search.json",
        "/about",
        "/statements/x",
        "/nowhere",
      ]),
    };
  return {
    kind: "odd path",
    method: "GET",
    path: pick([
      "/%2e%2e/%2e%2e/etc/passwd",
      "/statements/%E0%A4%A",
      "/statements/",
      "/statements/%00",
      `/${pick(KEYS)}`,
      `/search/${pick(KEYS)}`,
      "//search",
      "/search.json/..",
      `/statements/${"a/".repeat(200)}`,
      "/search.xml",
      `/${escape(pick(HOSTILE))}`,
    ]),
  };
}

// ---------------------------------------------------------------------------------------
// Sending

interface Answer {
  status: number;
  body: string;
  ms: number;
  location?: string;
}

function send(base: URL, req: Request, agent: http.Agent): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const r = http.request(
      {
        host: base.hostname,
        port: base.port,
        method: req.method,
        path: req.path,
        agent,
        headers: req.body
          ? { "content-type": "application/x-www-form-urlencoded" }
          : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          // The start is enough to name a failure.
          if (size < 4096) chunks.push(c);
          size += c.length;
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            ms: performance.now() - started,
            ...(res.headers.location ? { location: res.headers.location } : {}),
          }),
        );
        res.on("error", reject);
      },
    );
    r.setTimeout(TIMEOUT_MS, () =>
      r.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)),
    );
    r.on("error", reject);
    r.end(req.body);
  });
}

async function serveOnLoopback(archive: Archive) {
  const server = http.createServer(createApp(archive, { env: "production" }));
  server.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: new URL(`http://127.0.0.1:${port}`),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Runs requests with bounded concurrency, keeping the counts and the failures. */
async function drive(
  phase: string,
  base: URL,
  requests: Iterable<Request>,
  counts: Map<string, number>,
) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const iterator = requests[Symbol.iterator]();
  let slowest = { ms: 0, what: "" };
  let sent = 0;
  const pending = new Set<string>();
  const watch = setInterval(() => {
    if (process.env.FUZZ_DEBUG)
      progress(
        `  pending: ${[...pending].map((p) => p.slice(0, 120)).join(" | ")}`,
      );
  }, 5000);
  const worker = async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      const req = next.value;
      if (++sent % 1000 === 0) progress(`  ${phase}: ${sent} sent`);
      const what = `${req.method} ${req.path.slice(0, 300)}${req.path.length > 300 ? `… (${req.path.length} chars)` : ""}`;
      pending.add(what);
      try {
        const answer = await send(base, req, agent);
        const key = `${req.kind} ${answer.status}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        if (answer.ms > slowest.ms) slowest = { ms: answer.ms, what };
        if (answer.status >= 500 && answer.status !== 503)
          fail(phase, what, `${answer.status}: ${firstLine(answer.body)}`);
      } catch (err) {
        counts.set(
          `${req.kind} error`,
          (counts.get(`${req.kind} error`) ?? 0) + 1,
        );
        fail(phase, what, (err as Error).message);
      } finally {
        pending.delete(what);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  clearInterval(watch);
  agent.destroy();
  return slowest;
}

function firstLine(body: string): string {
  const text =
    body.match(/<p>([^<]*)<\/p>/)?.[1] ??
    body.replace(/\s+/g, " ").slice(0, 200);
  return text.trim();
}

// ---------------------------------------------------------------------------------------
// Queries against an archive of generated statements

function generatedStatements(n: number): Statement[] {
  return Array.from({ length: n }, (_, i) => {
    const meta: Record<string, string> = Object.create(null);
    meta.category = pick(["fact-sheets", "readouts", "speeches"]);
    meta.country = pick(["Azerbaijan", "Türkiye", "Belgium", "Ukraine"]);
    return {
      id: chance(0.1) ? `odd/${pick(HOSTILE)}/${i}` : `gen-${i}`,
      title: Array.from({ length: 3 + int(8) }, word).join(" "),
      body: Array.from({ length: 1 + int(4) }, () =>
        Array.from({ length: 10 + int(80) }, () =>
          chance(0.02) ? pick(HOSTILE) : word(),
        ).join(" "),
      ).join("\n\n"),
      ...(chance(0.9)
        ? {
            date: `${2015 + int(10)}-${String(1 + int(12)).padStart(2, "0")}-${String(1 + int(28)).padStart(2, "0")}`,
          }
        : {}),
      ...(chance(0.9)
        ? { source: pick(["The White House", "MFA", "Council of the EU"]) }
        : {}),
      ...(chance(0.5) ? { url: `https://example.org/${i}` } : {}),
      meta,
      origin: { file: "generated.jsonl", line: i + 1 },
    };
  });
}

async function fuzzQueries(counts: Map<string, number>) {
  const statements = generatedStatements(400);
  const ids = [...new Set(statements.map((s) => s.id))];
  const archive = MemoryArchive.fromStatements(statements);
  const served = await serveOnLoopback(archive);
  const requests = function* () {
    for (let i = 0; i < QUERIES; i++) yield request(ids);
  };
  const started = performance.now();
  const slowest = await drive("queries", served.base, requests(), counts);
  await served.close();
  return { seconds: (performance.now() - started) / 1000, slowest };
}

// ---------------------------------------------------------------------------------------
// Path spellings: each page is taken at one spelling; any other is redirected there or not
// found, never answered as it is (admission is by route: a spelling that reached a page would
// skip it).

const PAGES = [
  "/",
  "/search",
  "/search.json",
  "/search.csv",
  "/search.jsonl",
  "/search.atom",
  "/batch",
  "/batch.csv",
  "/about",
  "/about.json",
  "/help",
  "/suggest",
  "/opensearch.xml",
  "/statements/gen-1",
  "/statements/gen-1/diff/gen-2",
  "/-/health",
];

/** Another spelling of `page`: its letters' case, trailing slashes, escapes, dots. */
function respell(page: string): string {
  const letters = [...page].map((c) => {
    const r = random();
    if (/[a-z]/.test(c) && r < 0.3) return c.toUpperCase();
    if (/[a-z.]/.test(c) && r < 0.4)
      return `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
    return c;
  });
  let path = letters.join("");
  if (chance(0.4)) path += "/".repeat(1 + int(3));
  if (chance(0.1)) path = path.replace(/^\//, "//");
  if (chance(0.1)) path += "/.";
  if (chance(0.05)) path = path.replace("/", "/./");
  return path;
}

async function fuzzSpellings(counts: Map<string, number>) {
  const statements = generatedStatements(50);
  const archive = MemoryArchive.fromStatements(statements);
  const served = await serveOnLoopback(archive);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    for (let i = 0; i < SPELLINGS; i++) {
      const page = pick(PAGES);
      const spelled = respell(page);
      if (spelled === page) continue;
      const method = page.startsWith("/batch") && chance(0.5) ? "POST" : "GET";
      const query = chance(0.5) ? `?${encode(searchParams())}` : "";
      const what = `${method} ${spelled}${query}`.slice(0, 300);
      try {
        const answer = await send(
          served.base,
          {
            kind: "spelling",
            method,
            path: spelled + query,
            ...(method === "POST" ? { body: "lines=flood" } : {}),
          },
          agent,
        );
        counts.set(
          `spelling ${answer.status}`,
          (counts.get(`spelling ${answer.status}`) ?? 0) + 1,
        );
        if (answer.status >= 500 && answer.status !== 503)
          fail(
            "spellings",
            what,
            `${answer.status}: ${firstLine(answer.body)}`,
          );
        else if (answer.status < 300)
          fail("spellings", what, `answered ${answer.status} as it is spelled`);
        else if (answer.status === 308) {
          const location = answer.location ?? "";
          if (!location.startsWith("/") || /^\/[/\\]/.test(location))
            fail("spellings", what, `redirected off the site: ${location}`);
        }
      } catch (err) {
        fail("spellings", what, (err as Error).message);
      }
    }
  } finally {
    agent.destroy();
    await served.close();
  }
}

// ---------------------------------------------------------------------------------------
// Save patterns: files saved as editors and tools save them, while the folder is followed.

const SAVES_BY = {
  "in place": (file: string, text: string) => writeFile(file, text),
  "temporary file renamed over": async (file: string, text: string) => {
    const temporary = path.join(path.dirname(file), `sed${int(1e6)}`);
    await writeFile(temporary, text);
    await rename(temporary, file);
  },
  "delete and create": async (file: string, text: string) => {
    await rm(file, { force: true });
    await writeFile(file, text);
  },
  "cp over": async (file: string, text: string) => {
    const source = `${file}.source`;
    await writeFile(path.join(tmpdir(), path.basename(source)), text);
    execFileSync("cp", [path.join(tmpdir(), path.basename(source)), file]);
  },
  "rsync's hidden temporary file": async (file: string, text: string) => {
    const temporary = path.join(
      path.dirname(file),
      `.${path.basename(file)}.${int(1e6).toString(36)}`,
    );
    await writeFile(temporary, text);
    await rename(temporary, file);
  },
} as const;

async function fuzzSaves(root: string, counts: Map<string, number>) {
  const data = path.join(root, "saves");
  await mkdir(path.join(data, "sub"), { recursive: true });
  const files = ["one.txt", "two.md", "sub/three.txt"];
  const texts = new Map<string, string[]>();
  // A Markdown file's title is its heading; a text file's, its first line.
  const body = (file: string, n: number) =>
    `${file.endsWith(".md") ? "# " : ""}Saved ${file} ${n}\n\nThis text holds the word ${savedWord(n)} and no other new one.`;
  let n = 0;
  for (const file of files) {
    await writeFile(path.join(data, file), body(file, n));
    texts.set(file, [body(file, n++)]);
  }
  const archive = MemoryArchive.fromFolder({
    dataDir: data,
    cacheDir: path.join(data, ".readout-cache"),
    history: true,
  });
  await archive.open();
  archive.follow();
  const found = async (word: string) =>
    (await archive.search(parseQuery({ q: word }))).total === 1;
  try {
    for (let i = 0; i < SAVES; i++) {
      const file = pick(files);
      const [how, save] = pick(Object.entries(SAVES_BY));
      const text = body(file, n);
      await save(path.join(data, file), text);
      texts.get(file)!.push(text);
      let searchable = false;
      for (let wait = 0; wait < 50 && !searchable; wait++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        searchable = await found(savedWord(n));
      }
      counts.set(`save ${how}`, (counts.get(`save ${how}`) ?? 0) + 1);
      if (!searchable)
        fail("saves", `${how}: ${file}`, "not searchable within 5 s");
      n++;
    }
    for (const [file, kept] of texts) {
      const id = file.replace(/\.[a-z]+$/, "");
      const view = await archive.statement(id, parseQuery({}));
      const titles = (view?.history ?? []).map((h) => h.title);
      const expected =
        kept.length > 1
          ? kept.map((t) => t.split("\n")[0]!.replace(/^# /, ""))
          : [];
      if (JSON.stringify(titles) !== JSON.stringify(expected))
        fail(
          "saves",
          `history of ${file}`,
          `kept ${JSON.stringify(titles)}, expected ${JSON.stringify(expected)}`,
        );
    }
  } finally {
    await archive.close();
  }
}

// A word per save that no other text holds: "sv" and the number in letters.
function savedWord(n: number): string {
  return `sv${[...String(n)].map((d) => "abcdefghij"[Number(d)]).join("")}`;
}

// ---------------------------------------------------------------------------------------
// Files

/** What a generated file should become: statements, a reported problem, or either. */
type Expect = "statements" | "problem" | "either";
interface GeneratedFile {
  rel: string;
  expect: Expect;
  kind: string;
}

function record(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: Array.from({ length: 3 + int(6) }, word).join(" "),
    body: Array.from({ length: 10 + int(40) }, word).join(" "),
    ...(chance(0.7) ? { date: pick(DATES) } : {}),
    ...(chance(0.5)
      ? { source: pick(["MFA", "The White House", pick(HOSTILE)]) }
      : {}),
    ...extra,
  };
}

function hostileKeys(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of KEYS.filter(() => chance(0.5)))
    Object.defineProperty(out, key, {
      value: pick(["x", pick(HOSTILE), 1, { nested: 1 }]),
      enumerable: true,
    });
  return out;
}

const NAME_PARTS = [
  "note",
  "Ağdam",
  "東京",
  "🙂",
  "بيان",
  "e\u0301",
  "\u200b",
  " spaced ",
  "#hash",
  "%20",
  "?q",
  "&amp",
  "'quote'",
  '"dq"',
  "a..b",
  "-rf",
  "\nnewline",
  "tab\t",
  "UPPER",
  "back\\slash",
  "*star",
  "[x]",
];

function fileName(i: number, ext: string): string {
  if (chance(0.05))
    return `${"L".repeat(180 + int(60))}-${i}${ext}`.slice(-250);
  const parts = Array.from({ length: 1 + int(3) }, () => pick(NAME_PARTS));
  return `${parts.join("")}-${i}${ext}`;
}

/** File content for a format, good or broken; returns it with what it should become. */
function content(ext: string): {
  data: string | Buffer;
  expect: Expect;
  kind: string;
} {
  const r = random();
  if (r < 0.05) return { data: "", expect: "problem", kind: "empty" };
  if (r < 0.09)
    return {
      data: Buffer.from([0xff, 0xfe, 0x00, 0x41, 0xc3, 0x28, 0x80]),
      expect: "problem",
      kind: "bad encoding",
    };
  if (r < 0.12)
    return {
      data: Buffer.from(Array.from({ length: 512 }, () => int(256))),
      expect: "problem",
      kind: "binary",
    };
  const rec = record(chance(0.3) ? hostileKeys() : {});
  if (chance(0.03)) rec.body = "huge ".repeat(200_000 + int(200_000));
  if (chance(0.03)) rec.title = "T".repeat(100_000);
  switch (ext) {
    case ".txt":
      if (chance(0.1))
        return {
          data: "Only a title\n",
          expect: "either",
          kind: "txt without body",
        };
      return {
        data:
          (chance(0.2) ? "\ufeff" : "") +
          `${rec.title}\n\n${chance(0.5) ? `# ${pick(DATES)}\n\n` : ""}${rec.body}`.replace(
            /\n/g,
            chance(0.2) ? "\r\n" : "\n",
          ),
        expect: "statements",
        kind: "txt",
      };
    case ".md": {
      if (chance(0.1))
        return {
          data: "---\ntitle: [unclosed\n: : :\n---\nbody",
          expect: "problem",
          kind: "md bad yaml",
        };
      if (chance(0.05))
        return {
          data: "---\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n---\n# T\n\nbody",
          expect: "either",
          kind: "md yaml aliases",
        };
      const front = Object.entries(rec)
        .map(
          ([k, v]) =>
            `${JSON.stringify(k)}: ${JSON.stringify(typeof v === "string" ? v : JSON.stringify(v))}`,
        )
        .join("\n");
      return {
        data: `---\n${front}\n---\n\n${rec.body}\n`,
        expect: "statements",
        kind: "md",
      };
    }
    case ".json": {
      if (chance(0.1))
        return {
          data: '[{"title": ',
          expect: "problem",
          kind: "json truncated",
        };
      if (chance(0.05))
        return {
          data: "[".repeat(100_000) + "]".repeat(100_000),
          expect: "problem",
          kind: "json deep",
        };
      if (chance(0.05))
        return {
          data: JSON.stringify({ not: "an array" }),
          expect: "problem",
          kind: "json object",
        };
      const records = Array.from({ length: 1 + int(5) }, () =>
        record(chance(0.3) ? hostileKeys() : {}),
      );
      return {
        data: JSON.stringify([rec, ...records]),
        expect: "statements",
        kind: "json",
      };
    }
    default: {
      const lines = [
        rec,
        ...Array.from({ length: int(8) }, () =>
          record(chance(0.3) ? hostileKeys() : {}),
        ),
      ].map((x) => JSON.stringify(x));
      let expect: Expect = "statements";
      if (chance(0.2)) {
        lines.splice(
          int(lines.length),
          0,
          pick([
            "{not json",
            "[1,2]",
            "null",
            '{"title": ""}',
            '{"__proto__": {"polluted": 1}}',
          ]),
        );
        expect = "either";
      }
      if (chance(0.1)) lines.push("");
      return { data: lines.join("\n") + "\n", expect, kind: "jsonl" };
    }
  }
}

async function writeDataFolder(
  dir: string,
  outside: string,
): Promise<GeneratedFile[]> {
  const files: GeneratedFile[] = [];
  const exts = [".txt", ".md", ".markdown", ".json", ".jsonl", ".ndjson"];
  const folders = [
    "",
    "sub",
    "Azerbaijan MFA",
    "deep/er/and/deeper/still",
    "ünï cødé",
    `${"d".repeat(200)}`,
  ];
  for (let i = 0; files.length < FILES; i++) {
    const folder = pick(folders);
    const r = random();
    let rel: string;
    let data: string | Buffer;
    let expect: Expect;
    let kind: string;
    if (r < 0.05) {
      // A format Readout may not read (yet): skipped with a note, or read.
      rel = path.join(
        folder,
        fileName(i, pick([".pdf", ".docx", ".html", ".csv", ".TXT", ""])),
      );
      data = Buffer.from(Array.from({ length: 64 }, () => int(256)));
      expect = "either";
      kind = "other format";
    } else {
      const ext = pick(exts);
      rel = path.join(folder, fileName(i, ext));
      ({ data, expect, kind } = content(
        ext === ".markdown" ? ".md" : ext === ".ndjson" ? ".jsonl" : ext,
      ));
      // .TXT is read as .txt: the extension's case does not matter.
      if (ext === ".txt" && chance(0.05)) rel = rel.replace(/\.txt$/, ".TXT");
    }
    const abs = path.join(dir, rel);
    await mkdir(path.dirname(abs), { recursive: true });
    try {
      await writeFile(abs, data);
    } catch (err) {
      // A name the file system refuses (too long with its folder) is not a test of Readout.
      if ((err as NodeJS.ErrnoException).code === "ENAMETOOLONG") continue;
      throw err;
    }
    files.push({ rel: rel.split(path.sep).join("/"), expect, kind });
  }
  // Links inside the folder: to a file, and to a folder above them (a loop the walk must cut).
  const target = files.find((f) => f.expect === "statements")!;
  await symlink(path.join(dir, target.rel), path.join(dir, "alias-inside.txt"));
  files.push({
    rel: "alias-inside.txt",
    expect: "either",
    kind: "link inside",
  });
  await mkdir(path.join(dir, "sub"), { recursive: true });
  await symlink("..", path.join(dir, "sub", "up"));
  // A link out of the folder, to a statement that must never be read.
  await writeFile(
    path.join(outside, "secret.txt"),
    "SECRET OUTSIDE\n\nThis file is outside the data folder.\n",
  );
  await symlink(
    path.join(outside, "secret.txt"),
    path.join(dir, "secret-link.txt"),
  );
  files.push({
    rel: "secret-link.txt",
    expect: "problem",
    kind: "link outside",
  });
  return files;
}

/** Reads a folder with a bound on time; a FIFO that hangs the read is then given an end. */
async function boundedLoad(
  dir: string,
  fifos: string[] = [],
  bound = TIMEOUT_MS,
): Promise<LoadResult | "hung"> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<"hung">((resolve) => {
    timer = setTimeout(() => resolve("hung"), bound);
  });
  const result = await Promise.race([loadStatements(dir), hung]);
  clearTimeout(timer);
  if (result === "hung")
    for (const fifo of fifos) {
      // A writer that opens and closes gives a reader blocked in open() its end of file.
      try {
        closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // No reader any more.
      }
    }
  return result;
}

async function fuzzFiles(root: string, counts: Map<string, number>) {
  const dir = path.join(root, "data");
  const outside = path.join(root, "outside");
  await mkdir(dir, { recursive: true });
  await mkdir(outside, { recursive: true });
  const files = await writeDataFolder(dir, outside);
  for (const f of files) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);

  progress(`  files: ${files.length} written; reading`);
  // Megabytes of generated text on a shared machine: a bound for a hang, not a speed test.
  const loaded = await boundedLoad(dir, [], 10 * TIMEOUT_MS);
  if (loaded === "hung") {
    fail(
      "files",
      dir,
      `reading the folder took more than ${(10 * TIMEOUT_MS) / 1000} s`,
    );
    return { files: files.length, statements: 0, problems: 0, pages: 0 };
  }
  const reported = new Set(loaded.problems.map((p) => p.file));
  const withStatements = new Set(loaded.statements.map((s) => s.origin.file));
  for (const f of files) {
    if (f.expect === "problem" && !reported.has(f.rel))
      fail(
        "files",
        `${f.kind}: ${JSON.stringify(f.rel)}`,
        withStatements.has(f.rel)
          ? "read as statements, expected a reported problem"
          : "neither read nor reported",
      );
    if (
      f.expect === "statements" &&
      !withStatements.has(f.rel) &&
      !reported.has(f.rel)
    )
      fail(
        "files",
        `${f.kind}: ${JSON.stringify(f.rel)}`,
        "neither read nor reported",
      );
  }
  if (loaded.statements.some((s) => s.title.includes("SECRET OUTSIDE")))
    fail(
      "files",
      "secret-link.txt → a file outside the data folder",
      "its content was indexed",
    );

  // The real app over the same folder, through the library that serves it.
  const archive = MemoryArchive.fromFolder({
    dataDir: dir,
    cacheDir: null,
    log: () => {},
  });
  progress(
    `  files: ${loaded.statements.length} statements; opening the archive`,
  );
  await archive.open();
  const served = await serveOnLoopback(archive);
  const pages = function* () {
    for (const s of loaded.statements) {
      yield {
        kind: "file statement",
        method: "GET",
        path: urls.statement(s.id),
      };
      yield {
        kind: "file statement",
        method: "GET",
        path: urls.statement(s.id, { q: s.title.split(" ")[0] ?? "" }, "json"),
      };
    }
    for (const q of ["the", "ceasefire", "", "statement"]) {
      yield { kind: "file search", method: "GET", path: `/search?q=${q}` };
      yield {
        kind: "file search",
        method: "GET",
        path: `/search.json?q=${q}&source=MFA&${pick(KEYS)}=x`,
      };
    }
    yield { kind: "file about", method: "GET", path: "/about.json" };
  };
  await drive("files", served.base, pages(), counts);
  await served.close();
  await archive.close();
  return {
    files: files.length,
    statements: loaded.statements.length,
    problems: loaded.problems.length,
    pages: loaded.statements.length * 2,
  };
}

/** Special files, each alone in a folder: the read must end, report them and stay inside. */
async function fuzzSpecials(root: string, counts: Map<string, number>) {
  const cases: [string, (dir: string) => Promise<string[]>][] = [
    [
      "FIFO named x.txt",
      async (dir) => {
        execFileSync("mkfifo", [path.join(dir, "x.txt")]);
        return [path.join(dir, "x.txt")];
      },
    ],
    [
      "link to /dev/null named null.txt",
      async (dir) => {
        await symlink("/dev/null", path.join(dir, "null.txt"));
        return [];
      },
    ],
    [
      "link loop loop.md → loop.md",
      async (dir) => {
        await symlink("loop.md", path.join(dir, "loop.md"));
        return [];
      },
    ],
    [
      "dangling link gone.txt",
      async (dir) => {
        await symlink("nowhere.txt", path.join(dir, "gone.txt"));
        return [];
      },
    ],
    [
      "link to a folder outside, etcdir",
      async (dir) => {
        const elsewhere = path.join(root, "elsewhere");
        await mkdir(elsewhere, { recursive: true });
        await writeFile(
          path.join(elsewhere, "secret.txt"),
          "SECRET OUTSIDE\n\nbody\n",
        );
        await symlink(elsewhere, path.join(dir, "etcdir"));
        return [];
      },
    ],
  ];
  for (const [i, [name, make]] of cases.entries()) {
    const dir = path.join(root, `special-${i}`);
    await mkdir(dir, { recursive: true });
    await writeFile(
      path.join(dir, "ok.txt"),
      "A readable statement\n\nIts body.\n",
    );
    const fifos = await make(dir);
    counts.set(name, 1);
    progress(`  specials: ${name}`);
    let loaded: LoadResult | "hung";
    try {
      loaded = await boundedLoad(dir, fifos);
    } catch (err) {
      fail(
        "specials",
        name,
        `reading the folder threw: ${(err as Error).message}`,
      );
      continue;
    }
    if (loaded === "hung") {
      fail(
        "specials",
        name,
        `reading the folder did not end within ${TIMEOUT_MS / 1000} s`,
      );
      continue;
    }
    const others = loaded.problems.filter((p) => p.file !== "ok.txt");
    if (loaded.statements.some((s) => s.title.includes("SECRET")))
      fail("specials", name, "a file outside the data folder was indexed");
    if (!loaded.statements.some((s) => s.origin.file === "ok.txt"))
      fail("specials", name, "the readable statement beside it was lost");
    const extra = loaded.statements.filter((s) => s.origin.file !== "ok.txt");
    if (others.length === 0)
      fail(
        "specials",
        name,
        extra.length
          ? `read as ${extra.length} statement(s), not reported`
          : "not reported",
      );
    // Served and followed for a moment, as `readout serve` does: the watcher meets the
    // special file too, and an error it emits must not end the process.
    if (fifos.length === 0) {
      const before = findings.length;
      const archive = MemoryArchive.fromFolder({
        dataDir: dir,
        cacheDir: null,
        log: () => {},
      });
      await archive.open();
      archive.follow();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await archive.close();
      for (const f of findings.slice(before))
        f.what = `${name}, followed: ${f.what}`;
    }
  }
}

/**
 * Bombs (issue 23): a folder of PDFs whose Flate streams unpack to a gigabyte or more, and
 * web pages nested tens of thousands deep, read with a normal page beside them. Each bomb
 * must be refused (PDF) or read with its nesting capped (HTML), each with a reason; the
 * normal page must be read; the process's peak RSS, sampled while reading, must stay under
 * 1 GB; the whole read must end within the hang bound.
 */
async function fuzzBombs(root: string, counts: Map<string, number>) {
  const dir = path.join(root, "bombs");
  await mkdir(dir, { recursive: true });
  const sizes = [1280, 1024 + int(512), 768 + int(512)].map(
    (mb) => mb * 2 ** 20,
  );
  for (const [i, size] of sizes.entries()) {
    // Deflated zeros pack about a thousand to one: a 1.3 MB file that unpacks to 1.28 GB.
    const packed = deflateSync(Buffer.alloc(size), { level: 9 });
    await writeFile(
      path.join(dir, `bomb-${i}.pdf`),
      Buffer.concat([
        Buffer.from(
          `%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>\nendobj\n4 0 obj\n<< /Length ${packed.length} /Filter /FlateDecode >>\nstream\n`,
        ),
        packed,
        Buffer.from("\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"),
      ]),
    );
    counts.set("pdf bomb", (counts.get("pdf bomb") ?? 0) + 1);
  }
  const depth = 20_000 + int(40_000);
  const tags = ["div", "span", "b", "section", "em"];
  const nested = Array.from({ length: depth }, () => `<${pick(tags)}>`).join(
    "",
  );
  await writeFile(
    path.join(dir, "nested.html"),
    `<html><head><title>Deep page statement</title></head><body>${nested}<p>The text at the bottom of a deep page.</p></body></html>`,
  );
  counts.set("html bomb", (counts.get("html bomb") ?? 0) + 1);
  await writeFile(
    path.join(dir, "normal.html"),
    "<html><head><title>Normal statement</title></head><body><h1>Normal statement</h1><p>The ministry published its annual report on fisheries today.</p></body></html>",
  );
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  const loaded = await boundedLoad(dir, [], 10 * TIMEOUT_MS);
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  const what = `PDFs unpacking to ${sizes.map((b) => `${(b / 2 ** 30).toFixed(2)} GB`).join(", ")}, a page nested ${depth} deep`;
  if (loaded === "hung")
    return fail("bombs", what, `reading took over ${10 * TIMEOUT_MS} ms`);
  if (peak > 2 ** 30)
    fail(
      "bombs",
      what,
      `peak RSS ${(peak / 2 ** 20).toFixed(0)} MB, over 1 GB`,
    );
  for (let i = 0; i < sizes.length; i++) {
    const p = loaded.problems.find((x) => x.file === `bomb-${i}.pdf`);
    if (!p || p.kept || !/decompression bomb/.test(p.message))
      fail("bombs", `bomb-${i}.pdf`, `not refused as a bomb: ${p?.message}`);
  }
  const deep = loaded.problems.find((x) => x.file === "nested.html");
  if (!deep || !/nested|elements/.test(deep.message))
    fail(
      "bombs",
      "nested.html",
      `no report of what was capped: ${deep?.message}`,
    );
  if (!loaded.statements.some((s) => s.title === "Normal statement"))
    fail(
      "bombs",
      "normal.html",
      "the normal page beside the bombs was not read",
    );
  console.log(
    `bombs: ${what}: read in ${seconds.toFixed(1)} s, peak RSS ${(peak / 2 ** 20).toFixed(0)} MB`,
  );
}

// ---------------------------------------------------------------------------------------

const root = await mkdtemp(path.join(tmpdir(), "readout-fuzz-"));
const queryCounts = new Map<string, number>();
const fileCounts = new Map<string, number>();
const started = performance.now();
console.log(
  `fuzz: seed ${SEED}; ${QUERIES.toLocaleString("en")} queries, ${FILES.toLocaleString("en")} files, in ${root}`,
);
try {
  const q = await fuzzQueries(queryCounts);
  console.log(
    `queries: ${QUERIES.toLocaleString("en")} in ${q.seconds.toFixed(1)} s; slowest ${q.slowest.ms.toFixed(0)} ms: ${q.slowest.what.slice(0, 160)}`,
  );
  console.log(
    `  ${[...queryCounts]
      .sort()
      .map(([k, n]) => `${k}: ${n}`)
      .join(", ")}`,
  );
  const f = await fuzzFiles(root, fileCounts);
  console.log(
    `files: ${f.files.toLocaleString("en")} written; ${f.statements.toLocaleString("en")} statements, ${f.problems.toLocaleString("en")} problems reported; ${f.pages.toLocaleString("en")} statement pages asked for`,
  );
  await fuzzSpecials(root, fileCounts);
  await fuzzBombs(root, fileCounts);
  await fuzzSpellings(queryCounts);
  console.log(
    `spellings: ${SPELLINGS.toLocaleString("en")} paths in other spellings; ${[
      ...queryCounts,
    ]
      .filter(([k]) => k.startsWith("spelling"))
      .map(([k, n]) => `${k.slice(9)}: ${n}`)
      .join(", ")}`,
  );
  await fuzzSaves(root, fileCounts);
  console.log(`saves: ${SAVES} saves of followed files, each way at random`);
  console.log(
    `  ${[...fileCounts]
      .sort()
      .map(([k, n]) => `${k}: ${n}`)
      .join(", ")}`,
  );
} catch (err) {
  fail("fuzz", "the run itself", String((err as Error)?.stack ?? err));
} finally {
  await rm(root, { recursive: true, force: true });
}

// One line per kind of failure: the first example, and how many more.
const kinds = new Map<string, Finding[]>();
for (const f of findings) {
  const key = `${f.phase}: ${f.problem
    .split("\n")[0]!
    .replace(/"[^"]*"/g, '"…"')
    .slice(0, 160)}`;
  kinds.set(key, [...(kinds.get(key) ?? []), f]);
}
console.log(
  `\n${findings.length} failure(s) of ${kinds.size} kind(s) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
for (const [key, list] of kinds) {
  const first = list[0]!;
  console.log(
    `- ${key} (×${list.length})\n    e.g. ${first.what.slice(0, 300)}\n    ${first.problem.split("\n").slice(0, 4).join("\n    ")}`,
  );
}
if (serverErrors.size) {
  console.log("\nErrors the server logged, by kind:");
  for (const [line, n] of [...serverErrors]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15))
    console.log(`  ×${n} ${line.slice(0, 300)}`);
}
if (findings.length) {
  console.log(
    `\nReproduce with: npm run fuzz -- --seed ${SEED} --queries ${QUERIES} --files ${FILES} --spellings ${SPELLINGS} --saves ${SAVES}`,
  );
  process.exitCode = 1;
}
// Timers of the archive (watchers, saves) must not keep a finished run alive.
setTimeout(() => process.exit(), 1000).unref();
