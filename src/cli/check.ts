import type { Config } from "../config.ts";
import { count, formatProblem } from "./format.ts";
import { writeLine, type Io } from "./io.ts";
import { readFolder } from "./load.ts";

/**
 * `readout check [DIR]`: reads the folder as serve would, without building the index, and
 * prints every problem and a summary. Exit code 1 when there is any problem.
 */
export async function checkArchive(config: Config, io: Io): Promise<number> {
  const loaded = await readFolder(config.data, io);
  if (!loaded) return 1;
  const { problems, statements, files } = loaded;
  for (const p of problems) writeLine(io.out, formatProblem(p));
  if (problems.length === 0) {
    writeLine(
      io.out,
      `No problems: ${count(statements.length, "statement")} in ${count(files, "file")}.`,
    );
    return 0;
  }
  const problemFiles = new Set(problems.map((p) => p.file)).size;
  writeLine(
    io.out,
    `${count(problems.length, "problem")} in ${count(problemFiles, "file")}; ${count(statements.length, "statement")} would be indexed`,
  );
  return 1;
}
