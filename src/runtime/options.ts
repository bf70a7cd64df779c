/**
 * Every option of Readout, once: its flag, environment variable, default, help line and
 * README row. The parser (`config.ts`), `--help` (`cli/help.ts`) and the README's table
 * (`npm run readme:options`, checked by tests/options.test.ts) are made from this table, and
 * the `Config` type gets a field per `key`. Adding an option is adding a row.
 */
import path from "node:path";
import { MODES, SORTS, WORDS } from "../query/params.ts";
import { MAX_MEMORY } from "./launcher.ts";
import {
  choice,
  date,
  folder,
  folderOrOff,
  heapSize,
  host,
  languages,
  origin,
  proxies,
  text,
  wholeNumber,
  type Reader,
} from "./option-values.ts";

/** What Readout can be asked to do; `serve` when the command line names nothing. */
export const COMMANDS = [
  "serve",
  "search",
  "check",
  "import",
  "pg",
  "user",
  "saved",
] as const;
export type Command = (typeof COMMANDS)[number];

/** One option. A row with `arg` takes a value; one without is a switch. */
export interface Option<K extends string = string, T = unknown> {
  /** The field of `Config` it fills; several rows may fill one (`--json`, `--csv`). */
  key: K;
  /** The flag, without its dashes. */
  flag: string;
  /** A one-letter alias (`-h`). */
  short?: string;
  /** What the flag's value is called in help (`DIR`, `N`); none for a switch. */
  arg?: string;
  /** The environment variable read when the flag is not given (a switch's: 1 or 0). */
  env?: string;
  /** The commands that take it; any other refuses it, and ignores its variable. */
  commands: readonly Command[];
  /** The value when neither the flag nor the variable is given. */
  default: T;
  /** The default in words, when it is not the value itself (Markdown: `code` in backquotes). */
  shown?: string;
  /** One line for `--help` and the README (Markdown, as `shown`). */
  help: string;
  /** Where the docs say more, for the README's row: `[Memory](docs/operations.md#memory)`. */
  more?: string;
  /** Reads a value of the flag or the variable; every row with `arg` has one. */
  read?: Reader<T>;
  /** What a switch sets; `true` when not said. */
  sets?: T;
}

function option<K extends string, T>(row: Option<K, T>): Option<K, T> {
  return row;
}

/** The sample archive shipped with Readout. */
export const SAMPLE = path.resolve(import.meta.dirname, "..", "..", "data");

/** The most results `search` prints: enough for any reading, small enough to stay quick. */
export const MAX_LIMIT = 10_000;

const LOADING: Command[] = ["serve", "search", "check", "import", "saved"];

export const OPTIONS = [
  option({
    key: "data",
    flag: "data",
    arg: "DIR",
    env: "READOUT_DATA",
    commands: ["serve", "search", "check", "import", "saved"],
    default: SAMPLE,
    shown: "the bundled `data/`",
    help: "folder of statements, read recursively",
    read: folder,
  }),
  option({
    key: "port",
    flag: "port",
    arg: "N",
    env: "READOUT_PORT",
    commands: ["serve"],
    default: 3000,
    help: "port to serve on; `0` picks a free one",
    read: wholeNumber(0, 65535),
  }),
  option({
    key: "host",
    flag: "host",
    arg: "H",
    env: "READOUT_HOST",
    commands: ["serve"],
    default: "127.0.0.1",
    help: "interface to listen on; the default keeps the archive on this computer",
    read: host,
  }),
  option({
    key: "strict",
    flag: "strict",
    env: "READOUT_STRICT",
    commands: ["serve", "search"],
    default: false,
    help: "exit with an error (code 1) if any file or record has a problem",
  }),
  option<"cache", string | null | undefined>({
    key: "cache",
    flag: "cache",
    arg: "DIR",
    env: "READOUT_CACHE",
    commands: ["serve", "search", "saved"],
    default: undefined,
    shown: "`.readout-cache` in the data folder",
    help: "where the index is saved for a quick next start; `off` for nowhere",
    read: folderOrOff,
  }),
  option<"cache", string | null | undefined>({
    key: "cache",
    flag: "no-cache",
    commands: ["serve", "search", "saved"],
    default: undefined,
    help: "neither load nor save an index (as `READOUT_CACHE=off`)",
    sets: null,
  }),
  option<"trustProxy", string | number | false>({
    key: "trustProxy",
    flag: "trust-proxy",
    arg: "P",
    env: "READOUT_TRUST_PROXY",
    commands: ["serve"],
    default: false,
    shown: "none",
    help: "believe `X-Forwarded-For` from the proxies: `loopback`, addresses, ranges or a number of hops",
    more: "[Behind a reverse proxy](docs/operations.md#behind-a-reverse-proxy)",
    read: proxies,
  }),
  option<"publicUrl", string | undefined>({
    key: "publicUrl",
    flag: "public-url",
    arg: "URL",
    env: "READOUT_PUBLIC_URL",
    commands: ["serve"],
    default: undefined,
    shown: "none",
    help: "the address others reach the archive at, for links in citations, feeds and OpenSearch",
    more: "[Links others can open](docs/search.md#links-others-can-open)",
    read: origin,
  }),
  option({
    key: "history",
    flag: "history",
    env: "READOUT_HISTORY",
    commands: ["serve"],
    default: false,
    help: "keep the earlier texts of a changed file in the cache folder, and show what changed",
    more: "[Research tools](docs/search.md#research-tools)",
  }),
  option({
    key: "entities",
    flag: "entities",
    env: "READOUT_ENTITIES",
    commands: ["serve", "import"],
    default: true,
    shown: "on",
    help: "find the people, places and organisations statements name (facets, `person:`, /names); a first reading takes about twice as long",
    more: "[Names](docs/analysis.md#people-places-and-organisations)",
  }),
  option({
    key: "entities",
    flag: "no-entities",
    commands: ["serve", "import"],
    default: true,
    help: "read without names, as `READOUT_ENTITIES=0`: a first reading about twice as fast",
    sets: false,
  }),
  option({
    key: "followHardLinks",
    flag: "follow-hard-links",
    env: "READOUT_FOLLOW_HARD_LINKS",
    commands: LOADING,
    default: false,
    help: "read files that have more than one name (hard links), one of which may lie outside the data folder",
    more: "[What `--data` trusts](docs/operations.md#what---data-trusts)",
  }),
  option<"queryCache", number | undefined>({
    key: "queryCache",
    flag: "query-cache",
    arg: "N",
    env: "READOUT_QUERY_CACHE",
    commands: ["serve"],
    default: undefined,
    shown: "`256` match sets, `128` pages",
    help: "recent queries' match sets, and rendered results pages, to keep; `0` keeps none",
    read: wholeNumber(0, 100_000),
  }),
  option<"maxMemory", number | undefined>({
    key: "maxMemory",
    flag: MAX_MEMORY.flag,
    arg: "M",
    env: MAX_MEMORY.env,
    commands: LOADING,
    default: undefined,
    shown: "75% of the memory",
    help: "heap limit: `8g`, `6144m`, `50%`",
    more: "[Memory](docs/operations.md#memory)",
    read: heapSize,
  }),
  option<"ocrLanguages", string[] | undefined>({
    key: "ocrLanguages",
    flag: "ocr-languages",
    arg: "L",
    env: "READOUT_OCR_LANGUAGES",
    commands: LOADING,
    default: undefined,
    shown: "every language Tesseract has",
    help: "languages scans and images are read in by OCR, Tesseract's names joined by `+` (`eng+fra`); `none` reads no scan",
    more: "[Scans](docs/formats.md#scans-ocr)",
    read: languages,
  }),
  option<"pg", string | undefined>({
    key: "pg",
    flag: "pg",
    arg: "SPEC",
    env: "READOUT_PG",
    commands: ["serve", "search", "import", "saved"],
    default: undefined,
    shown: "none",
    help: "the PostgreSQL servers to use instead of the in-memory index; with `--data`, serve keeps them in step with the folder",
    more: "[PostgreSQL](docs/postgres.md)",
    read: text,
  }),
  option({
    key: "limit",
    flag: "limit",
    arg: "N",
    commands: ["search"],
    default: 20,
    help: `print at most N results, 1 to ${MAX_LIMIT}`,
    read: wholeNumber(1, MAX_LIMIT),
  }),
  option<"format", "text" | "json" | "csv">({
    key: "format",
    flag: "json",
    commands: ["search", "saved"],
    default: "text",
    help: "print JSON: `{ q, description, total, relaxed, notes, hits }`",
    sets: "json",
  }),
  option<"format", "text" | "json" | "csv">({
    key: "format",
    flag: "csv",
    commands: ["search"],
    default: "text",
    help: "print CSV, with a header line",
    sets: "csv",
  }),
  option({
    key: "mode",
    flag: "mode",
    arg: MODES.join("|"),
    commands: ["search"],
    default: MODES[0],
    help: "every word must appear, or any word will do",
    read: choice(MODES),
  }),
  option({
    key: "sort",
    flag: "sort",
    arg: "ORDER",
    commands: ["search"],
    default: SORTS[0],
    help: `${SORTS.slice(0, -1).join(", ")} or ${SORTS.at(-1)}`,
    read: choice(SORTS),
  }),
  option({
    key: "words",
    flag: "words",
    arg: WORDS.join("|"),
    commands: ["search"],
    default: WORDS[0],
    help: "a word's other forms and spellings in other scripts, its forms only, or only itself",
    read: choice(WORDS),
  }),
  option({
    key: "from",
    flag: "from",
    arg: "DATE",
    commands: ["search"],
    default: "",
    shown: "none",
    help: "only statements dated on or after DATE (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`)",
    read: date,
  }),
  option({
    key: "to",
    flag: "to",
    arg: "DATE",
    commands: ["search"],
    default: "",
    shown: "none",
    help: "only statements dated on or before DATE",
    read: date,
  }),
  option({
    key: "problems",
    flag: "problems",
    commands: ["search"],
    default: false,
    help: "print every problem of the data folder, also when the saved index is used as it was",
  }),
  option<"dir", string | undefined>({
    key: "dir",
    flag: "dir",
    arg: "DIR",
    commands: ["pg"],
    default: undefined,
    shown: "none",
    help: "the folder of the local cluster",
    read: folder,
  }),
  option({
    key: "shards",
    flag: "shards",
    arg: "N",
    commands: ["pg"],
    default: 2,
    help: "shards of the local cluster",
    read: wholeNumber(1, 64),
  }),
  option({
    key: "replicas",
    flag: "replicas",
    arg: "R",
    commands: ["pg"],
    default: 1,
    help: "streaming replicas of each shard",
    read: wholeNumber(0, 64),
  }),
  option({
    key: "unsafeFast",
    flag: "unsafe-fast",
    commands: ["pg"],
    default: false,
    help: "create the cluster without fsync: faster writes, but a crash of the machine can corrupt it (benchmarks only)",
    more: "[Durability](docs/postgres.md#durability)",
  }),
  option<"users", string | undefined>({
    key: "users",
    flag: "users",
    arg: "FILE",
    env: "READOUT_USERS",
    commands: ["serve", "user"],
    default: undefined,
    shown: "none: one local person, no sign-in",
    help: "the people who sign in, each with collections and saved searches of their own (`readout user add` writes it)",
    more: "[Keep what you find](docs/workspace.md#people-on-a-shared-server)",
    read: folder,
  }),
  option({
    key: "readOnly",
    flag: "read-only",
    env: "READOUT_READ_ONLY",
    commands: ["serve"],
    default: false,
    help: "keep no collections or saved searches: nothing can be written",
    more: "[Keep what you find](docs/workspace.md)",
  }),
  option<"role", "editor" | "reader" | undefined>({
    key: "role",
    flag: "role",
    arg: "ROLE",
    commands: ["user"],
    default: undefined,
    shown: "none",
    help: "`editor` (keeps collections and saved searches) or `reader` (reads what is shared)",
    read: choice(["editor", "reader"] as const),
  }),
  option<"savedUser", string | undefined>({
    key: "savedUser",
    flag: "user",
    arg: "NAME",
    commands: ["saved"],
    default: undefined,
    shown: "everyone's",
    help: "only this person's saved searches",
    read: text,
  }),
  option({
    key: "help",
    flag: "help",
    short: "h",
    commands: COMMANDS,
    default: false,
    help: "show this help",
  }),
];

type Row = (typeof OPTIONS)[number];

/** A field per option key, of the type its rows read. */
export type OptionValues = {
  [R in Row as R["key"]]: R extends Option<string, infer T> ? T : never;
};

/** The options a command takes, in the table's order. */
export function optionsOf(command: Command): Row[] {
  return OPTIONS.filter((o) => o.commands.includes(command));
}

/** The flag as help shows it: `--data DIR`, `--strict`. */
export function flagWords(row: Option): string {
  return `--${row.flag}${row.arg ? ` ${row.arg}` : ""}`;
}

/** The environment variable as help shows it: `READOUT_DATA`, a switch's `READOUT_STRICT=1`. */
export function envWords(row: Option): string {
  return row.env ? `${row.env}${row.arg ? "" : "=1"}` : "";
}

/** The default in words (Markdown), or "" when there is none to say (a switch without a variable). */
export function defaultWords(row: Option): string {
  if (row.shown !== undefined) return row.shown;
  if (!row.arg) return row.env ? "off" : "";
  if (row.default === undefined || row.default === "") return "";
  return `\`${String(row.default)}\``;
}
