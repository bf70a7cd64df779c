import { homedir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  COMMANDS,
  OPTIONS,
  optionsOf,
  SAMPLE,
  type Command,
  type Option,
  type OptionValues,
} from "./options.ts";
import { ConfigError, folder, onOff } from "./option-values.ts";

/**
 * How Readout runs: a field per option of the table in `options.ts` (its flag, variable and
 * default are there), and what the command's arguments say.
 */
export type Config = Omit<OptionValues, "cache"> & {
  /** Folder for the saved index; null for none (`--no-cache`, `READOUT_CACHE=off`). */
  cache: string | null;
  /** search: the query, in the query language (the arguments after `search`, joined by spaces). */
  query: string;
  /** Whether the data folder was named (`--data`, `READOUT_DATA`, `check DIR`): with `--pg`, serve then keeps the database in step with it. */
  dataGiven: boolean;
  /** pg: `start` or `stop`. */
  pgAction?: string;
  /** user: the action (`add`) and the person's name. */
  userAction?: string;
  userName?: string;
};

export const defaults: Config = {
  ...optionDefaults(),
  cache: defaultCache(SAMPLE, process.env),
  query: "",
  dataGiven: false,
};

/**
 * Splits off the command named by the first argument. A first argument that is a flag, or
 * none, means `serve`, so `readout --port 8080` and `npm start` work as they always did.
 */
export function splitCommand(argv: string[]): {
  command: Command;
  named: boolean;
  args: string[];
} {
  const [first, ...rest] = argv;
  if (first === undefined || first.startsWith("-"))
    return { command: "serve", named: false, args: argv };
  if (!(COMMANDS as readonly string[]).includes(first))
    throw new ConfigError(
      `config: unknown command "${first}"; choose ${COMMANDS.slice(0, -1).join(", ")} or ${COMMANDS.at(-1)} (see readout --help)`,
    );
  return { command: first as Command, named: true, args: rest };
}

/**
 * Merges flags over environment variables over defaults for one command, and validates once.
 * An empty variable counts as unset.
 */
export function loadConfig(
  argv: string[],
  env: Record<string, string | undefined>,
  command: Command = "serve",
): Config {
  const { flags, positionals } = parseFlags(argv, command);
  if (flags.help) return { ...defaults, help: true };
  const { options, given } = readOptions(flags, env, command);
  const args = readArguments(command, positionals);
  const data = args.data ?? options.data;
  const config: Config = {
    ...options,
    data,
    cache:
      options.cache === undefined ? defaultCache(data, env) : options.cache,
    query: args.query ?? "",
    dataGiven: args.data !== undefined || given.has("data"),
    ...(args.pgAction ? { pgAction: args.pgAction } : {}),
    ...(args.user ? { userAction: "add", userName: args.user } : {}),
  };
  checkCombinations(config, flags, command);
  return config;
}

type Flags = Record<string, string | boolean | undefined>;

/** The flags given, each one the command takes; any other is refused, so a misplaced one is not ignored. */
function parseFlags(
  argv: string[],
  command: Command,
): { flags: Flags; positionals: string[] } {
  const spec = Object.fromEntries(
    OPTIONS.map((o) => [
      o.flag,
      {
        type: o.arg ? ("string" as const) : ("boolean" as const),
        ...(o.short ? { short: o.short } : {}),
      },
    ]),
  );
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: spec,
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    throw new ConfigError(
      `config: ${(err as Error).message.split("\n")[0]} (see --help)`,
    );
  }
  const allowed = new Set(optionsOf(command).map((o) => o.flag));
  for (const flag of Object.keys(parsed.values)) {
    if (!allowed.has(flag))
      throw new ConfigError(
        `config: --${flag} is not an option of ${command} (see readout ${command} --help)`,
      );
  }
  return { flags: parsed.values, positionals: parsed.positionals };
}

/**
 * Each option's value: its flag's, else its variable's, else its default. Of two rows that fill
 * one field, the later one's flag wins (`--no-cache` over `--cache`). Only the command's own
 * options are read; the rest keep their defaults.
 */
function readOptions(
  flags: Flags,
  env: Record<string, string | undefined>,
  command: Command,
): { options: OptionValues; given: Set<string> } {
  const fromFlag = new Map<string, unknown>();
  const fromEnv = new Map<string, unknown>();
  for (const row of optionsOf(command)) {
    const flag = flags[row.flag];
    const variable = row.env ? env[row.env] : undefined;
    if (flag !== undefined)
      fromFlag.set(row.key, valueOf(row, String(flag), `--${row.flag}`));
    else if (variable && row.env) {
      if (row.arg || onOff(variable, row.env))
        fromEnv.set(row.key, valueOf(row, variable, row.env));
      // A switch's `0` says its opposite: `READOUT_ENTITIES=0` turns off what is on by default.
      else fromEnv.set(row.key, !(row.sets ?? true));
    }
  }
  const options = optionDefaults();
  for (const [key, value] of [...fromEnv, ...fromFlag])
    (options as Record<string, unknown>)[key] = value;
  return { options, given: new Set([...fromFlag.keys(), ...fromEnv.keys()]) };
}

/** A value as its row reads it; a switch sets its value (true unless the row says). */
function valueOf(row: Option, value: string, from: string): unknown {
  if (!row.arg) return row.sets === undefined ? true : row.sets;
  return row.read!(value, from);
}

// The field types come from the rows, so the defaults gathered here have them; the first row
// of a field gives its default.
function optionDefaults(): OptionValues {
  const values: Record<string, unknown> = {};
  for (const row of OPTIONS)
    if (!(row.key in values)) values[row.key] = row.default;
  return values as OptionValues;
}

/** What the arguments that are not flags say: `check DIR`, the words of `search`, `pg start`. */
function readArguments(
  command: Command,
  positionals: string[],
): { data?: string; query?: string; pgAction?: string; user?: string } {
  if (command === "search") return { query: positionals.join(" ").trim() };
  if (command === "user") {
    const [action, name, ...rest] = positionals;
    if (action === "add" && name && rest.length === 0) return { user: name };
    throw new ConfigError(
      `config: user takes add NAME, got ${positionals.map((p) => `"${p}"`).join(" ") || "nothing"} (see readout user --help)`,
    );
  }
  if (command === "pg") {
    const [action] = positionals;
    if (positionals.length === 1 && (action === "start" || action === "stop"))
      return { pgAction: action };
    throw new ConfigError(
      `config: pg takes start or stop, got ${positionals.map((p) => `"${p}"`).join(" ") || "nothing"} (see readout pg --help)`,
    );
  }
  if (positionals.length === 0) return {};
  if (command === "check" && positionals.length === 1)
    return { data: folder(positionals[0]!, "DIR") };
  throw new ConfigError(
    `config: ${command} takes ${command === "check" ? "one folder" : "no arguments"}, got ${positionals.map((p) => `"${p}"`).join(" ")} (see readout ${command} --help)`,
  );
}

/** Rules between options, and what each command cannot do without. */
function checkCombinations(config: Config, flags: Flags, command: Command) {
  if (flags.json && flags.csv)
    throw new ConfigError("config: choose one of --json and --csv, not both");
  if (command === "import" && !config.pg)
    throw new ConfigError(
      "config: import needs --pg SPEC (or READOUT_PG): the PostgreSQL servers to load (see readout import --help)",
    );
  if (command === "pg" && !config.dir)
    throw new ConfigError(
      "config: pg needs --dir DIR, the folder of the local cluster",
    );
  if (config.history && (config.cache === null || config.pg))
    throw new ConfigError(
      config.pg
        ? "config: --history keeps earlier texts in the cache folder of the in-memory engine; it does not work with --pg"
        : "config: --history keeps earlier texts in the cache folder; it cannot be used with --no-cache",
    );
  if (config.readOnly && config.users)
    throw new ConfigError(
      "config: --read-only keeps no collections or saved searches, so --users has nothing to sign in to; choose one",
    );
  if (command === "user" && !config.users)
    throw new ConfigError(
      "config: user add needs --users FILE (or READOUT_USERS): the file of people to write",
    );
  if (command === "user" && !config.role)
    throw new ConfigError(
      "config: user add needs --role editor or --role reader",
    );
  if (command === "search" && !config.query && !config.from && !config.to)
    throw new ConfigError(
      'config: search needs a query, e.g. readout search "joint statement" (see readout search --help)',
    );
}

/**
 * Where the index is saved unless `--cache` says: `.readout-cache` inside the data folder. The
 * sample archive of an installed package (under node_modules, perhaps owned by root) is the
 * exception: its index goes to the user's cache folder, `$XDG_CACHE_HOME/readout/sample`.
 */
export function defaultCache(
  dataDir: string,
  env: Record<string, string | undefined>,
): string {
  if (dataDir !== SAMPLE || !/[\\/]node_modules[\\/]/.test(SAMPLE))
    return path.join(dataDir, ".readout-cache");
  const cacheHome =
    env.XDG_CACHE_HOME || path.join(env.HOME || homedir(), ".cache");
  return path.join(cacheHome, "readout", "sample");
}
