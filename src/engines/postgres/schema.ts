/**
 * The tables of one shard. Every shard holds the same tables; statements are spread over the
 * shards by a hash of their id (see `shardOf`), and each shard's `stats`, `vocabulary` and
 * `field_values` count its own statements, so global figures are sums over the shards. The
 * first shard also keeps the import's catalog (`files`): which files were read, their stamps
 * and their problems.
 */

/** Bump when the tables change: an archive of another version is refused, not misread. */
// 4: the names statements give (`person`, `place`, `org`), for facets and `person:`.
export const SCHEMA_VERSION = 4;

/** Years per partition of `statements`: a date filter reads only the partitions it spans. */
export const PARTITION_YEARS = 10;

/** Roles: the server reads as `readout_reader`; `import` writes as `readout_writer`. */
export const READER_ROLE = "readout_reader";
export const WRITER_ROLE = "readout_writer";

/** The statements, with their vectors; partitioned by the first day their date covers. */
export const SCHEMA_SQL = `
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE IF NOT EXISTS readout_meta (
  key text PRIMARY KEY,
  value text NOT NULL
);
CREATE TABLE IF NOT EXISTS statements (
  id text NOT NULL,
  file text NOT NULL,
  line int,
  hash text NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  date text,
  first_day date,
  last_day date,
  date_key double precision,
  year int,
  source text,
  url text,
  lang text,
  meta jsonb NOT NULL,
  title_words int NOT NULL,
  body_words int NOT NULL,
  tv tsvector NOT NULL,
  -- Where each page of a paged original (a PDF) begins in the body.
  pages int[],
  -- Its group of near-identical versions (the id of the group's earliest statement), and
  -- whether more than one source published its text; kept by each import (versions.ts).
  group_id text,
  echoed boolean NOT NULL DEFAULT false,
  -- The people, places and organisations it names (text/entities.ts), as the statement gives
  -- them; empty unless imported with --entities. Grouped across forms by the pipeline.
  person text[] NOT NULL DEFAULT '{}',
  place text[] NOT NULL DEFAULT '{}',
  org text[] NOT NULL DEFAULT '{}'
) PARTITION BY RANGE (first_day);
ALTER TABLE statements ALTER COLUMN body SET COMPRESSION lz4;
ALTER TABLE statements ALTER COLUMN tv SET COMPRESSION lz4;
CREATE TABLE IF NOT EXISTS statements_undated PARTITION OF statements DEFAULT;
CREATE INDEX IF NOT EXISTS statements_tv ON statements USING gin (tv) WITH (fastupdate = off);
CREATE INDEX IF NOT EXISTS statements_id ON statements (id);
CREATE INDEX IF NOT EXISTS statements_file ON statements (file);
CREATE INDEX IF NOT EXISTS statements_date_key ON statements (date_key);
CREATE INDEX IF NOT EXISTS statements_group ON statements (group_id) WHERE group_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS stats (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  statements bigint NOT NULL DEFAULT 0,
  title_words bigint NOT NULL DEFAULT 0,
  body_words bigint NOT NULL DEFAULT 0
);
INSERT INTO stats DEFAULT VALUES ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS vocabulary (
  term text COLLATE "C" PRIMARY KEY,
  df int NOT NULL,
  df_title int NOT NULL,
  df_body int NOT NULL
);
CREATE INDEX IF NOT EXISTS vocabulary_trgm ON vocabulary USING gin (term gin_trgm_ops);
CREATE INDEX IF NOT EXISTS vocabulary_df ON vocabulary (df DESC);
-- The shard's Cyrillic and Arabic words by sound key (text/translit.ts), for names across
-- scripts: a Latin query word finds the words filed under its own keys.
CREATE TABLE IF NOT EXISTS name_keys (
  key text COLLATE "C" NOT NULL,
  term text COLLATE "C" NOT NULL,
  PRIMARY KEY (key, term)
);
CREATE TABLE IF NOT EXISTS field_values (
  field text NOT NULL,
  value text NOT NULL,
  count int NOT NULL,
  PRIMARY KEY (field, value)
);
-- Whether every one of the words stands in a window of span + 1 positions (weights limit which
-- positions count): "peace treaty"~5, in any order. Checked only where the index found all words.
CREATE OR REPLACE FUNCTION readout_near(tv tsvector, words text[], span int, weights text[])
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  WITH hits AS (
    SELECT u.lexeme, p.pos
    FROM unnest(tv) u, unnest(u.positions, u.weights) AS p(pos, w)
    WHERE u.lexeme = ANY(words) AND (weights IS NULL OR p.w = ANY(weights))
  )
  SELECT EXISTS (
    SELECT 1 FROM hits h
    WHERE (SELECT count(DISTINCT h2.lexeme) FROM hits h2
           WHERE h2.pos BETWEEN h.pos AND h.pos + span) = cardinality(words)
  )
$fn$;
-- The first shard's: the archive's near-duplicate groups as a saved index keeps them, one row
-- per body (statements with the same words), its features as little-endian 32-bit numbers.
CREATE TABLE IF NOT EXISTS version_bodies (
  key text PRIMARY KEY,
  members jsonb NOT NULL,
  features bytea NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
  file text PRIMARY KEY,
  stamp text NOT NULL,
  statements int NOT NULL,
  problems jsonb NOT NULL
);
`;

/** The partition for a first day's period; created when a statement of that period arrives. */
export function partitionFor(year: number): {
  name: string;
  from: string;
  to: string;
} {
  const start = Math.floor(year / PARTITION_YEARS) * PARTITION_YEARS;
  const pad = (y: number) => String(y).padStart(4, "0");
  return {
    name: `statements_${pad(start)}`,
    from: `${pad(start)}-01-01`,
    to: `${pad(start + PARTITION_YEARS)}-01-01`,
  };
}
