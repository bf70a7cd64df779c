import type { Problem } from "../ingest/load.ts";

/** `skipped: records.jsonl:2: not valid JSON …`, or `warning: …` when the statement was kept. */
export function formatProblem(p: Problem): string {
  return `${p.kept ? "warning" : "skipped"}: ${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}`;
}

/** Prints the first `max` problems to stderr, then how many more there are and where to see them. */
export function printProblems(
  problems: Problem[],
  max: number,
  seeAll: string,
): void {
  for (const p of problems.slice(0, max)) console.error(formatProblem(p));
  if (problems.length > max)
    console.error(`… and ${problems.length - max} more problems — ${seeAll}`);
}

/** `1 statement`, `17,208 statements`. */
export function count(n: number, noun: string): string {
  return `${n.toLocaleString("en")} ${noun}${n === 1 ? "" : "s"}`;
}
