/**
 * The tables beside the statements that the workspace needs: when each statement was first
 * read (on every shard, by the statement's id), and the collections and saved searches (on the
 * first shard). Made where missing at every import, so a database imported by an earlier
 * Readout gains them without a new schema version; the server's role may write the workspace
 * tables and nothing else.
 */
import type { PoolClient } from "pg";
import { READER_ROLE } from "./schema.ts";

/** Every shard: `first_read` (a statement's id → when an import first wrote it). */
const FIRST_READ_SQL = `
CREATE TABLE IF NOT EXISTS first_read (
  id text PRIMARY KEY,
  at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS first_read_at ON first_read (at);
`;

/** The first shard: collections, their statements and saved searches. */
const WORKSPACE_SQL = `
CREATE TABLE IF NOT EXISTS workspace_collections (
  slug text PRIMARY KEY,
  name text NOT NULL,
  owner text NOT NULL,
  shared boolean NOT NULL,
  created_at text NOT NULL,
  updated_at text NOT NULL
);
CREATE TABLE IF NOT EXISTS workspace_items (
  slug text NOT NULL REFERENCES workspace_collections (slug) ON DELETE CASCADE,
  id text NOT NULL,
  position bigserial,
  note text NOT NULL,
  tags text[] NOT NULL,
  added_at text NOT NULL,
  updated_at text NOT NULL,
  kept jsonb NOT NULL,
  PRIMARY KEY (slug, id)
);
CREATE INDEX IF NOT EXISTS workspace_items_order ON workspace_items (slug, position);
CREATE TABLE IF NOT EXISTS workspace_searches (
  slug text PRIMARY KEY,
  name text NOT NULL,
  owner text NOT NULL,
  search text NOT NULL,
  created_at text NOT NULL,
  seen_at text NOT NULL,
  opened_at text NOT NULL,
  feed_key text NOT NULL
);
`;

/**
 * Makes the tables where missing, in the caller's transaction (as the writer, who owns them).
 * A `first_read` made for statements already there dates them now: they were read before.
 */
export async function ensureWorkspaceTables(
  client: PoolClient,
  first: boolean,
): Promise<void> {
  const had = await client.query<{ t: string | null }>(
    "SELECT to_regclass('first_read')::text AS t",
  );
  await client.query(FIRST_READ_SQL);
  if (!had.rows[0]?.t)
    await client.query(
      "INSERT INTO first_read (id, at) SELECT id, date_trunc('milliseconds', now()) FROM statements ON CONFLICT DO NOTHING",
    );
  if (first) await client.query(WORKSPACE_SQL);
  const reader = await client.query(
    "SELECT 1 FROM pg_roles WHERE rolname = $1",
    [READER_ROLE],
  );
  if (!reader.rowCount) return;
  await client.query(`GRANT SELECT ON first_read TO ${READER_ROLE}`);
  if (first) {
    await client.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON workspace_collections, workspace_items, workspace_searches TO ${READER_ROLE}`,
    );
    await client.query(
      `GRANT USAGE ON SEQUENCE workspace_items_position_seq TO ${READER_ROLE}`,
    );
  }
}

/**
 * Records that an import wrote these statements: the first time only, so a statement read
 * again keeps the time it first came in. Times are kept to the millisecond, as JavaScript's.
 */
export async function recordFirstRead(
  client: PoolClient,
  ids: string[],
): Promise<void> {
  if (ids.length === 0) return;
  await client.query(
    `INSERT INTO first_read (id, at)
     SELECT unnest($1::text[]), date_trunc('milliseconds', now())
     ON CONFLICT (id) DO NOTHING`,
    [ids],
  );
}

/** Forgets statements gone from the archive: one that comes back is new again. */
export async function forgetFirstRead(
  client: PoolClient,
  ids: string[],
): Promise<void> {
  if (ids.length === 0) return;
  await client.query("DELETE FROM first_read WHERE id = ANY($1)", [ids]);
}
