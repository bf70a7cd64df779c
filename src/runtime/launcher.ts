/**
 * What `bin/readout.js` runs before the CLI: one memory policy for every command. V8's heap
 * limit is fixed when a process starts, so the launcher works out the limit Readout should
 * have and, unless this process already has it, starts Node again with
 * `--max-old-space-size`: by `process.execve` where Node has it (22.15 and newer: the same
 * process, so signals and the exit code stay the command's own), else as a child process
 * whose exit it relays.
 *
 * Imports only Node built-ins: it runs on every start, before anything else is loaded.
 */
import { spawn } from "node:child_process";
import { totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { getHeapStatistics } from "node:v8";

/** The share of the computer's (or container's) memory Readout's heap may grow to by default. */
export const DEFAULT_SHARE = 0.75;

/**
 * The option that sets the heap limit. Its row is in the options table (`options.ts`); its
 * names are here because the launcher reads it before anything else is loaded.
 */
export const MAX_MEMORY = {
  flag: "max-memory",
  env: "READOUT_MAX_MEMORY",
} as const;

/** Set for the restarted process, so it does not restart again; never seen by the CLI. */
const MARKER = "READOUT_LAUNCHED";

const MB = 2 ** 20;

/** The heap limit chosen, in MiB, and where it came from (for messages). */
export interface HeapPlan {
  /** Heap limit in MiB; undefined when NODE_OPTIONS already sets one and nothing overrides it. */
  mb: number | undefined;
  /** `--max-memory`, `READOUT_MAX_MEMORY`, `NODE_OPTIONS`, or `75% of 24.0 GiB`. */
  from: string;
  /** The command line without `--max-memory`, which the CLI does not know. */
  args: string[];
}

/** Thrown for a `--max-memory` or `READOUT_MAX_MEMORY` the launcher cannot read. */
export class MemoryOptionError extends Error {}

/**
 * This machine's memory as a process may use it: the container's limit (cgroup) when there
 * is one, otherwise the physical memory. `process.constrainedMemory()` answers 0 or 2^64
 * when there is no limit.
 */
export function availableMemory(): number {
  const total = totalmem();
  const constrained = process.constrainedMemory?.() ?? 0;
  return constrained > 0 && constrained < total ? constrained : total;
}

/**
 * Chooses the heap limit: `--max-memory` over `READOUT_MAX_MEMORY` over a
 * `--max-old-space-size` in NODE_OPTIONS over 75% of `memory` (bytes).
 */
export function planHeap(
  argv: string[],
  env: Record<string, string | undefined>,
  memory: number,
): HeapPlan {
  const name = `--${MAX_MEMORY.flag}`;
  const args: string[] = [];
  let flag: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      args.push(...argv.slice(i));
      break;
    }
    if (arg === name) {
      flag = argv[++i];
      if (flag === undefined)
        throw new MemoryOptionError(
          `config: ${name} needs a size, e.g. ${name} 8g or ${name} 50%`,
        );
    } else if (arg.startsWith(`${name}=`)) {
      flag = arg.slice(name.length + 1);
    } else args.push(arg);
  }
  if (flag !== undefined)
    return { mb: sizeMb(flag, name, memory), from: name, args };
  const variable = env[MAX_MEMORY.env];
  if (variable)
    return {
      mb: sizeMb(variable, MAX_MEMORY.env, memory),
      from: MAX_MEMORY.env,
      args,
    };
  if (/(^|\s)--max[-_]old[-_]space[-_]size\b/.test(env.NODE_OPTIONS ?? ""))
    return { mb: undefined, from: "NODE_OPTIONS", args };
  return {
    mb: Math.floor((memory * DEFAULT_SHARE) / MB),
    from: `${DEFAULT_SHARE * 100}% of ${gib(memory)}`,
    args,
  };
}

/**
 * Reads a size as `--max-memory` takes it: `8g`, `8192m`, `8192` (MiB), `50%` (of `memory`).
 * Below 256 MiB Readout cannot even load a small archive, so that is refused too.
 */
export function sizeMb(value: string, from: string, memory: number): number {
  // Trimmed first: blanks at both ends would make the pattern try every split of a run.
  const match = /^(\d+(?:\.\d+)?)\s*(%|[kmgt]i?b?)?$/i.exec(value.trim());
  const unit = match?.[2]?.[0]?.toLowerCase();
  const n = Number(match?.[1]);
  const mb =
    unit === "%"
      ? (memory * n) / 100 / MB
      : n * ({ k: 1 / 1024, m: 1, g: 1024, t: 1024 * 1024 }[unit ?? "m"] ?? 1);
  if (!match || !(mb >= 256) || (unit === "%" && n > 100))
    throw new MemoryOptionError(
      `config: ${from} must be a size of at least 256m, such as 8g, 6144m or 50%, got "${value}"`,
    );
  return Math.floor(mb);
}

/** Bytes as GiB with one decimal: `24.0 GiB`. */
export function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

/**
 * Runs the CLI at `entry` (a file URL) under the heap limit `planHeap` chooses: in this
 * process when it already has that limit, otherwise in a restarted one.
 */
export async function launch(entry: URL): Promise<void> {
  const argv = process.argv.slice(2);
  let plan: HeapPlan;
  try {
    plan = planHeap(argv, process.env, availableMemory());
  } catch (err) {
    if (!(err instanceof MemoryOptionError)) throw err;
    process.stderr.write(err.message + "\n");
    process.exit(2);
  }
  const restarted = process.env[MARKER] !== undefined;
  delete process.env[MARKER];
  const current = Math.floor(getHeapStatistics().heap_size_limit / MB);
  // V8 rounds the limit it is given a little: a few MiB off is the same limit.
  if (restarted || plan.mb === undefined || Math.abs(current - plan.mb) < 64) {
    process.argv.splice(2, argv.length, ...plan.args);
    await import(entry.href);
    return;
  }
  const file = fileURLToPath(entry);
  const nodeArgs = [
    ...process.execArgv.filter(
      (a) => !/^--max[-_]old[-_]space[-_]size/.test(a),
    ),
    `--max-old-space-size=${plan.mb}`,
    file,
    ...plan.args,
  ];
  const env = { ...process.env, [MARKER]: plan.from };
  const execve = (
    process as {
      execve?: (file: string, args: string[], env: NodeJS.ProcessEnv) => never;
    }
  ).execve;
  if (execve) execve(process.execPath, [process.execPath, ...nodeArgs], env);
  relay(spawn(process.execPath, nodeArgs, { stdio: "inherit", env }));
}

// Node 20 has no execve: the command runs as a child. A terminal's Ctrl-C reaches the whole
// foreground process group, the child included, so SIGINT is not passed on (it would arrive
// twice); SIGTERM and SIGHUP, sent to this process by a supervisor, are.
function relay(child: ReturnType<typeof spawn>): void {
  const pass = (signal: NodeJS.Signals) => () => child.kill(signal);
  const handlers = {
    SIGTERM: pass("SIGTERM"),
    SIGHUP: pass("SIGHUP"),
    SIGINT: () => {},
  };
  for (const [signal, handler] of Object.entries(handlers))
    process.on(signal, handler);
  child.on("exit", (code, signal) => {
    for (const [name, handler] of Object.entries(handlers))
      process.off(name, handler);
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}
