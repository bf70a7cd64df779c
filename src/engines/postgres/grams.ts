import { Boilerplate } from "../../versions/boilerplate.ts";
import { defaultVersionOptions } from "../../versions/version-index.ts";
import { Sql } from "./compile.ts";
import { quoteLexeme } from "./rows.ts";
import { fanOut, type Shards } from "./shards.ts";

/**
 * Statements holding each gram (its words side by side, `a <-> b`), summed over the shards:
 * among the rows `where` picks, or among all. One round trip per shard: each gram's count
 * is a subquery the text index answers.
 */
export async function gramCounts(
  shards: Shards,
  grams: readonly string[],
  where?: (sql: Sql) => string,
): Promise<{ counts: number[]; missing: number[] }> {
  const counts = grams.map(() => 0);
  const { missing } = await fanOut(shards, async (shard) => {
    const sql = new Sql();
    const queries = grams.map((g) =>
      g
        .split(" ")
        .map((w) => quoteLexeme(w))
        .join(" <-> "),
    );
    const text = `SELECT g.i::int AS i,
        (SELECT count(*) FROM statements
         WHERE tv @@ g.q::tsquery${where ? ` AND (${where(sql)})` : ""})::int AS n
       FROM unnest(${sql.param(queries)}::text[]) WITH ORDINALITY AS g(q, i)`;
    const rows = await shards.read(shard, async (client) => {
      const { rows } = await client.query<{ i: number; n: number }>(
        text,
        sql.values,
      );
      return rows;
    });
    for (const { i, n } of rows) counts[i - 1]! += n;
  });
  return { counts, missing };
}

/**
 * The archive's boilerplate features, counted again from the bodies' features the first
 * shard keeps (`version_bodies`) by the one counter both stores use (`Boilerplate.count`).
 */
export async function readBoilerplate(shards: Shards): Promise<Boilerplate> {
  const rows = await shards.read(0, async (client) => {
    const { rows } = await client.query<{ features: Buffer }>(
      "SELECT features FROM version_bodies",
    );
    return rows;
  });
  const bodies = rows.map(({ features: f }) => {
    const copy = new Uint8Array(f.length);
    copy.set(f);
    return new Uint32Array(copy.buffer, 0, f.length / 4);
  });
  return Boilerplate.count(bodies, defaultVersionOptions.boilerplate);
}
