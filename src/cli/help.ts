import {
  defaultWords,
  envWords,
  flagWords,
  optionsOf,
  type Command,
} from "../runtime/options.ts";

/** Help lines no wider than this are kept on one line. */
const WIDTH = 100;
/** A longer flag puts its help on the next line. */
const FLAG_COLUMN = 16;

/**
 * The options a command takes, from the options table: the flag, its help, and its variable
 * and default on the same line when they fit, else on the next.
 */
function optionLines(command: Command): string {
  const rows = optionsOf(command);
  const column =
    Math.min(FLAG_COLUMN, Math.max(...rows.map((r) => flagWords(r).length))) +
    4;
  const indent = " ".repeat(column);
  return rows
    .map((row) => {
      const flag = `  ${flagWords(row)}`;
      const line =
        (flag.length < column - 1
          ? flag.padEnd(column)
          : `${flag}\n${indent}`) + plain(row.help);
      const last = line.slice(line.lastIndexOf("\n") + 1);
      const shown = defaultWords(row);
      const extra = [envWords(row), shown && `default: ${plain(shown)}`]
        .filter(Boolean)
        .join("; ");
      if (!extra) return line;
      return last.length + extra.length + 5 <= WIDTH
        ? `${line}   (${extra})`
        : `${line}\n${indent}(${extra})`;
    })
    .join("\n");
}

/** Markdown's `code` as the terminal shows it. */
function plain(text: string): string {
  return text.replaceAll("`", "");
}

const SERVE_NOTES = `The index is saved after a build and loaded at the next start when it is whole and the files
it came from are unchanged; files changed since are read again. While Readout runs, files
added, changed or removed in the data folder are searchable (or gone) within seconds.

Collections and saved searches are kept in the cache folder (with --pg, in the database).
Listening beyond this computer (--host) needs --users or --read-only: otherwise anyone who can
reach it could add to and remove from them.`;

/** `--help` of each command, and of `readout` alone. */
export const usage: Record<Command | "readout", string> = {
  readout: `Usage: readout [command] [options]

Full-text search for a folder of statements.

Commands:
  serve          serve the archive as a search engine in the browser (the default)
  search QUERY   print the statements that match QUERY, best first
  check [DIR]    list every problem in a folder of statements, before a long import
  import         load a folder into PostgreSQL (--pg SPEC --data DIR)
  pg start|stop  a local PostgreSQL cluster for trying Readout (--dir DIR --shards N --replicas R)
  user add NAME  add a person who may sign in (--users FILE --role editor|reader)
  saved          list the saved searches and how many statements are new to each

"readout COMMAND --help" shows a command's options. Without a command, readout serves
("npm start -- [options]" does the same):

Options (each also an environment variable where one is named):
${optionLines("serve")}

${SERVE_NOTES}`,

  serve: `Usage: readout serve [options]      (or: npm start -- [options])

Serves a folder of statements as a search engine in the browser.

Options (each also an environment variable where one is named):
${optionLines("serve")}

${SERVE_NOTES}`,

  search: `Usage: readout search QUERY [options]

Prints the statements that match QUERY, best first. QUERY is in the query language of the
web pages: "exact phrase", ceasefire OR truce, -word, title:word, source:"…", negotiat*,
Bayramov~, after:2023-01-01 (see /help in the web app).

Options:
${optionLines("search")}

Problems found while reading the folder are printed to stderr.

Example: readout search '"joint statement" Karabakh -Armenia' --from 2023 --limit 5`,

  check: `Usage: readout check [DIR]

Reads a folder of statements as serve and search would, without indexing it, and lists every
file and record that would be skipped or changed. Exit code 0 when there is no problem, 1 when
there is any, 2 for a bad option.

  DIR             the folder to check   (default: --data DIR, else READOUT_DATA, else the bundled data/)
${optionLines("check")}`,

  import: `Usage: readout import --pg SPEC --data DIR

Loads a folder of statements into PostgreSQL, as the writer role. Only files added or changed
since the last import are read, and only statements that changed are written; statements of
files gone are removed. The import is one transaction per shard: stopped halfway, the
previous contents stay searchable, and running it again completes it.

${optionLines("import")}`,

  pg: `Usage: readout pg start --dir DIR [--shards N] [--replicas R] [--unsafe-fast]
       readout pg stop --dir DIR

Creates and starts (or stops) a local PostgreSQL cluster on loopback for trying Readout: N
shards (default 2), each a primary with R streaming replicas (default 1), using Debian's
PostgreSQL 15. The last line printed is the spec for --pg; passwords stay in DIR/pgpass.

${optionLines("pg")}`,

  user: `Usage: readout user add NAME --role editor|reader --users FILE

Adds a person to the users file that "readout serve --users FILE" signs people in from (or
gives one already there a new role and password). The password is asked for on a terminal,
or read from the first line of standard input:

    printf '%s\\n' "$PASSWORD" | readout user add alice --role editor --users users.txt

Editors keep collections and saved searches of their own and may share a collection
read-only; readers only read what is shared. The file holds scrypt hashes, never passwords.

${optionLines("user")}`,

  saved: `Usage: readout saved [options]

Prints the saved searches and how many statements Readout has read since each was last opened
in the browser: one line each, "N new", its name, what it searches for and its address. Made
for a cron job: it opens nothing, so the counts stay as they are until the browser opens the
search.

${optionLines("saved")}`,
};
