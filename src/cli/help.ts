import { MAX_LIMIT, type Command } from "../runtime/config.ts";
import { MODES, SORTS, WORDS } from "../query/params.ts";

const serveOptions = `Options (each also an environment variable):
  --data DIR   folder of statements, read recursively   READOUT_DATA   (default: the bundled data/)
  --port N     port to serve on, 0 for any free port    READOUT_PORT   (default: 3000)
  --host H     interface to listen on                    READOUT_HOST   (default: 127.0.0.1)
  --strict     exit with an error if any file has a problem   READOUT_STRICT=1
  --cache DIR  where to save the index for a quick next start  READOUT_CACHE
               (default: .readout-cache inside the data folder)
  --no-cache   neither load nor save an index                  READOUT_CACHE=off
  --trust-proxy P  believe X-Forwarded-For from these proxies: loopback, addresses or
               ranges, or a number of hops                     READOUT_TRUST_PROXY
  --public-url URL the address others reach the archive at, for permanent links,
               citations, feeds and OpenSearch                 READOUT_PUBLIC_URL
               (default: none; links then name the address Readout listens on)
  --history    keep the earlier text of a statement whose file changes, in the cache folder,
               and show what changed on its page                  READOUT_HISTORY=1
  --max-memory M   heap limit, e.g. 8g or 50%   READOUT_MAX_MEMORY   (default: 75% of memory)
  --pg SPEC    serve from PostgreSQL instead of memory            READOUT_PG
               (with --data too, the database follows the folder)
  --help       show this help

The index is saved after a build and loaded at the next start when it is whole and the files
it came from are unchanged; files changed since are read again. While Readout runs, files
added, changed or removed in the data folder are searchable (or gone) within seconds.`;

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

"readout COMMAND --help" shows a command's options. Without a command, readout serves
("npm start -- [options]" does the same):

${serveOptions}`,

  serve: `Usage: readout serve [options]      (or: npm start -- [options])

Serves a folder of statements as a search engine in the browser.

${serveOptions}`,

  search: `Usage: readout search QUERY [options]

Prints the statements that match QUERY, best first. QUERY is in the query language of the
web pages: "exact phrase", ceasefire OR truce, -word, title:word, source:"…", negotiat*,
Bayramov~, after:2023-01-01 (see /help in the web app).

Options:
  --data DIR       folder of statements, read recursively   READOUT_DATA   (default: the bundled data/)
  --limit N        print at most N results, 1 to ${MAX_LIMIT}   (default: 20)
  --json           print JSON: { q, description, total, relaxed, notes, hits }
  --csv            print CSV, with a header line
  --mode ${MODES.join("|")}   every word must appear, or any word will do   (default: ${MODES[0]})
  --sort ORDER     ${SORTS.slice(0, -1).join(", ")} or ${SORTS.at(-1)}   (default: ${SORTS[0]})
  --words ${WORDS.join("|")}   a word's other forms and spellings in other scripts, its forms only, or only itself   (default: ${WORDS[0]})
  --from DATE      only statements dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)
  --to DATE        only statements dated on or before DATE
  --strict         exit with an error if any file has a problem   READOUT_STRICT=1
  --cache DIR      the saved index to use and update   READOUT_CACHE   (default: .readout-cache in the data folder)
  --no-cache       neither load nor save an index
  --max-memory M   heap limit, e.g. 8g or 50%   READOUT_MAX_MEMORY   (default: 75% of memory)
  --help           show this help

Problems found while reading the folder are printed to stderr.

Example: readout search '"joint statement" Karabakh -Armenia' --from 2023 --limit 5`,

  check: `Usage: readout check [DIR]

Reads a folder of statements as serve and search would, without indexing it, and lists every
file and record that would be skipped or changed. Exit code 0 when there is no problem, 1 when
there is any, 2 for a bad option.

  DIR          the folder to check   (default: --data DIR, else READOUT_DATA, else the bundled data/)
  --help       show this help`,

  import: `Usage: readout import --pg SPEC --data DIR

Loads a folder of statements into PostgreSQL, as the writer role. Only files added or changed
since the last import are read, and only statements that changed are written; statements of
files gone are removed. The import is one transaction per shard: stopped halfway, the
previous contents stay searchable, and running it again completes it.

  --pg SPEC    the servers: URL[,REPLICA_URL…][;URL[,REPLICA_URL…]…]   READOUT_PG
  --data DIR   folder of statements, read recursively   READOUT_DATA
  --help       show this help`,

  pg: `Usage: readout pg start --dir DIR [--shards N] [--replicas R]
       readout pg stop --dir DIR

Creates and starts (or stops) a local PostgreSQL cluster on loopback for trying Readout: N
shards (default 2), each a primary with R streaming replicas (default 1), using Debian's
PostgreSQL 15. The last line printed is the spec for --pg; passwords stay in DIR/pgpass.`,
};
