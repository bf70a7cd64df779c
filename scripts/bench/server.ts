import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { lastError, root } from "./child.ts";

/** A web server started in a child process, answering. */
export interface RunningServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** From spawn to the first 200 answer to the readiness request. */
  readyMs: number;
  /** Resident memory now and at its peak (Linux /proc), in bytes; 0 where unknown. */
  memory(): { rss: number; peakRss: number };
  /** Sends the server a signal (Readout collects garbage on SIGUSR2 under `--expose-gc`). */
  signal(name: NodeJS.Signals): void;
  stop(): Promise<void>;
}

/** How to start a server beyond its script and arguments. */
export interface StartSettings {
  /** Node flags before the script, such as `--expose-gc`. */
  nodeFlags?: string[];
  /** Ready only once stdout has shown this too (after the 200 answer). */
  readyLine?: RegExp;
  /** Environment variables beyond this process's own (READOUT_QUERY_CACHE=0 …). */
  env?: Record<string, string>;
}

/** Readout's server on a data folder, on a free port of 127.0.0.1 (its default host). */
export const readoutServerArgs = (dir: string) => [
  "src/cli.ts",
  "--data",
  dir,
  "--port",
  "0",
  // The load's clients are told apart by X-Forwarded-For (measure-http.ts).
  "--trust-proxy",
  "loopback",
];

/**
 * Spawns `node <args>` (TypeScript through tsx) with NODE_ENV=production, as a deployed
 * server runs (Express caches compiled views only then), waits for an
 * `http://127.0.0.1:PORT/` line on its stdout, then polls `readyPath` until it answers 200.
 * Rejects, with the server's last error line, if it exits or takes longer than `timeoutMs`.
 */
export function startServer(
  args: string[],
  readyPath: string,
  timeoutMs: number,
  { nodeFlags = [], readyLine, env = {} }: StartSettings = {},
): Promise<RunningServer> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [...nodeFlags, "--import", "tsx", ...args],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NODE_ENV: "production", ...env },
    },
  );
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr = (stderr + d).slice(-4000);
  });
  const exited = new Promise<void>((resolve) =>
    child.on("close", () => resolve()),
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(killer);
    }
  };

  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (reason: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().then(() => reject(new Error(reason)));
    };
    const timer = setTimeout(
      () => fail(`no answer after ${Math.round(timeoutMs / 1000)} s`),
      timeoutMs,
    );
    child.on("close", (code, signal) =>
      fail(lastError(stderr) || `server exited with ${signal ?? code}`),
    );
    // Read until the address (and `readyLine`) show; later output is drained unread.
    let stdout = "";
    let origin: string | undefined;
    let lineSeen = !readyLine;
    const poll = async (origin: string) => {
      while (!settled && !(await answers(origin + readyPath)))
        await new Promise((r) => setTimeout(r, 20));
      const readyMs = performance.now() - started;
      while (!settled && !lineSeen) await new Promise((r) => setTimeout(r, 20));
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        origin,
        readyMs,
        memory: () => memoryOf(child.pid),
        signal: (name) => child.kill(name),
        stop,
      });
    };
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      if (origin && lineSeen) return;
      stdout = (stdout + d).slice(-4000);
      lineSeen ||= readyLine!.test(stdout);
      if (origin) return;
      origin = /http:\/\/127\.0\.0\.1:\d+/.exec(stdout)?.[0];
      if (origin) void poll(origin);
    });
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url);
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

function memoryOf(pid: number | undefined): { rss: number; peakRss: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? 0) *
      1024;
    return { rss: kb("VmRSS"), peakRss: kb("VmHWM") };
  } catch {
    return { rss: 0, peakRss: 0 };
  }
}
