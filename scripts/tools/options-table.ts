/**
 * The README's table of options, made from the options table (`src/runtime/options.ts`).
 * `npm run readme:options` writes it into README.md between its two markers;
 * tests/options.test.ts fails when the README's copy and the code disagree.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  COMMANDS,
  defaultWords,
  envWords,
  flagWords,
  OPTIONS,
  type Option,
} from "../../src/runtime/options.ts";

export const README = path.join(import.meta.dirname, "..", "..", "README.md");
export const START =
  "<!-- options: made from src/runtime/options.ts by npm run readme:options -->";
export const END = "<!-- end of options -->";

const HEADER = [
  "Flag",
  "Environment variable",
  "Default",
  "Commands",
  "Meaning",
];

/** The table's cells, a row per option, the header first. */
export function optionCells(): string[][] {
  return [HEADER, ...OPTIONS.map(cells)];
}

function cells(row: Option): string[] {
  const code = (text: string) => (text ? `\`${text}\`` : "");
  const commands =
    row.commands.length === COMMANDS.length ? "all" : row.commands.join(", ");
  const meaning = row.help[0]!.toUpperCase() + row.help.slice(1);
  return [
    code(flagWords(row) + (row.short ? `, -${row.short}` : "")),
    code(envWords(row)),
    defaultWords(row),
    commands,
    row.more ? `${meaning} (see ${row.more})` : meaning,
  ].map((cell) => cell.replaceAll("|", "\\|"));
}

/** The table as Prettier lays it out, so `npm run check` finds nothing to change. */
export function optionsTable(): string {
  const rows = optionCells();
  const widths = HEADER.map((_, i) =>
    Math.max(...rows.map((r) => [...r[i]!].length)),
  );
  const line = (r: string[]) =>
    `| ${r.map((cell, i) => cell + " ".repeat(widths[i]! - [...cell].length)).join(" | ")} |`;
  const rule = `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`;
  const [header, ...body] = rows;
  return [line(header!), rule, ...body.map(line)].join("\n");
}

/** The cells of the table between the README's markers. */
export function readmeCells(readme: string): string[][] {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start)
    throw new Error(`options-table: README.md has no "${START}" … "${END}"`);
  return readme
    .slice(start + START.length, end)
    .split("\n")
    .filter((l) => l.startsWith("|") && !/^\|[\s|:-]+\|$/.test(l))
    .map((l) =>
      l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  if (process.argv.includes("--write")) {
    const readme = readFileSync(README, "utf8");
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    if (start < 0 || end < start)
      throw new Error(`options-table: README.md has no "${START}" … "${END}"`);
    writeFileSync(
      README,
      `${readme.slice(0, start + START.length)}\n\n${optionsTable()}\n\n${readme.slice(end)}`,
    );
  } else process.stdout.write(optionsTable() + "\n");
}
