/**
 * `--anchor`: plain PostgreSQL full-text search on the same corpus and servers as the
 * PostgreSQL bench (issue 22): a table per shard with a stored `english` tsvector, loaded by
 * COPY with the GIN index built after, then `ts_rank_cd`, `ts_headline` and `count(*)` for the
 * same queries. It lives in a database of its own (`readout_anchor`) so that Readout's size is
 * measured alone; making it needs the `postgres` role, which `pg start`'s passfile holds.
 */
import { createReadStream } from "node:fs";
import { once } from "node:events";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import {
  passwordFor,
  type ClusterSpec,
  type ServerSpec,
} from "../../src/engines/postgres/spec.ts";

export const ANCHOR_DATABASE = "readout_anchor";
const COLUMNS = ["id", "date", "source", "category", "title", "body"] as const;

/** A query of the bench as plain full-text search runs it: a tsquery and row filters. */
export interface PlainQuery {
  /** SQL of the tsquery, reading its text from `$1`. */
  tsquery: string;
  text: string;
  /** SQL conditions on the row, reading their values from `$2` on. */
  filters: string[];
  values: string[];
}

/**
 * The nearest plain query to Readout's URL parameters: words and `"phrases"` through
 * `websearch_to_tsquery`, `stem*` as a `:*` prefix, `word~` as the word (plain FTS has no
 * typo tolerance), `source:"…"` and the `source`, `category`, `from`/`to` and `year`
 * parameters as column conditions.
 */
export function plainQuery(params: Record<string, string>): PlainQuery {
  const filters: string[] = [];
  const values: string[] = [];
  const where = (sql: (at: string) => string, value: string) => {
    values.push(value);
    filters.push(sql(`$${values.length + 1}`));
  };
  let q = params.q ?? "";
  q = q.replace(/\bsource:"([^"]*)"/g, (_, source: string) => {
    where((at) => `source = ${at}`, source);
    return " ";
  });
  q = q.replace(/~/g, "").trim();
  for (const field of ["source", "category"] as const)
    if (params[field]) where((at) => `${field} = ${at}`, params[field]);
  if (params.from) where((at) => `left(date, 4) >= ${at}`, params.from);
  if (params.to) where((at) => `left(date, 4) <= ${at}`, params.to);
  if (params.year) where((at) => `left(date, 4) = ${at}`, params.year);
  const prefix = /^(\w+)\*$/.exec(q);
  return prefix
    ? {
        tsquery: "to_tsquery('english', $1)",
        text: `${prefix[1]}:*`,
        filters,
        values,
      }
    : {
        tsquery: "websearch_to_tsquery('english', $1)",
        text: q,
        filters,
        values,
      };
}

/** One COPY text field: backslash, tab and line breaks escaped, as COPY's text format reads. */
export function copyField(value: unknown): string {
  if (value === undefined || value === null) return "\\N";
  return String(value).replace(/[\\\t\n\r]/g, (c) =>
    c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r",
  );
}

/** The anchor's connections: one pool per shard's primary, as `postgres`. */
export class Anchor {
  private readonly pools: pg.Pool[];

  private constructor(private readonly servers: ServerSpec[]) {
    this.pools = servers.map((s) => pool(s, ANCHOR_DATABASE));
  }

  /** Makes the anchor database afresh on every shard's primary. */
  static async create(spec: ClusterSpec): Promise<Anchor> {
    const servers = spec.shards.map((s) => s.primary);
    await Promise.all(
      servers.map(async (server) => {
        const admin = pool(server, "postgres");
        try {
          await admin.query(
            `DROP DATABASE IF EXISTS ${ANCHOR_DATABASE} WITH (FORCE)`,
          );
          await admin.query(`CREATE DATABASE ${ANCHOR_DATABASE}`);
        } finally {
          await admin.end();
        }
      }),
    );
    const anchor = new Anchor(servers);
    await Promise.all(
      anchor.pools.map((p) =>
        p.query(
          `CREATE TABLE plain (
             id text, date text, source text, category text, title text, body text,
             tsv tsvector GENERATED ALWAYS AS (
               setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
               setweight(to_tsvector('english', coalesce(body, '')), 'B')) STORED)`,
        ),
      ),
    );
    return anchor;
  }

  /**
   * COPYs every statement of `dir`'s JSON Lines files, the n-th to shard n mod the shard
   * count, then builds the GIN index on each shard at once; resolves with the statements.
   */
  async load(dir: string, log: (line: string) => void): Promise<number> {
    const copies = await Promise.all(
      this.pools.map(async (p) => {
        const client = await p.connect();
        const stream = client.query(
          copyFrom(`COPY plain (${COLUMNS.join(", ")}) FROM STDIN`),
        );
        const done = once(stream, "finish");
        return { client, stream, done, pending: "" };
      }),
    );
    let n = 0;
    const files = (await readdir(dir))
      .filter((f) => f.endsWith(".jsonl"))
      .sort();
    for (const file of files) {
      const lines = createInterface({
        input: createReadStream(path.join(dir, file)),
        crlfDelay: Infinity,
      });
      for await (const line of lines) {
        if (!line.trim()) continue;
        const record = JSON.parse(line) as Record<string, unknown>;
        const copy = copies[n++ % copies.length]!;
        copy.pending +=
          COLUMNS.map((c) => copyField(record[c])).join("\t") + "\n";
        if (copy.pending.length > 1 << 20) {
          const ok = copy.stream.write(copy.pending);
          copy.pending = "";
          if (!ok) await once(copy.stream, "drain");
        }
      }
      log(`anchor: copied ${n.toLocaleString("en")} statements`);
    }
    await Promise.all(
      copies.map(async (copy) => {
        copy.stream.end(copy.pending);
        await copy.done;
        copy.client.release();
      }),
    );
    log("anchor: building the GIN indexes");
    await Promise.all(
      this.pools.map(async (p) => {
        const client = await p.connect();
        try {
          await client.query("SET maintenance_work_mem = '512MB'");
          await client.query("CREATE INDEX plain_tsv ON plain USING gin (tsv)");
          await client.query("ANALYZE plain");
        } finally {
          client.release();
        }
      }),
    );
    return n;
  }

  /**
   * A results page of plain FTS: each shard's 10 best by `ts_rank_cd` with a `ts_headline`,
   * and its `count(*)`, all shards at once; the 10 best overall and the total.
   */
  async search(
    params: Record<string, string>,
  ): Promise<{ total: number; top: string[] }> {
    const q = plainQuery(params);
    const where = [`tsv @@ ${q.tsquery}`, ...q.filters].join(" AND ");
    const values = [q.text, ...q.values];
    const parts = await Promise.all(
      this.pools.map(async (p) => {
        const [page, count] = await Promise.all([
          p.query<{ id: string; rank: number; snippet: string }>(
            `SELECT id, rank, ts_headline('english', body, ${q.tsquery}) AS snippet
               FROM (SELECT id, body, ts_rank_cd(tsv, ${q.tsquery}) AS rank
                       FROM plain WHERE ${where} ORDER BY rank DESC LIMIT 10) best`,
            values,
          ),
          p.query<{ n: string }>(
            `SELECT count(*) AS n FROM plain WHERE ${where}`,
            values,
          ),
        ]);
        return { rows: page.rows, total: Number(count.rows[0]!.n) };
      }),
    );
    const top = parts
      .flatMap((p) => p.rows)
      .sort((a, b) => b.rank - a.rank)
      .slice(0, 10)
      .map((r) => r.id);
    return { total: parts.reduce((sum, p) => sum + p.total, 0), top };
  }

  /** `pg_database_size` of the anchor, summed over the shards. */
  async size(): Promise<number> {
    const sizes = await Promise.all(
      this.pools.map((p) =>
        p.query<{ n: string }>(
          "SELECT pg_database_size(current_database()) AS n",
        ),
      ),
    );
    return sizes.reduce((sum, r) => sum + Number(r.rows[0]!.n), 0);
  }

  close(): Promise<void[]> {
    return Promise.all(this.pools.map((p) => p.end()));
  }

  get label(): string {
    return this.servers.map((s) => `${s.host}:${s.port}`).join(", ");
  }
}

function pool(server: ServerSpec, database: string): pg.Pool {
  const password = passwordFor(server, "postgres");
  if (password === undefined)
    throw new Error(
      `bench pg --anchor: no password for the postgres role on ${server.label} (a cluster from \`pg start\` has one in its passfile)`,
    );
  return new pg.Pool({
    host: server.host,
    port: server.port,
    user: "postgres",
    password,
    database,
    max: 4,
  });
}
