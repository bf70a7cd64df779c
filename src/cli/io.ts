/** Somewhere a command writes text: the process's stdout or stderr, or a test's buffer. */
export interface Output {
  write(text: string): unknown;
  /** A terminal: progress redraws in place, and results may be set in bold. */
  isTTY?: boolean;
}

/**
 * What a command reads and writes besides its options: results go to `out`, problems,
 * progress and notes to `err`, so results can be piped. `env` is the environment (NO_COLOR).
 * The entry point gives the process's own; tests give buffers.
 */
export interface Io {
  out: Output;
  err: Output;
  env: Record<string, string | undefined>;
  /** Aborts, with the signal's name as its reason, when a long-running command should stop. */
  stop: AbortSignal;
  /** Standard input, for what a command asks for (a new user's password). */
  in?: Input;
}

/** Somewhere a command reads from: the process's stdin, or a test's stream. */
export type Input = NodeJS.ReadableStream & {
  isTTY?: boolean;
  setRawMode?: (raw: boolean) => unknown;
};

/** Writes `text` and a newline. */
export function writeLine(output: Output, text: string): void {
  output.write(text + "\n");
}

/** The process's own streams, environment and stop signals, for the entry point. */
export function processIo(): Io {
  // `readout search … | head` closes the pipe before the output ends: not an error.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
    throw err;
  });
  const stop = new AbortController();
  for (const signal of ["SIGTERM", "SIGINT"] as const)
    process.once(signal, () => stop.abort(signal));
  return {
    out: process.stdout,
    err: process.stderr,
    env: process.env,
    stop: stop.signal,
    in: process.stdin,
  };
}

/** Ends the process with a command's exit code. */
export function exitWith(code: number): void {
  if (code !== 0) process.exit(code);
  // Keep-alive sockets or a timer must not hold the process once a command has ended.
  setTimeout(() => process.exit(0), 500).unref();
}
