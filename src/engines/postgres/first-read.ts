import type { ReadSince } from "../store.ts";
import { newestReadFirst } from "../../workspace/model.ts";
import { Sql } from "./compile.ts";
import { fanOut, type Shards } from "./shards.ts";

/**
 * Of a prepared query's matches, those first read after `since` (all with a time when it is
 * undefined), newest first, at most `limit`, and how many there are; with the archive's
 * newest first-read time. A shard that does not answer is left out of the counts.
 */
export async function readSince(
  shards: Shards,
  p: { searched: boolean; where: (sql: Sql) => string },
  since: string | undefined,
  limit: number,
): Promise<ReadSince> {
  const latest = await latestRead(shards);
  if (!p.searched) return { total: 0, statements: [], ...latest };
  const sql = new Sql();
  const where = p.where(sql);
  const fresh =
    since === undefined
      ? "id IN (SELECT id FROM first_read)"
      : `id IN (SELECT id FROM first_read WHERE at > ${sql.param(since)}::timestamptz)`;
  const { results } = await fanOut(shards, (shard) =>
    shards.read(shard, async (client) => {
      const count = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM statements WHERE ${where} AND ${fresh}`,
        sql.values,
      );
      const rows =
        limit > 0
          ? (
              await client.query<{ id: string; at: Date }>(
                `SELECT s.id, f.at FROM (SELECT id FROM statements WHERE ${where} AND ${fresh}) s
                 JOIN first_read f ON f.id = s.id ORDER BY f.at DESC, s.id LIMIT ${Math.floor(limit)}`,
                sql.values,
              )
            ).rows
          : [];
      return { total: Number(count.rows[0]?.n ?? 0), rows };
    }),
  );
  const answered = results.filter((r) => r !== undefined);
  const statements = answered
    .flatMap((r) => r.rows)
    .map((r) => ({ id: r.id, firstRead: r.at.toISOString() }))
    .sort(newestReadFirst)
    .slice(0, Math.max(0, limit));
  return {
    total: answered.reduce((n, r) => n + r.total, 0),
    statements,
    ...latest,
  };
}

/** The newest first-read time of any statement, over the shards that answer. */
async function latestRead(shards: Shards): Promise<{ latest?: string }> {
  const { results } = await fanOut(shards, (shard) =>
    shards.read(shard, async (client) => {
      const { rows } = await client.query<{ at: Date | null }>(
        "SELECT max(at) AS at FROM first_read",
      );
      return rows[0]?.at ?? null;
    }),
  );
  const times = results
    .filter((t): t is Date => t instanceof Date)
    .map((t) => t.toISOString())
    .sort();
  return times.length ? { latest: times.at(-1)! } : {};
}
