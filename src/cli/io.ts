/** Somewhere a command writes text: the process's stdout or stderr, or a test's buffer. */
export interface Output {
  write(text: string): unknown;
  /** A terminal: progress redraws in place, and results may be set in bold. */
  isTTY?: boolean;
}

/**
 * What a command reads and writes besides its options: results go to `out`, problems,
 * progress and notes to `err`, so results can be piped. `env` is the environment (NO_COLOR).
 */
export interface Io {
  out: Output;
  err: Output;
  env: Record<string, string | undefined>;
}

/** Writes `text` and a newline. */
export function writeLine(output: Output, text: string): void {
  output.write(text + "\n");
}
