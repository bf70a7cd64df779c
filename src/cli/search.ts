import type { Config } from "../config.ts";
import { parseQuery } from "../query/params.ts";
import { search } from "../engines/memory/search.ts";
import { printProblems } from "./format.ts";
import { openLibrary } from "./load.ts";
import { formatCsv, formatJson, formatText } from "./results.ts";

const MAX_PROBLEMS_SHOWN = 20;

/**
 * `readout search QUERY`: opens the archive (the saved index when it is current), runs the
 * query as the web does, and prints the first `limit` results to stdout. Data problems,
 * progress and what happened to the saved index go to stderr, so the output can be piped.
 */
export async function searchArchive(config: Config): Promise<number> {
  // Progress is for a person watching; in a log or a pipe it is noise.
  const progress = process.stderr.isTTY ? process.stderr : undefined;
  const library = await openLibrary(config, progress, (line) =>
    console.error(line),
  );
  if (!library) return 1;
  printProblems(
    library.problems,
    MAX_PROBLEMS_SHOWN,
    `readout check ${shellWord(config.data)} lists them all`,
  );
  if (config.strict && library.problems.length > 0) {
    console.error(
      `Stopped: --strict is on and ${library.problems.length} problem(s) were found.`,
    );
    return 1;
  }
  const corpus = library.corpus!;

  const { query: q, mode, sort, from, to, limit } = config;
  const query = parseQuery({ q, mode, sort, from, to }, corpus.fields.keys());
  // One page as long as --limit: the page size limit of the web (100) is for browsers.
  const page = search(corpus, { ...query, page: 1, size: limit });

  if (config.format === "json") process.stdout.write(formatJson(page));
  else if (config.format === "csv") {
    for (const note of page.notes) console.error(`note: ${note}`);
    process.stdout.write(formatCsv(page));
  } else process.stdout.write(formatText(page, useBold()));
  // A freshly built index is saved before exiting, so the next search starts quickly.
  await library.close();
  return 0;
}

/** Bold only on a terminal, and not when the user asked for no colour (https://no-color.org). */
function useBold(): boolean {
  return process.stdout.isTTY === true && !process.env.NO_COLOR;
}

function shellWord(text: string): string {
  return /^[\w./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}
