/**
 * Slowloris, measured: starts `readout serve` on a free loopback port, opens many
 * connections that send their headers a line at a time and never finish them, and meanwhile
 * asks for /about.json as a normal client would. Prints how many slow connections the server
 * let in and cut off, its most open file descriptors, and how the normal requests fared.
 * Talks to 127.0.0.1 only, and stops by itself.
 *
 *   npx tsx scripts/stress/slowloris.ts [--connections 20000] [--seconds 40] [--every 5]
 */
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    connections: { type: "string", default: "20000" },
    seconds: { type: "string", default: "40" },
    every: { type: "string", default: "5" },
    rate: { type: "string", default: "2000" },
    // One process cannot hold 20,000 sockets under a 20,000 descriptor limit: the slow
    // connections are opened by this many child processes, each running this script.
    processes: { type: "string", default: "2" },
    attack: { type: "string" },
  },
});
const CONNECTIONS = Number(values.connections);
const SECONDS = Number(values.seconds);
/** Seconds between two header lines of a slow connection. */
const EVERY = Number(values.every);
/** Slow connections opened per second. */
const RATE = Number(values.rate);

if (values.attack) {
  await attack(Number(values.attack));
} else {
  await measure();
}

/** Child mode: opens this process's share of slow connections and reports counts each 0.5 s. */
async function attack(port: number): Promise<void> {
  const share = Math.ceil(CONNECTIONS / Number(values.processes));
  const slow = new Set<net.Socket>();
  const count = { opened: 0, failed: 0, cutOff: 0, open: 0, maxOpen: 0 };
  let started = 0;
  setInterval(() => {
    for (
      let i = 0;
      i < RATE / 10 / Number(values.processes) && started < share;
      i++, started++
    ) {
      const socket = net.connect(port, "127.0.0.1");
      socket.on("connect", () => {
        count.opened++;
        slow.add(socket);
        count.maxOpen = Math.max(count.maxOpen, slow.size);
        socket.write("GET /about HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      });
      socket.on("error", () => {
        if (!slow.has(socket)) count.failed++;
      });
      socket.on("close", () => {
        if (slow.delete(socket)) count.cutOff++;
      });
      socket.on("data", () => {});
    }
  }, 100);
  setInterval(() => {
    for (const socket of slow) socket.write(`X-Slow-${Date.now()}: 1\r\n`);
  }, EVERY * 1000);
  setInterval(() => {
    count.open = slow.size;
    process.stdout.write(JSON.stringify(count) + "\n");
  }, 500);
  // The parent ends this process; if the parent is gone, end anyway.
  setTimeout(() => process.exit(0), (SECONDS + 30) * 1000);
}

async function measure(): Promise<void> {
  const root = path.resolve(import.meta.dirname, "..", "..");
  const server = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "src/cli.ts",
      "serve",
      "--port",
      "0",
      "--data",
      "tests/fixtures/data",
      "--no-cache",
    ],
    { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
  );
  // Whatever happens, the script ends: the server with it.
  const deadline = setTimeout(() => finish("deadline"), (SECONDS + 30) * 1000);

  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    server.stdout!.on("data", (chunk: Buffer) => {
      out += chunk;
      const ready = out.match(/Ready at http:\/\/127\.0\.0\.1:(\d+)\//);
      if (ready) resolve(Number(ready[1]));
    });
    server.once("exit", (code) => reject(new Error(`server exited ${code}`)));
  });
  console.log(
    `server ${server.pid} on 127.0.0.1:${port}; ${CONNECTIONS.toLocaleString("en")} slow connections from ${values.processes} processes at ${RATE}/s, a header line every ${EVERY} s, for ${SECONDS} s`,
  );

  type Counts = {
    opened: number;
    failed: number;
    cutOff: number;
    open: number;
    maxOpen: number;
  };
  const latest = new Map<number, Counts>();
  let maxOpen = 0;
  let stopping = false;
  const attackers = Array.from({ length: Number(values.processes) }, (_, i) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        import.meta.filename,
        ...process.argv.slice(2),
        "--attack",
        String(port),
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let buffered = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) latest.set(i, JSON.parse(line) as Counts);
      maxOpen = Math.max(maxOpen, total("open"));
    });
    return child;
  });
  const total = (key: keyof Counts) =>
    [...latest.values()].reduce((sum, c) => sum + c[key], 0);

  // Normal requests are counted apart while the slow connections are being opened and
  // once they all are (held open, or cut off).
  const normal = {
    ok: 0,
    failed: 0,
    opening: [] as number[],
    after: [] as number[],
    reasons: new Map<string, number>(),
  };
  const fail = (reason: string) => {
    normal.failed++;
    normal.reasons.set(reason, (normal.reasons.get(reason) ?? 0) + 1);
  };
  const asker = setInterval(() => {
    const t0 = performance.now();
    const phase =
      total("opened") + total("failed") < CONNECTIONS
        ? normal.opening
        : normal.after;
    const req = http.get(
      {
        host: "127.0.0.1",
        port,
        path: "/about.json",
        agent: false,
        timeout: 5000,
      },
      (res) => {
        res.resume();
        res.on("end", () => {
          if (res.statusCode === 200) {
            normal.ok++;
            phase.push(performance.now() - t0);
          } else fail(`status ${res.statusCode}`);
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (err: NodeJS.ErrnoException) =>
      fail(err.code ?? err.message),
    );
  }, 500);

  let maxFds = 0;
  const fds = setInterval(() => {
    try {
      maxFds = Math.max(maxFds, readdirSync(`/proc/${server.pid}/fd`).length);
    } catch {
      // Not Linux, or the server is gone.
    }
  }, 250);

  setTimeout(() => finish("done"), SECONDS * 1000);

  function finish(why: string) {
    if (stopping) return;
    stopping = true;
    for (const timer of [asker, fds]) clearInterval(timer);
    clearTimeout(deadline);
    const pct = (latencies: number[], p: number) => {
      const sorted = [...latencies].sort((a, b) => a - b);
      const at = Math.min(sorted.length - 1, Math.floor(p * sorted.length));
      return sorted.length ? `${sorted[at]!.toFixed(0)} ms` : "n/a";
    };
    const figures = (latencies: number[]) =>
      `${latencies.length} answered, p50 ${pct(latencies, 0.5)}, p99 ${pct(latencies, 0.99)}`;
    console.log(
      [
        `${why} after ${SECONDS} s:`,
        `slow connections: ${total("opened").toLocaleString("en")} opened, ${total("failed").toLocaleString("en")} failed to connect, ${total("cutOff").toLocaleString("en")} cut off by the server, ${total("open").toLocaleString("en")} open at the end (at most ${maxOpen.toLocaleString("en")} at once)`,
        `server: at most ${maxFds.toLocaleString("en")} open file descriptors`,
        `normal requests (/about.json, every 0.5 s, 5 s timeout): ${normal.ok} answered, ${normal.failed} failed${normal.failed ? ` (${[...normal.reasons].map(([r, n]) => `${r} × ${n}`).join(", ")})` : ""}`,
        `  while the slow connections were being opened: ${figures(normal.opening)}`,
        `  once they all were: ${figures(normal.after)}`,
      ].join("\n  "),
    );
    for (const child of attackers) child.kill("SIGTERM");
    server.kill("SIGTERM");
    setTimeout(() => server.kill("SIGKILL"), 5000).unref();
    process.exitCode = normal.failed > 0 ? 1 : 0;
  }
}
