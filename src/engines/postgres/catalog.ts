import type { Problem } from "../../ingest/statement.ts";
import type { Overview, Statistics } from "../store.ts";
import { exampleQueries } from "../../text/examples.ts";
import { dateSortKey } from "../../text/dates.ts";
import { fieldExpression, Sql } from "./compile.ts";
import { fanOut, type Shards } from "./shards.ts";

/**
 * What every page needs of the whole archive, read from all shards and kept until the next
 * refresh: the counts BM25 needs, the fields, the facet fields, the overview, the problems.
 */
export interface Catalog {
  stats: Statistics;
  /** `source` and every metadata key. */
  fields: string[];
  /** Per field, its values with their counts. */
  values: Map<string, Map<string, number>>;
  overview: Overview;
  problems: Problem[];
  /** Files that hold at least one statement. */
  files: number;
  tokenizer?: string;
  /** Shards that did not answer: the figures are theirs short. */
  missing: number[];
}

/** Reads the catalog from every shard. */
export async function readCatalog(shards: Shards): Promise<Catalog> {
  const { results, missing } = await fanOut(shards, (shard) =>
    shards.read(shard, async (client) => {
      const stats = (await client.query("SELECT * FROM stats")).rows[0] ?? {};
      const values = (
        await client.query<{ field: string; value: string; count: number }>(
          "SELECT field, value, count FROM field_values",
        )
      ).rows;
      const first = (
        await client.query<{ date: string }>(
          "SELECT date FROM statements WHERE date_key IS NOT NULL ORDER BY date_key ASC LIMIT 1",
        )
      ).rows[0]?.date;
      const last = (
        await client.query<{ date: string }>(
          "SELECT date FROM statements WHERE date_key IS NOT NULL ORDER BY date_key DESC LIMIT 1",
        )
      ).rows[0]?.date;
      const n = Number(stats.statements ?? 0);
      // Titles for the home page's examples: an even sample, whatever the archive's size.
      const titles = (
        await client.query<{ title: string }>(
          n > 5000
            ? `SELECT title FROM statements TABLESAMPLE SYSTEM (${Math.min(100, (5000 / n) * 100 * 2)}) LIMIT 5000`
            : "SELECT title FROM statements ORDER BY id LIMIT 5000",
        )
      ).rows.map((r) => r.title);
      const catalog =
        shard === 0
          ? {
              files: (
                await client.query<{
                  file: string;
                  statements: number;
                  problems: Problem[];
                }>(
                  'SELECT file, statements, problems FROM files ORDER BY file COLLATE "C"',
                )
              ).rows,
              tokenizer: (
                await client.query<{ value: string }>(
                  "SELECT value FROM readout_meta WHERE key = 'tokenizer'",
                )
              ).rows[0]?.value,
            }
          : undefined;
      return { stats, values, first, last, titles, catalog };
    }),
  );
  const stats: Statistics = {
    statements: 0,
    titleWords: 0,
    bodyWords: 0,
    languages: [],
  };
  const values = new Map<string, Map<string, number>>();
  const dates: string[] = [];
  const titles: string[] = [];
  let problems: Problem[] = [];
  let files = 0;
  let tokenizer: string | undefined;
  for (const r of results) {
    if (!r) continue;
    stats.statements += Number(r.stats.statements ?? 0);
    stats.titleWords += Number(r.stats.title_words ?? 0);
    stats.bodyWords += Number(r.stats.body_words ?? 0);
    for (const v of r.values) {
      const m = values.get(v.field) ?? new Map<string, number>();
      m.set(v.value, (m.get(v.value) ?? 0) + v.count);
      values.set(v.field, m);
    }
    if (r.first) dates.push(r.first);
    if (r.last) dates.push(r.last);
    titles.push(...r.titles);
    if (r.catalog) {
      problems = r.catalog.files.flatMap((f) => f.problems);
      files = r.catalog.files.filter((f) => f.statements > 0).length;
      tokenizer = r.catalog.tokenizer;
    }
  }
  dates.sort((a, b) => dateSortKey(a) - dateSortKey(b));
  const sources = values.get("source") ?? new Map<string, number>();
  const withSource = [...sources.values()].reduce((a, b) => a + b, 0);
  const overview: Overview = {
    statements: stats.statements,
    ...(dates.length ? { firstDate: dates[0]!, lastDate: dates.at(-1)! } : {}),
    sources: [...sources]
      .map(([name, count]) => ({ name, count }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
    withoutSource: stats.statements - withSource,
    languages: [...(values.get("lang") ?? [])]
      .map(([code, count]) => ({ code, count }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    examples: exampleQueries(titles),
  };
  // The archive's languages, and "und" when some statements have none (as stemming reads them).
  const languages = values.get("lang") ?? new Map<string, number>();
  const withLanguage = [...languages.values()].reduce((a, b) => a + b, 0);
  stats.languages = [...languages.keys()].map((l) => l.trim().toLowerCase());
  if (withLanguage < stats.statements) stats.languages.push("und");
  stats.languages = [...new Set(stats.languages)].sort();
  const fields = [...values.keys()].sort((a, b) =>
    a === "source" ? -1 : b === "source" ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  return {
    stats,
    fields,
    values,
    overview,
    problems,
    files,
    ...(tokenizer ? { tokenizer } : {}),
    missing,
  };
}

/** The distinct pairs of values two fields take on one statement, over every shard. */
export async function fieldPairs(
  shards: Shards,
  a: string,
  b: string,
): Promise<[string | null, string | null][]> {
  const sql = new Sql();
  const ea = fieldExpression(a, sql);
  const eb = fieldExpression(b, sql);
  const { results } = await fanOut(shards, (shard) =>
    shards.read(
      shard,
      async (client) =>
        (
          await client.query<{ a: string | null; b: string | null }>(
            `SELECT DISTINCT ${ea} AS a, ${eb} AS b FROM statements
           WHERE ${ea} IS NOT NULL OR ${eb} IS NOT NULL`,
            sql.values,
          )
        ).rows,
    ),
  );
  return results.flatMap((rows) =>
    (rows ?? []).map((r) => [r.a, r.b] as [string | null, string | null]),
  );
}
