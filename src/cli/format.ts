import type { Problem } from "../archive.ts";
import { safeText } from "../out/safe.ts";
import { writeLine, type Output } from "./io.ts";

/** `skipped: records.jsonl:2: not valid JSON …`, or `warning: …` when the statement was kept. */
export function formatProblem(p: Problem): string {
  // A file's name, and a message quoting a file, can hold what a terminal would act on.
  return safeText(
    `${p.kept ? "warning" : "skipped"}: ${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}`,
  );
}

/** Prints the first `max` problems, then how many more there are and where to see them. */
/** Problems a command prints before pointing to where all of them are. */
export const MAX_PROBLEMS_SHOWN = 20;

export function printProblems(
  output: Output,
  problems: Problem[],
  max: number,
  seeAll: string,
): void {
  for (const p of problems.slice(0, max)) writeLine(output, formatProblem(p));
  if (problems.length > max)
    writeLine(
      output,
      `… and ${problems.length - max} more problems — ${seeAll}`,
    );
}

/** `1 statement`, `17,208 statements`. */
export function count(n: number, noun: string): string {
  return `${n.toLocaleString("en")} ${noun}${n === 1 ? "" : "s"}`;
}
