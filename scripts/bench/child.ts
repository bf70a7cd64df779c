import { spawn } from "node:child_process";
import path from "node:path";

/** What a measurement gave: its figures, or why there are none. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };

export const root = path.resolve(import.meta.dirname, "..", "..");
const MARK = "BENCH-RESULT ";

/** Called at the end of a worker script: the one line its parent reads. */
export function report(value: unknown): void {
  process.stdout.write(MARK + JSON.stringify(value) + "\n");
}

/** Node flags for children: TypeScript through tsx, `gc()` for heap readings. */
export function nodeArgs(maxHeapMb?: number): string[] {
  return [
    "--expose-gc",
    ...(maxHeapMb ? [`--max-old-space-size=${maxHeapMb}`] : []),
    "--import",
    "tsx",
  ];
}

/**
 * Runs a worker script in its own process, so its memory figures are its own. A crash, an
 * out-of-memory kill or a timeout becomes a reason, never an exception.
 */
export function runWorker<T>(
  script: string,
  args: string[],
  { timeoutMs, maxHeapMb }: { timeoutMs: number; maxHeapMb?: number },
): Promise<Outcome<T>> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [...nodeArgs(maxHeapMb), path.join(import.meta.dirname, script), ...args],
      { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr = (stderr + d).slice(-4000);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: err.message });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split("\n").find((l) => l.startsWith(MARK));
      if (code === 0 && line)
        return resolve({
          ok: true,
          value: JSON.parse(line.slice(MARK.length)) as T,
        });
      resolve({
        ok: false,
        reason: timedOut
          ? `stopped after ${Math.round(timeoutMs / 60_000)} min`
          : lastError(stderr) ||
            (signal === "SIGKILL"
              ? "killed (out of memory?)"
              : `exited with ${signal ?? code}`),
      });
    });
  });
}

/** The line of a child's stderr that says what went wrong. */
export function lastError(stderr: string): string {
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const error = lines.findLast((l) =>
    /Error|heap out of memory|Invalid string length/.test(l),
  );
  return (error ?? lines.at(-1) ?? "").slice(0, 160);
}
