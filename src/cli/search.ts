import type { Config } from "../runtime/config.ts";
import { parseQuery } from "../query/params.ts";
import { count, printProblems, MAX_PROBLEMS_SHOWN } from "./format.ts";
import { writeLine, type Io } from "./io.ts";
import { openArchive } from "./load.ts";
import { formatCsv, formatJson, formatText } from "./results.ts";

/**
 * `readout search QUERY`: opens the archive (the saved index when it is current), runs the
 * query as the web does, and prints the first `limit` results. Data problems, progress and
 * what happened to the saved index go to `io.err`, so the output can be piped.
 */
export async function searchArchive(config: Config, io: Io): Promise<number> {
  const archive = await openArchive(config, io, (line) =>
    writeLine(io.err, line),
  );
  if (!archive) return 1;
  const { problems, readFiles } = await archive.about();
  const checkAll = `readout check ${shellWord(config.data)}`;
  // Problems are printed when the files were read, or when asked; from the saved index, as it
  // was, they were printed when it was made: a line says how many.
  if (readFiles || config.problems)
    printProblems(
      io.err,
      problems,
      config.problems ? problems.length : MAX_PROBLEMS_SHOWN,
      `${checkAll} lists them all`,
    );
  else if (problems.length)
    writeLine(
      io.err,
      `The data folder has ${count(problems.length, "problem")}, listed when it was read: --problems lists them again, as ${checkAll} does.`,
    );
  if (config.strict && problems.length > 0) {
    writeLine(
      io.err,
      `Stopped: --strict is on and ${problems.length} problem(s) were found.`,
    );
    await archive.close();
    return 1;
  }

  const { query: q, mode, sort, words, from, to, limit } = config;
  const query = parseQuery(
    { q, mode, sort, words, from, to },
    archive.fields(),
  );
  // One page as long as --limit: the page size limit of the web (100) is for browsers.
  const page = await archive.search({ ...query, page: 1, size: limit });

  if (config.format === "json") io.out.write(formatJson(page));
  else if (config.format === "csv") {
    for (const note of page.notes) writeLine(io.err, `note: ${note}`);
    io.out.write(formatCsv(page));
  } else
    io.out.write(formatText(page, io.out.isTTY === true && !io.env.NO_COLOR));
  // A freshly built index is saved before exiting, so the next search starts quickly.
  await archive.close();
  return 0;
}

function shellWord(text: string): string {
  return /^[\w./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}
