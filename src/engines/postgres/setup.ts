import {
  partitionFor,
  PARTITION_YEARS,
  READER_ROLE,
  SCHEMA_SQL,
  SCHEMA_VERSION,
} from "./schema.ts";
import type { Shards } from "./shards.ts";
import { ensureWorkspaceTables } from "./workspace-schema.ts";

/**
 * Partitions made with the tables, so an import never changes the table's shape while the
 * server reads it (adding a partition locks the whole table). Dates outside these years go
 * to the default partition: found as well, only not skipped by a date filter.
 */
const FIRST_YEAR = 1950;
const LAST_YEAR = 2039;

/**
 * Creates the tables on every shard where they are missing (as the writer role, which owns
 * them), and lets the reader role read them. Refuses a shard whose tables are of another
 * version of Readout.
 */
export async function ensureSchema(shards: Shards): Promise<void> {
  const all = Array.from({ length: shards.count }, (_, shard) =>
    shards.write(shard, async (client) => {
      const exists = await client.query<{ t: string | null }>(
        "SELECT to_regclass('readout_meta')::text AS t",
      );
      if (exists.rows[0]?.t) {
        const { rows } = await client.query<{ value: string }>(
          "SELECT value FROM readout_meta WHERE key = 'schema'",
        );
        const version = Number(rows[0]?.value);
        if (version === SCHEMA_VERSION)
          return ensureWorkspaceTables(client, shard === 0);
        throw new Error(
          `import: ${shards.label(shard)} holds tables of another version of Readout (${rows[0]?.value ?? "unknown"}, this one writes ${SCHEMA_VERSION}); import into an empty database`,
        );
      }
      await client.query("BEGIN");
      await client.query(SCHEMA_SQL);
      for (let year = FIRST_YEAR; year <= LAST_YEAR; year += PARTITION_YEARS) {
        const p = partitionFor(year);
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${p.name} PARTITION OF statements FOR VALUES FROM ('${p.from}') TO ('${p.to}')`,
        );
      }
      await client.query(
        "INSERT INTO readout_meta (key, value) VALUES ('schema', $1)",
        [String(SCHEMA_VERSION)],
      );
      await ensureWorkspaceTables(client, shard === 0);
      const reader = await client.query(
        "SELECT 1 FROM pg_roles WHERE rolname = $1",
        [READER_ROLE],
      );
      if (reader.rowCount) {
        await client.query(`GRANT USAGE ON SCHEMA public TO ${READER_ROLE}`);
        await client.query(
          `GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${READER_ROLE}`,
        );
        await client.query(
          `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO ${READER_ROLE}`,
        );
      }
      await client.query("COMMIT");
    }),
  );
  await Promise.all(all);
}
