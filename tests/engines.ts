/**
 * The shared suite's engines: a test file written once runs against the memory engine always,
 * and against PostgreSQL when the run has a cluster (tests/setup/postgres.ts). Both read the
 * same statements from the same folder, so a difference in what they answer is a bug (or a
 * difference README's "Where the engines differ" names, pinned by a test).
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, inject, vi } from "vitest";
import {
  MemoryArchive,
  PostgresArchive,
  type Archive,
} from "../src/archive.ts";
import { readCluster, specOf } from "../src/engines/postgres/cluster.ts";
import { importFolder } from "../src/engines/postgres/import.ts";
import { Shards } from "../src/engines/postgres/shards.ts";
import { passwordFor, type ClusterSpec } from "../src/engines/postgres/spec.ts";
import type { Statement } from "../src/ingest/statement.ts";

export type Engine = "memory" | "postgres";

// A test asks PostgreSQL several times over the network: more than the default 5 s when
// the machine is busy.
vi.setConfig({ testTimeout: 30_000 });

/** The engines this run tests: PostgreSQL too when the run has a cluster. */
export const ENGINES: Engine[] = inject("postgres")
  ? ["memory", "postgres"]
  : ["memory"];

/**
 * An archive of `engine` over a folder, or over statements (written to a folder as JSON
 * Lines), opened before the tests of the describe block that calls this and closed after.
 * Returns a getter for it.
 */
export function archiveOn(
  engine: Engine,
  source: string | Statement[],
  options: { entities?: boolean } = {},
): () => Archive {
  let archive: Archive | undefined;
  let folder: string | undefined;
  beforeAll(async () => {
    const dir = typeof source === "string" ? source : await written(source);
    if (typeof source !== "string") folder = dir;
    archive =
      engine === "memory"
        ? MemoryArchive.fromFolder({
            dataDir: dir,
            cacheDir: null,
            ...options,
          })
        : new PostgresArchive({ spec: await freshDatabase(dir, options) });
    await archive.open();
  }, 180_000);
  afterAll(async () => {
    await archive?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });
  return () => {
    if (!archive) throw new Error("tests: the archive is not open yet");
    return archive;
  };
}

/** Statements as a folder of one JSON Lines file, each record with its own fields. */
async function written(statements: Statement[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "readout-engines-"));
  const records = statements.map(
    ({ id, title, body, date, source, url, lang, meta }) =>
      JSON.stringify({ id, title, body, date, source, url, lang, ...meta }),
  );
  await writeFile(path.join(dir, "statements.jsonl"), records.join("\n"));
  return dir;
}

let databases = 0;

/**
 * A database of its own on every shard of the run's cluster, with a folder imported into
 * it: made as the cluster's superuser as `pg start` makes `readout`, then imported as the
 * writer.
 */
export async function freshDatabase(
  folder: string,
  options: { entities?: boolean } = {},
): Promise<ClusterSpec> {
  const cluster = await clusterReady();
  const name = `t${process.pid}_${++databases}`;
  const base = specOf(cluster);
  const spec: ClusterSpec = {
    shards: base.shards.map(({ primary }) => ({
      primary: {
        ...primary,
        database: name,
        label: `${primary.label}_${name}`,
      },
      replicas: [],
    })),
  };
  await Promise.all(
    base.shards.map(async ({ primary }) => {
      const admin = async (database: string, statements: string[]) => {
        const client = new pg.Client({
          host: primary.host,
          port: primary.port,
          user: "postgres",
          password: passwordFor(primary, "postgres") ?? "",
          database,
        });
        await client.connect();
        try {
          for (const sql of statements) await client.query(sql);
        } finally {
          await client.end();
        }
      };
      await admin("postgres", [`CREATE DATABASE ${name} OWNER readout_writer`]);
      await admin(name, [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        "GRANT CREATE, USAGE ON SCHEMA public TO readout_writer",
        "GRANT USAGE ON SCHEMA public TO readout_reader",
      ]);
    }),
  );
  const writer = new Shards(spec, "readout_writer", 2);
  try {
    await importFolder(writer, folder, options);
  } finally {
    await writer.close();
  }
  return spec;
}

/** The run's cluster once it accepts connections (it starts in the background). */
async function clusterReady() {
  const provided = inject("postgres");
  if (!provided) throw new Error("tests: this run has no PostgreSQL cluster");
  const failed = path.join(path.dirname(provided.dir), "failed");
  for (let waited = 0; waited < 180_000; waited += 100) {
    if (existsSync(failed))
      throw new Error(
        `tests: the PostgreSQL cluster did not start: ${await readFile(failed, "utf8")}`,
      );
    const cluster = await readCluster(provided.dir);
    if (cluster) return cluster;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("tests: the PostgreSQL cluster did not start in 3 minutes");
}
