import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureData, fixtures } from "./helpers.ts";

const root = path.resolve(import.meta.dirname, "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI until it exits, or until `until` sees what it waits for in stdout (then stops it). */
function runCli(
  args: string[],
  until?: (stdout: string) => boolean,
): Promise<Run & { url?: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ["src/cli.ts", ...args], {
      cwd: root,
      env: { ...process.env, READOUT_PORT: "" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
      if (until?.(stdout)) {
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
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("cli", () => {
  it("indexes the data folder, prints a summary and the URL, and serves it", async () => {
    const run = await runCli(["--data", fixtureData, "--port", "0"], (out) =>
      out.includes("http://"),
    );
    expect(run.stdout).toMatch(
      /Indexed 11 statements from 8 files in \d+\.\d s\n/,
    );
    expect(run.stdout).toMatch(
      /Readout is serving .*fixtures\/data at http:\/\/127\.0\.0\.1:\d+\//,
    );
    expect(run.stdout).toContain("GET / → 200 form");
  }, 30_000);

  it("reports bad files and still serves the good ones", async () => {
    const run = await runCli(
      ["--data", path.join(fixtures, "bad-data"), "--port", "0"],
      (out) => out.includes("http://"),
    );
    expect(run.stderr).toContain("skipped: records.jsonl:2: not valid JSON");
    expect(run.stderr).toContain("warning: bad-date.txt: date not understood");
    expect(run.stdout).toContain("Indexed 3 statements from 2 files");
    expect(run.stdout).toContain("; skipped 10 — see /about");
    expect(run.stdout).toContain("GET / → 200 form");
  }, 30_000);

  it("stops with exit code 1 under --strict when a file has a problem", async () => {
    const run = await runCli([
      "--strict",
      "--data",
      path.join(fixtures, "bad-data"),
      "--port",
      "0",
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "Stopped: --strict is on and 12 problem(s) were found.",
    );
  }, 30_000);

  it("names a bad option and its value, with exit code 2 and no stack trace", async () => {
    const run = await runCli(["--port", "abc"]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      'config: --port must be a whole number from 0 to 65535, got "abc"',
    );
  }, 30_000);

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
  }, 30_000);

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
  }, 30_000);
});
