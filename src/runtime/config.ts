import { isIP } from "node:net";
import { homedir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  formDate,
  MODES,
  SORTS,
  WORDS,
  type Mode,
  type Sort,
  type Words,
} from "../query/params.ts";

/** What Readout can be asked to do; `serve` when the command line names nothing. */
export const COMMANDS = ["serve", "search", "check", "import", "pg"] as const;
export type Command = (typeof COMMANDS)[number];

/**
 * How Readout runs. Each field is a flag; `data`, `port`, `host` and `strict` are also
 * environment variables. Fields marked "search" belong to `readout search` only.
 */
export interface Config {
  /** Folder of statements, read recursively. `--data`, `READOUT_DATA` (for `check`, also its argument); default the bundled `data/`. */
  data: string;
  /** TCP port to serve on; 0 picks a free one. `--port`, `READOUT_PORT`; default 3000. */
  port: number;
  /** Interface to listen on. `--host`, `READOUT_HOST`; default 127.0.0.1 (this computer only). */
  host: string;
  /** Stop with a non-zero exit when any file or record has a problem. `--strict`, `READOUT_STRICT=1`; default off. */
  strict: boolean;
  /** serve: keep the earlier text of a statement whose file changes, in the cache folder. `--history`, `READOUT_HISTORY=1`; default off. */
  history: boolean;
  /**
   * Folder for the saved index, so the next start is quick; null with `--no-cache` or
   * `READOUT_CACHE=off`. `--cache DIR`, `READOUT_CACHE`; default `.readout-cache` inside the data folder.
   */
  cache: string | null;
  /**
   * serve: the reverse proxies whose `X-Forwarded-*` headers to believe, as Express's `trust
   * proxy` takes them (`loopback`, addresses or CIDR ranges separated by commas, or a number of
   * hops); false to believe none. `--trust-proxy`, `READOUT_TRUST_PROXY`; default false.
   */
  trustProxy: string | number | false;
  /**
   * serve: the address others reach this archive at (`https://archive.example.org`), for every
   * absolute link: permanent links, citations, feeds, exports, OpenSearch. Without it, absolute
   * links name the address Readout listens on, and citations leave the permanent link out.
   * `--public-url`, `READOUT_PUBLIC_URL`; default none.
   */
  publicUrl?: string;
  /** search: the query, in the query language (the arguments after `search`, joined by spaces). Default none. */
  query: string;
  /** search: most results printed, in ranked order. `--limit`; default 20. */
  limit: number;
  /** search: `text` for reading, `json` or `csv`. `--json`, `--csv`; default text. */
  format: "text" | "json" | "csv";
  /** search: whether `all` words must appear or `any` will do. `--mode`; default all. */
  mode: Mode;
  /** search: result order. `--sort`; default relevance. */
  sort: Sort;
  /** search: what else a word finds (see `WORDS`). `--words`; default variants. */
  words: Words;
  /** search: only statements dated on or after (`from`) or on or before (`to`) this date, as `YYYY[-MM[-DD]]`. `--from`, `--to`; default none. */
  from: string;
  to: string;
  /** The PostgreSQL servers to use instead of the in-memory index (see engines/postgres/spec.ts). `--pg`, `READOUT_PG`; default none. */
  pg?: string;
  /** Whether the data folder was named (`--data`, `READOUT_DATA`): with `--pg`, serve then keeps the database in step with it. */
  dataGiven: boolean;
  /** pg: the action (`start` or `stop`), the cluster's folder, its shards and replicas per shard. */
  pgAction?: string;
  dir?: string;
  shards: number;
  replicas: number;
}

const SAMPLE = path.resolve(import.meta.dirname, "..", "..", "data");

export const defaults: Config = {
  data: SAMPLE,
  port: 3000,
  host: "127.0.0.1",
  strict: false,
  history: false,
  cache: defaultCache(SAMPLE, process.env),
  trustProxy: false,
  query: "",
  limit: 20,
  format: "text",
  mode: "all",
  sort: "relevance",
  words: "variants",
  from: "",
  to: "",
  dataGiven: false,
  shards: 2,
  replicas: 1,
};

/** The most results `search` prints: enough for any reading, small enough to stay quick. */
export const MAX_LIMIT = 10_000;

const FLAGS = {
  data: { type: "string" },
  port: { type: "string" },
  host: { type: "string" },
  strict: { type: "boolean" },
  history: { type: "boolean" },
  cache: { type: "string" },
  "no-cache": { type: "boolean" },
  "trust-proxy": { type: "string" },
  "public-url": { type: "string" },
  limit: { type: "string" },
  json: { type: "boolean" },
  csv: { type: "boolean" },
  mode: { type: "string" },
  sort: { type: "string" },
  words: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  help: { type: "boolean", short: "h" },
  pg: { type: "string" },
  dir: { type: "string" },
  shards: { type: "string" },
  replicas: { type: "string" },
} as const;
type Flag = keyof typeof FLAGS;

/** The flags each command takes; any other is refused, so a misplaced one is not ignored. */
const COMMAND_FLAGS: Record<Command, Flag[]> = {
  serve: [
    "data",
    "port",
    "host",
    "strict",
    "cache",
    "no-cache",
    "trust-proxy",
    "public-url",
    "history",
    "pg",
    "help",
  ],
  search: [
    "data",
    "pg",
    "strict",
    "cache",
    "no-cache",
    "limit",
    "json",
    "csv",
    "mode",
    "sort",
    "words",
    "from",
    "to",
    "help",
  ],
  check: ["data", "help"],
  import: ["data", "pg", "help"],
  pg: ["dir", "shards", "replicas", "help"],
};

const ENV: Partial<Record<Flag, string>> = {
  data: "READOUT_DATA",
  port: "READOUT_PORT",
  host: "READOUT_HOST",
  strict: "READOUT_STRICT",
  cache: "READOUT_CACHE",
  "trust-proxy": "READOUT_TRUST_PROXY",
  "public-url": "READOUT_PUBLIC_URL",
  pg: "READOUT_PG",
};

/** Thrown for a bad option; the message names the option and the value. */
export class ConfigError extends Error {}

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

/** Merges flags over environment variables over defaults for one command, and validates once. */
export function loadConfig(
  argv: string[],
  env: Record<string, string | undefined>,
  command: Command = "serve",
): Config & { help: boolean } {
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: FLAGS,
      strict: true,
      allowPositionals: true,
    }));
  } catch (err) {
    throw new ConfigError(
      `config: ${(err as Error).message.split("\n")[0]} (see --help)`,
    );
  }
  const allowed = COMMAND_FLAGS[command];
  for (const flag of Object.keys(values) as Flag[]) {
    if (!allowed.includes(flag))
      throw new ConfigError(
        `config: --${flag} is not an option of ${command} (see readout ${command} --help)`,
      );
  }
  if (values.help) return { ...defaults, help: true };

  const pick = (flag: Flag) => {
    const envName = allowed.includes(flag) ? ENV[flag] : undefined;
    return values[flag] !== undefined
      ? { value: String(values[flag]), from: `--${flag}` }
      : envName !== undefined && env[envName] !== undefined
        ? { value: env[envName]!, from: envName }
        : undefined;
  };
  const pgAction = command === "pg" ? checkedAction(positionals) : undefined;
  const data =
    command === "pg"
      ? undefined
      : (checkedPositionals(command, positionals) ?? pick("data"));
  const port = pick("port");
  const host = pick("host");
  const strictEnv = allowed.includes("strict") ? env.READOUT_STRICT : undefined;
  if (
    strictEnv !== undefined &&
    !/^(1|0|true|false|yes|no|)$/i.test(strictEnv)
  ) {
    throw new ConfigError(
      `config: READOUT_STRICT must be 1 or 0, got "${strictEnv}"`,
    );
  }
  if (values.json && values.csv)
    throw new ConfigError("config: choose one of --json and --csv, not both");
  const dataDir = data ? checkedData(data.value, data.from) : defaults.data;
  const history =
    values.history ??
    (command === "serve" && /^(1|true|yes)$/i.test(env.READOUT_HISTORY ?? ""));
  const cache = pick("cache");
  const trustProxy = pick("trust-proxy");
  const config: Config = {
    data: dataDir,
    cache: values["no-cache"]
      ? null
      : cache && /^(off|0|false|no)$/i.test(cache.value)
        ? null
        : cache
          ? checkedData(cache.value, cache.from)
          : defaultCache(dataDir, env),
    port: port ? checkedPort(port.value, port.from) : defaults.port,
    host: host ? checkedHost(host.value, host.from) : defaults.host,
    trustProxy: trustProxy
      ? checkedProxies(trustProxy.value, trustProxy.from)
      : defaults.trustProxy,
    strict: values.strict ?? /^(1|true|yes)$/i.test(strictEnv ?? ""),
    history,
    query: command === "search" ? positionals.join(" ").trim() : "",
    limit:
      values.limit !== undefined ? checkedLimit(values.limit) : defaults.limit,
    format: values.json ? "json" : values.csv ? "csv" : defaults.format,
    mode:
      values.mode !== undefined
        ? checkedChoice(values.mode, "--mode", MODES)
        : defaults.mode,
    sort:
      values.sort !== undefined
        ? checkedChoice(values.sort, "--sort", SORTS)
        : defaults.sort,
    words:
      values.words !== undefined
        ? checkedChoice(values.words, "--words", WORDS)
        : defaults.words,
    from: values.from !== undefined ? checkedDate(values.from, "--from") : "",
    to: values.to !== undefined ? checkedDate(values.to, "--to") : "",
    dataGiven: data !== undefined,
    shards:
      values.shards !== undefined
        ? checkedCount(values.shards, "--shards", 1)
        : 2,
    replicas:
      values.replicas !== undefined
        ? checkedCount(values.replicas, "--replicas", 0)
        : 1,
  };
  const pg = pick("pg");
  if (pg) config.pg = pg.value;
  const publicUrl = pick("public-url");
  if (publicUrl)
    config.publicUrl = checkedOrigin(publicUrl.value, publicUrl.from);
  if (pgAction) config.pgAction = pgAction;
  if (values.dir !== undefined) config.dir = checkedData(values.dir, "--dir");
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
        ? "config: --history keeps earlier texts in the in-memory engine's cache folder; it does not work with --pg"
        : "config: --history keeps earlier texts in the cache folder; it cannot be used with --no-cache",
    );
  if (command === "search" && !config.query && !config.from && !config.to)
    throw new ConfigError(
      'config: search needs a query, e.g. readout search "joint statement" (see readout search --help)',
    );
  return { ...config, help: false };
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

/** `pg start` or `pg stop`. */
function checkedAction(positionals: string[]): string {
  if (positionals.length === 1 && ["start", "stop"].includes(positionals[0]!))
    return positionals[0]!;
  throw new ConfigError(
    `config: pg takes start or stop, got ${positionals.map((p) => `"${p}"`).join(" ") || "nothing"} (see readout pg --help)`,
  );
}

function checkedCount(value: string, from: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > 64)
    throw new ConfigError(
      `config: ${from} must be a whole number from ${min} to 64, got "${value}"`,
    );
  return n;
}

/** `check DIR` names its folder; `search` takes its words as the query; `serve` takes none. */
function checkedPositionals(
  command: Command,
  positionals: string[],
): { value: string; from: string } | undefined {
  if (command === "search" || positionals.length === 0) return undefined;
  if (command === "check" && positionals.length === 1)
    return { value: positionals[0]!, from: "DIR" };
  throw new ConfigError(
    `config: ${command} takes ${command === "check" ? "one folder" : "no arguments"}, got ${positionals.map((p) => `"${p}"`).join(" ")} (see readout ${command} --help)`,
  );
}

function checkedData(value: string, from: string): string {
  if (value.trim() === "")
    throw new ConfigError(`config: ${from} must name a folder, got ""`);
  return path.resolve(value);
}

function checkedPort(value: string, from: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65535) {
    throw new ConfigError(
      `config: ${from} must be a whole number from 0 to 65535, got "${value}"`,
    );
  }
  return port;
}

function checkedHost(value: string, from: string): string {
  if (!/^[\w.:[\]-]+$/.test(value)) {
    throw new ConfigError(
      `config: ${from} must be a host name or IP address, got "${value}"`,
    );
  }
  return value;
}

// Express would also take `true` (believe anyone): then any client could pick the host and
// protocol of every absolute link, so the proxy must be named.
function checkedProxies(value: string, from: string): string | number | false {
  if (/^(?:off|false|no|)$/i.test(value.trim())) return false;
  if (/^\d{1,2}$/.test(value.trim())) return Number(value);
  const parts = value.split(",").map((p) => p.trim());
  const ok = parts.every((p) => {
    if (/^(loopback|linklocal|uniquelocal)$/.test(p)) return true;
    const [address = "", bits, ...rest] = p.split("/");
    const version = isIP(address);
    return (
      version !== 0 &&
      rest.length === 0 &&
      (bits === undefined ||
        (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128)))
    );
  });
  if (!ok)
    throw new ConfigError(
      `config: ${from} must be loopback, uniquelocal, addresses or ranges (10.0.0.0/8) separated by commas, or a number of hops, got "${value}"`,
    );
  return parts.join(",");
}

// Readout's links are paths from the root (`/statements/…`), so the public address is an
// origin: a proxy that serves Readout under a path would need every link rewritten.
function checkedOrigin(value: string, from: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value.trim());
  } catch {
    url = undefined;
  }
  if (
    !url ||
    !/^https?:$/.test(url.protocol) ||
    url.username ||
    url.password ||
    url.pathname !== "/" ||
    url.search ||
    url.hash
  )
    throw new ConfigError(
      `config: ${from} must be an http:// or https:// address without a path, such as https://archive.example.org, got "${value}"`,
    );
  return url.origin;
}

function checkedLimit(value: string): number {
  const limit = Number(value);
  if (!/^\d+$/.test(value.trim()) || limit < 1 || limit > MAX_LIMIT) {
    throw new ConfigError(
      `config: --limit must be a whole number from 1 to ${MAX_LIMIT}, got "${value}"`,
    );
  }
  return limit;
}

function checkedChoice<T extends string>(
  value: string,
  from: string,
  options: readonly T[],
): T {
  if (!options.includes(value as T)) {
    const list = `${options.slice(0, -1).join(", ")} or ${options.at(-1)}`;
    throw new ConfigError(`config: ${from} must be ${list}, got "${value}"`);
  }
  return value as T;
}

/** A day, month or year, as the search form takes it; written-out dates are read too. */
function checkedDate(value: string, from: string): string {
  const iso = formDate(value);
  if (!iso) {
    throw new ConfigError(
      `config: ${from} must be a date as YYYY, YYYY-MM or YYYY-MM-DD, got "${value}"`,
    );
  }
  return iso;
}
