import type { Config } from "../runtime/config.ts";
import type { Problem, Statement } from "../ingest/statement.ts";
import { formatDate } from "../text/dates.ts";
import { terms } from "../text/terms.ts";
import { count, formatProblem } from "./format.ts";
import { writeLine, type Io } from "./io.ts";
import { readFolder } from "./load.ts";

/**
 * `readout check [DIR]`: reads the folder as serve would, without building the index, and
 * says for each file what it would extract (title, date, language, words) or why it skips
 * it, then sums up. Exit code 1 when there is any problem.
 */
export async function checkArchive(config: Config, io: Io): Promise<number> {
  const loaded = await readFolder(config.data, io, {
    ...(config.ocrLanguages ? { ocrLanguages: config.ocrLanguages } : {}),
    ...(config.followHardLinks ? { followHardLinks: true } : {}),
  });
  if (!loaded) return 1;
  const { problems, statements, files } = loaded;
  for (const line of fileReport(statements, problems)) writeLine(io.out, line);
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

/**
 * One line per file that gives statements (`ok: file: "Title" · 7 September 2023 · en ·
 * 412 words`, or a summary for a file of many records), then that file's problems, files in
 * the order of the folder.
 */
export function fileReport(
  statements: Statement[],
  problems: Problem[],
): string[] {
  const byFile = new Map<
    string,
    { statements: Statement[]; problems: Problem[] }
  >();
  const entry = (file: string) => {
    let e = byFile.get(file);
    if (!e) byFile.set(file, (e = { statements: [], problems: [] }));
    return e;
  };
  for (const s of statements) entry(s.origin.file).statements.push(s);
  for (const p of problems) entry(p.file).problems.push(p);
  const lines: string[] = [];
  for (const file of [...byFile.keys()].sort(comparePaths)) {
    const e = byFile.get(file)!;
    if (e.statements.length > 0)
      lines.push(`ok: ${file}: ${describe(e.statements)}`);
    for (const p of e.problems) lines.push(formatProblem(p));
  }
  return lines;
}

function describe(statements: Statement[]): string {
  const words = statements.reduce((sum, s) => sum + terms(s.body).length, 0);
  const langs = countBy(statements.map((s) => s.lang ?? "language unknown"));
  if (statements.length === 1) {
    const s = statements[0]!;
    const date = s.date ? formatDate(s.date) : "no date";
    return `"${s.title}" · ${date} · ${langs[0]![0]} · ${count(words, "word")}`;
  }
  const dates = statements
    .map((s) => s.date?.slice(0, 10))
    .filter((d): d is string => Boolean(d))
    .sort();
  const span =
    dates.length === 0
      ? "no dates"
      : dates[0] === dates.at(-1)
        ? formatDate(dates[0]!)
        : `${formatDate(dates[0]!)} … ${formatDate(dates.at(-1)!)}`;
  const languages = langs
    .slice(0, 4)
    .map(([lang, n]) => `${lang} ${n.toLocaleString("en")}`)
    .join(", ");
  return `${count(statements.length, "statement")} · ${span} · ${languages}${langs.length > 4 ? " …" : ""} · ${count(words, "word")}`;
}

function countBy(values: string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

// The folder walk's order: folder by folder, names compared as the walk compares them.
function comparePaths(a: string, b: string): number {
  const x = a.split("/");
  const y = b.split("/");
  for (let i = 0; i < Math.min(x.length, y.length); i++)
    if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return x.length - y.length;
}
