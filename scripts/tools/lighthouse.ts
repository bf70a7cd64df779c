/**
 * Lighthouse (accessibility, best practices, SEO, performance) over the pages a new user
 * meets first: home, results, a statement, /help, /advanced. It serves a folder with the real
 * CLI on a free port of 127.0.0.1 and runs Lighthouse in Debian's Chromium, one page after
 * another. Not part of `npm test`: each page takes Chromium tens of seconds, and performance
 * depends on how busy the machine is.
 *
 *   npm run lighthouse [-- --data DIR] [-- --out DIR]
 *
 * Lighthouse is fetched by `npx --yes` at a pinned version rather than kept as a
 * devDependency: it brings 146 packages, 110 MB (Puppeteer and Sentry among them), that every
 * `npm ci` would install for a check run by hand, and 12.2.3 is the last release whose lock
 * `npm ci` takes on Node 20. Prints each page's scores and every audit that did not pass;
 * exits 1 when accessibility, best practices or SEO is under 100 on any page (performance is
 * reported, not judged: it is a timing).
 */
import { spawn } from "node:child_process";
import { mkdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { urls } from "../../src/web/urls.ts";

const LIGHTHOUSE = "lighthouse@12.2.3";
const CATEGORIES = ["accessibility", "best-practices", "seo", "performance"];
const JUDGED = new Set(["accessibility", "best-practices", "seo"]);
const CHROME_FLAGS =
  "--headless --no-sandbox --disable-gpu --disable-background-networking";

const root = path.resolve(import.meta.dirname, "..", "..");
const { values } = parseArgs({
  options: {
    data: { type: "string", default: path.join(root, "data") },
    out: {
      type: "string",
      default: path.join(os.tmpdir(), "readout-lighthouse"),
    },
  },
});
const out = values.out!;
await mkdir(out, { recursive: true });

const server = spawn(
  process.execPath,
  [
    "--import",
    "tsx",
    path.join(root, "src/cli.ts"),
    "--data",
    values.data!,
    "--port",
    "0",
    "--no-cache",
    "--read-only",
  ],
  { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
);
const base = await new Promise<string>((resolve, reject) => {
  let said = "";
  server.stdout!.on("data", (chunk: Buffer) => {
    said += chunk;
    const ready = /Ready at (http:\/\/\S+?)\/?\s/.exec(said);
    if (ready) resolve(ready[1]!);
  });
  server.once("exit", (code) =>
    reject(new Error(`lighthouse: the server stopped (exit ${code})`)),
  );
});

let failed = false;
try {
  const statement = await firstStatement(base);
  const pages: [string, string][] = [
    ["home", "/"],
    ["results", "/search?q=ceasefire"],
    ["statement", statement],
    ["help", "/help"],
    ["advanced", "/advanced"],
  ];
  console.log(`Lighthouse ${LIGHTHOUSE.split("@")[1]} over ${base}`);
  console.log(`page        ${CATEGORIES.map((c) => c.padStart(16)).join("")}`);
  for (const [name, url] of pages) {
    const file = path.join(out, `${name}.json`);
    await lighthouse(base + url, file);
    const report = JSON.parse(await readFile(file, "utf8")) as Report;
    const scores = CATEGORIES.map((c) =>
      Math.round((report.categories[c]?.score ?? 0) * 100),
    );
    console.log(
      `${name.padEnd(12)}${scores.map((s) => String(s).padStart(16)).join("")}`,
    );
    CATEGORIES.forEach((c, i) => {
      if (JUDGED.has(c) && scores[i]! < 100) failed = true;
    });
    for (const line of missed(report)) console.log(`  ${line}`);
  }
  console.log(`Reports: ${out}`);
} finally {
  server.kill("SIGTERM");
}
process.exit(failed ? 1 : 0);

interface Report {
  categories: Record<
    string,
    { score: number | null; auditRefs: { id: string }[] }
  >;
  audits: Record<
    string,
    { title: string; score: number | null; scoreDisplayMode: string }
  >;
}

/** The audits of the judged categories that did not pass, with their category. */
function missed(report: Report): string[] {
  const lines: string[] = [];
  for (const c of CATEGORIES) {
    for (const { id } of report.categories[c]?.auditRefs ?? []) {
      const audit = report.audits[id];
      if (!audit || audit.score === null || audit.score >= 1) continue;
      if (
        !["binary", "numeric", "metricSavings"].includes(audit.scoreDisplayMode)
      )
        continue;
      lines.push(
        `${c}: ${id} (${audit.title}) ${Math.round(audit.score * 100)}`,
      );
    }
  }
  return lines;
}

/** The first statement a search finds, as its page's path. */
async function firstStatement(origin: string): Promise<string> {
  const res = await fetch(`${origin}/search.json?q=ceasefire`);
  const { hits } = (await res.json()) as {
    hits: { href?: string; id: string }[];
  };
  const hit = hits[0];
  if (!hit)
    throw new Error("lighthouse: the folder has no statement on ceasefire");
  return urls.statement(hit.id);
}

function lighthouse(url: string, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const run = spawn(
      "npx",
      [
        "--yes",
        LIGHTHOUSE,
        url,
        "--output=json",
        `--output-path=${file}`,
        "--quiet",
        `--only-categories=${CATEGORIES.join(",")}`,
        `--chrome-flags=${CHROME_FLAGS}`,
      ],
      {
        stdio: ["ignore", "inherit", "inherit"],
        env: {
          ...process.env,
          CHROME_PATH: process.env.CHROME_PATH ?? "/usr/bin/chromium",
        },
      },
    );
    run.once("error", reject);
    run.once("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`lighthouse: ${url} gave exit ${code}`)),
    );
  });
}
