import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.ts";
import { fixtureData, fixtures } from "./helpers.ts";

const root = path.resolve(import.meta.dirname, "..");
const badData = path.join(fixtures, "bad-data");

interface Run {
  code: number | null;
  signal?: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface RunOptions {
  /** Stops the program (SIGTERM) once stdout holds what this waits for, after a GET of its URL. */
  until?: (stdout: string) => boolean;
  env?: Record<string, string>;
  cwd?: string;
}

/**
 * Runs `readout …` in this process, as src/cli.ts does, with buffers for its output and a
 * stop signal of its own: fast, and what the command writes is exactly what it returns.
 */
async function runCli(args: string[], options: RunOptions = {}): Promise<Run> {
  const { until, env = {} } = options;
  let stdout = "";
  let stderr = "";
  const stop = new AbortController();
  let triggered: Promise<void> | undefined;
  const out = {
    write(text: string) {
      stdout += text;
      if (!triggered && until?.(stdout)) {
        const url = /(http:\/\/\S+)/.exec(stdout)?.[1];
        triggered = fetch(url!)
          .then(async (res) => {
            stdout += `\nGET / → ${res.status} ${(await res.text()).includes("<form") ? "form" : ""}`;
          })
          .finally(() => stop.abort("SIGTERM"));
      }
      return true;
    },
  };
  const err = { write: (text: string) => ((stderr += text), true) };
  // The caller's own READOUT_* settings and NO_COLOR must not change what the tests see.
  const environment = { READOUT_CACHE: "off", ...env };
  const code = await main(args, environment, {
    out,
    err,
    env: environment,
    stop: stop.signal,
  });
  await triggered;
  return { code, stdout, stderr };
}

/** Runs the `readout` command's launcher in a process of its own, as npx does. */
function runBin(args: string[], options: RunOptions = {}): Promise<Run> {
  return runProgram(
    process.execPath,
    [path.join(root, "bin", "readout.js"), ...args],
    options,
  );
}

function runProgram(
  file: string,
  args: string[],
  { until, env = {}, cwd = root }: RunOptions,
): Promise<Run> {
  // The caller's own READOUT_* settings and NO_COLOR must not change what the tests see.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith("READOUT_") && name !== "NO_COLOR",
    ),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd,
      env: { ...inherited, READOUT_PORT: "", READOUT_CACHE: "off", ...env },
    });
    let stdout = "";
    let stderr = "";
    let triggered = false;
    child.stdout.on("data", (d) => {
      stdout += d;
      if (!triggered && until?.(stdout)) {
        triggered = true;
        const url = /(http:\/\/\S+)/.exec(stdout)?.[1];
        fetch(url!)
          .then(async (res) => {
            stdout += `\nGET / → ${res.status} ${(await res.text()).includes("<form") ? "form" : ""}`;
          })
          .finally(() => child.kill("SIGTERM"));
      }
    });
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolve({ code, signal, stdout, stderr }),
    );
  });
}

describe("cli", () => {
  it("indexes the data folder, prints a summary and the URL, and serves it", async () => {
    const run = await runCli(["--data", fixtureData, "--port", "0"], {
      until: (out) => out.includes("Ready at"),
    });
    expect(run.stdout).toMatch(
      /Indexed 11 statements from 8 files in \d+\.\d s \(built from the data\)\n/,
    );
    expect(run.stdout).toMatch(
      /Readout is serving .*fixtures\/data at http:\/\/127\.0\.0\.1:\d+\//,
    );
    expect(run.stdout).toContain("GET / → 200 form");
  }, 60_000);

  it("reports bad files and still serves the good ones", async () => {
    const run = await runCli(["--data", badData, "--port", "0"], {
      until: (out) => out.includes("Ready at"),
    });
    expect(run.stderr).toContain("skipped: records.jsonl:2: not valid JSON");
    expect(run.stderr).toContain("warning: bad-date.txt: date not understood");
    expect(run.stdout).toContain("Indexed 3 statements from 2 files");
    expect(run.stdout).toContain("; skipped 10 — see /about");
    expect(run.stdout).toContain("GET / → 200 form");
  }, 60_000);

  it("stops with exit code 1 under --strict when a file has a problem", async () => {
    const run = await runCli(["--strict", "--data", badData, "--port", "0"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "Stopped: --strict is on and 12 problem(s) were found.",
    );
  }, 60_000);

  it("names a bad option and its value, with exit code 2 and no stack trace", async () => {
    const run = await runCli(["--port", "abc"]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      'config: --port must be a whole number from 0 to 65535, got "abc"',
    );
  }, 60_000);

  it("says so when the data folder does not exist", async () => {
    const run = await runCli([
      "--data",
      "/nonexistent/statements",
      "--port",
      "0",
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      'ingest: data folder "/nonexistent/statements" does not exist',
    );
  }, 60_000);

  it("serves the same way when the command is named", async () => {
    const run = await runCli(["serve", "--data", fixtureData, "--port", "0"], {
      until: (out) => out.includes("Ready at"),
    });
    expect(run.stdout).toContain("GET / → 200 form");
  }, 60_000);

  it("says so when the port is taken", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) =>
      blocker.listen(0, "127.0.0.1", resolve),
    );
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const run = await runCli(["--data", fixtureData, "--port", String(port)]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        `Port ${port} on 127.0.0.1 is already in use`,
      );
      expect(run.stderr).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  }, 60_000);
});

describe("cli search", () => {
  it("prints the count, the query as understood, and numbered hits as plain text", async () => {
    const run = await runCli(["search", "sanctions", "--data", fixtureData]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        "1 statement matches: sanctions",
        "",
        "1. Statement on sanctions",
        "   1 June 2023 · Council of the EU · /statements/rec-sanctions-2023",
        "   The Council adopted sanctions against twelve individuals. The sanctions include an asset freeze.",
        "",
      ].join("\n"),
    );
    // Neither progress nor bold when the output is not a terminal.
    expect(run.stderr).toBe("");
  }, 60_000);

  it("takes several words as one query, and says when it had to relax it", async () => {
    const run = await runCli([
      "search",
      "sanctions",
      "harbour",
      "--data",
      fixtureData,
    ]);
    expect(run.stdout).toMatch(
      /^3 statements match: sanctions AND harbour\nNote: No statement contains every word, so these contain some of them, best matches first\.\n/,
    );
  }, 60_000);

  it("prints JSON with plain-text snippets and permanent paths", async () => {
    const run = await runCli([
      "search",
      "harbour",
      "--json",
      "--data",
      fixtureData,
    ]);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({
      q: "harbour",
      description: "harbour",
      total: 2,
      relaxed: false,
      notes: [],
    });
    expect(out.hits).toHaveLength(2);
    expect(out.hits[0]).toEqual({
      id: "arr-harbour",
      title: "Harbour works to begin",
      date: "2022-02-01",
      source: "Port Authority",
      url: "",
      permalink: "/statements/arr-harbour",
      score: expect.any(Number),
      snippet: "Dredging of the harbour begins in February.",
      group: "",
    });
  }, 60_000);

  it("prints CSV with a header, the text unescaped", async () => {
    const run = await runCli([
      "search",
      "script",
      "--csv",
      "--data",
      fixtureData,
    ]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\r\n");
    expect(lines[0]).toBe(
      "id,title,date,source,url,permalink,score,snippet,group",
    );
    expect(lines[1]).toMatch(
      /^markup-lt-amp,Statement on <script> tags & entities,,,,\/statements\/markup-lt-amp,[\d.]+,"The page quoted <script>alert\(""x""\)<\/script> in its text/,
    );
    expect(lines.slice(2)).toEqual([""]);
  }, 60_000);

  it("stops after --limit hits, and says there are more", async () => {
    const run = await runCli([
      "search",
      "harbour",
      "--limit",
      "1",
      "--data",
      fixtureData,
    ]);
    expect(run.stdout).toMatch(
      /^2 statements match: harbour \(showing the first 1; raise --limit to see more\)\n\n1\. Harbour works to begin\n/,
    );
    expect(run.stdout).not.toContain("\n2. ");
    const json = await runCli([
      "search",
      "harbour",
      "--limit=1",
      "--json",
      "--data",
      fixtureData,
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      total: 2,
      hits: [{ id: "arr-harbour" }],
    });
  }, 60_000);

  it("says when nothing matches, offering a spelling that finds more", async () => {
    const none = await runCli(["search", "xyzzy", "--data", fixtureData]);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe("No statements match: xyzzy\n");
    const typo = await runCli(["search", "sanctons", "--data", fixtureData]);
    expect(typo.stdout).toBe(
      "No statements match: sanctons\nDid you mean: sanctions (1 statement)?\n",
    );
    const json = await runCli([
      "search",
      "xyzzy",
      "--json",
      "--data",
      fixtureData,
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({ total: 0, hits: [] });
  }, 60_000);

  it("takes --mode, --sort, --from and --to as the web does", async () => {
    const run = await runCli([
      "search",
      "flood Agdam",
      "--mode",
      "any",
      "--sort",
      "oldest",
      "--from",
      "2024-03",
      "--to",
      "2024",
      "--json",
      "--data",
      fixtureData,
    ]);
    const out = JSON.parse(run.stdout);
    // With --mode any, the description joins the words with OR, as the search does.
    expect(out.description).toMatch(
      /^flood OR Agdam, from 1 March 2024 to 31 December 2024, oldest first$/,
    );
    expect(out.hits.map((h: { id: string }) => h.id)).toEqual([
      "Azerbaijan-MFA/accents-agdam",
      "arr-flood-relief",
    ]);
  }, 60_000);

  it("reports data problems on stderr, keeping stdout for the results", async () => {
    const run = await runCli(["search", "good", "--data", badData]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("skipped: records.jsonl:2: not valid JSON");
    expect(run.stderr).toContain("warning: bad-date.txt: date not understood");
    expect(run.stdout).toMatch(/^2 statements match: good\n/);
    expect(run.stdout).not.toContain("skipped");
  }, 60_000);

  it("prints the folder's problems when it reads the files, then once more only with --problems", async () => {
    const cache = await mkdtemp(path.join(os.tmpdir(), "readout-problems-"));
    try {
      const search = (...more: string[]) =>
        runCli([
          "search",
          "good",
          "--data",
          badData,
          "--cache",
          cache,
          ...more,
        ]);
      const first = await search();
      expect(first.stderr).toContain(
        "skipped: records.jsonl:2: not valid JSON",
      );
      const again = await search();
      expect(again.code).toBe(0);
      expect(again.stdout).toBe(first.stdout);
      expect(again.stderr).not.toContain("records.jsonl");
      expect(again.stderr).toContain(
        "The data folder has 12 problems, listed when it was read: --problems lists them again",
      );
      const asked = await search("--problems");
      expect(asked.stderr).toContain(
        "skipped: records.jsonl:2: not valid JSON",
      );
      expect(asked.stderr.match(/^(skipped|warning): /gm)).toHaveLength(12);
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  }, 60_000);

  it("stops with exit code 1 under --strict when a file has a problem", async () => {
    const run = await runCli(["search", "good", "--strict", "--data", badData]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(
      "Stopped: --strict is on and 12 problem(s) were found.",
    );
  }, 60_000);

  it("names a bad option and its value, with exit code 2", async () => {
    const run = await runCli(["search", "harbour", "--limit", "x"]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      'config: --limit must be a whole number from 1 to 10000, got "x"',
    );
    const empty = await runCli(["search", "--data", fixtureData]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("config: search needs a query");
  }, 60_000);

  describe("with a folder made for the test", () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), "readout-cli-"));
      await writeFile(
        path.join(dir, "formula.txt"),
        '=HYPERLINK("http://example.org")\n\nA \u001b[31mwidget\u001b[0m statement.\n',
      );
      const records = Array.from({ length: 150 }, (_, i) =>
        JSON.stringify({ id: `w${i}`, title: `Widget ${i}`, body: "widgets" }),
      );
      await writeFile(path.join(dir, "many.jsonl"), records.join("\n"));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it("neutralizes a CSV cell a spreadsheet would run as a formula", async () => {
      const run = await runCli(["search", "hyperlink", "--csv", "--data", dir]);
      expect(run.stdout.split("\r\n")[1]).toMatch(
        /^formula,"'=HYPERLINK\(""http:\/\/example\.org""\)",/,
      );
    }, 60_000);

    it("keeps escape sequences in a statement away from the terminal", async () => {
      const run = await runCli(["search", "hyperlink", "--data", dir]);
      expect(run.stdout).toContain("   A [31mwidget[0m statement.\n");
      expect(run.stdout).not.toContain("\u001b");
    }, 60_000);

    it("prints more results than a web page holds", async () => {
      const run = await runCli([
        "search",
        "widgets",
        "--limit",
        "120",
        "--json",
        "--data",
        dir,
      ]);
      const out = JSON.parse(run.stdout);
      expect(out.total).toBe(150);
      expect(out.hits).toHaveLength(120);
    }, 60_000);
  });
});

describe("cli check", () => {
  it("says what each file gives and that there is nothing wrong, with exit code 0", async () => {
    const run = await runCli(["check", fixtureData]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(9);
    expect(lines[0]).toBe(
      'ok: Azerbaijan MFA/accents-agdam.txt: "Foreign Ministry comments on the Ağdam road" · 12 March 2024 · en · 44 words',
    );
    expect(lines).toContain(
      "ok: records.jsonl: 3 statements · 15 November 2021 … 1 June 2023 · en 3 · 34 words",
    );
    expect(lines.at(-1)).toBe("No problems: 11 statements in 8 files.");
    expect(run.stderr).toBe("");
  }, 60_000);

  it("lists every problem and a summary, with exit code 1", async () => {
    const run = await runCli(["check", badData]);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(15);
    expect(lines).toContain(
      "skipped: report.pdf: damaged PDF (Invalid PDF structure.)",
    );
    expect(lines).toContain(
      'skipped: records.jsonl:4: duplicate id "good-1", first used by records.jsonl:1',
    );
    expect(lines).toContain(
      'warning: records.jsonl:6: date not understood: "yesterday"',
    );
    expect(lines).toContain("skipped: empty.txt: file is empty");
    expect(lines.at(-1)).toBe(
      "12 problems in 8 files; 3 statements would be indexed",
    );
  }, 60_000);

  it("checks the configured folder when none is named", async () => {
    const run = await runCli(["check"], { env: { READOUT_DATA: fixtureData } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\nNo problems: 11 statements in 8 files\.\n$/);
    const flag = await runCli(["check", "--data", badData]);
    expect(flag.code).toBe(1);
  }, 60_000);

  it("says so when the folder does not exist, and refuses two folders", async () => {
    const missing = await runCli(["check", "/nonexistent/statements"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(
      'ingest: data folder "/nonexistent/statements" does not exist',
    );
    const two = await runCli(["check", "a", "b"]);
    expect(two.code).toBe(2);
    expect(two.stderr.trim()).toBe(
      'config: check takes one folder, got "a" "b" (see readout check --help)',
    );
  }, 60_000);
});

describe("cli help", () => {
  it("explains each command, with exit code 0", async () => {
    const expected: [string[], string][] = [
      [["--help"], "Usage: readout [command] [options]"],
      [["serve", "--help"], "Usage: readout serve [options]"],
      [["search", "--help"], "Usage: readout search QUERY [options]"],
      [["check", "-h"], "Usage: readout check [DIR]"],
    ];
    for (const [args, first] of expected) {
      const run = await runCli(args);
      expect(run.code).toBe(0);
      expect(run.stdout.split("\n")[0]).toContain(first);
    }
  }, 60_000);

  it("refuses an unknown command with exit code 2", async () => {
    const run = await runCli(["serach", "x"]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      'config: unknown command "serach"; choose serve, search, check, import, pg, user or saved (see readout --help)',
    );
  }, 60_000);
});

describe("bin/readout.js", () => {
  it("runs a command from any folder, passing on its output and exit code", async () => {
    const search = await runBin(["search", "harbour", "--data", fixtureData], {
      cwd: os.tmpdir(),
    });
    expect(search.code).toBe(0);
    expect(search.stdout).toMatch(/^2 statements match: harbour\n/);
    const check = await runBin(["check", badData]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain("12 problems in 8 files");
    const bad = await runBin(["search", "x", "--limit", "0"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(
      'config: --limit must be a whole number from 1 to 10000, got "0"',
    );
  }, 60_000);

  it("serves by default, and stops on SIGTERM", async () => {
    const run = await runBin(["--data", fixtureData, "--port", "0"], {
      until: (out) => out.includes("Ready at"),
    });
    expect(run.stdout).toContain("GET / → 200 form");
    // A stop signal is a normal end: requests in flight finish, the exit code is 0.
    expect(run.stdout).toContain(
      "SIGTERM: stopping; finishing the requests in flight.",
    );
    expect(run.code).toBe(0);
  }, 60_000);

  it("refuses to listen beyond this computer with collections on and nobody to sign in", async () => {
    const cache = await mkdtemp(path.join(os.tmpdir(), "readout-cli-"));
    try {
      const run = await runCli([
        "--data",
        fixtureData,
        "--port",
        "0",
        "--host",
        "0.0.0.0",
        "--cache",
        cache,
      ]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        "Refused: listening on 0.0.0.0 with collections and saved searches on, and no --users, would let anyone who can reach this computer add to them and remove from them.",
      );
      expect(run.stdout).toBe("");
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });

  it("warns that listening beyond this computer exposes the archive", async () => {
    const run = await runCli(
      ["--data", fixtureData, "--port", "0", "--host", "0.0.0.0"],
      {
        until: (out) => out.includes("Ready at"),
      },
    );
    expect(run.stderr).toContain(
      "warning: listening on 0.0.0.0 makes the archive reachable from the network; anyone who can reach this computer can read it.",
    );
    expect(run.code).toBe(0);
  }, 60_000);
});
