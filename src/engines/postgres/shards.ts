import { createHash } from "node:crypto";
import pg from "pg";
import Cursor from "pg-cursor";
import { PartUnavailable } from "../store.ts";
import {
  maskUrl,
  passwordFor,
  type ClusterSpec,
  type ServerSpec,
} from "./spec.ts";

/** Time limits and pool sizes of the connections to the shards. */
export const connectionLimits = {
  /** Connections per server at most; requests beyond wait for one. */
  poolSize: 6,
  /** Longest wait for a new connection to a server before trying the next. */
  connectMs: 2_000,
  /** Every query ends after this long, on the server (statement_timeout). */
  statementMs: 10_000,
  /** A shard that has not answered a search after this long is left out, marked missing. */
  shardMs: 8_000,
  /** A server that failed to connect is not tried again for this long. */
  downMs: 5_000,
};

/** A shard that could not answer: the part a page names, and the reason the terminal logs. */
export class ShardUnavailable extends PartUnavailable {
  constructor(
    readonly shard: number,
    reason: string,
    label = `shard ${shard + 1}`,
  ) {
    super(
      partName(shard),
      `postgres: ${label} is unavailable: ${maskUrl(reason)}`,
    );
  }
}

/** How pages name a shard: by its number only, never its servers. */
export function partName(shard: number): string {
  return `shard ${shard + 1}`;
}

/** The role a connection logs in as when the URL names none. */
export type Role = "readout_reader" | "readout_writer";

type Client = pg.PoolClient;

/** One server of a shard: its pool, and when it last failed to connect. */
class Server {
  readonly pool: pg.Pool;
  downUntil = 0;

  constructor(
    readonly spec: ServerSpec,
    role: Role,
    poolSize: number,
  ) {
    const user = spec.user ?? role;
    this.pool = new pg.Pool({
      host: spec.host,
      port: spec.port,
      database: spec.database,
      user,
      password: () => passwordFor(spec, user) ?? process.env.PGPASSWORD ?? "",
      max: poolSize,
      connectionTimeoutMillis: connectionLimits.connectMs,
      idleTimeoutMillis: 30_000,
      statement_timeout: connectionLimits.statementMs,
      application_name: "readout",
      // A text condition costs far more than the planner thinks (each row's vector is read
      // from TOAST): never scan a table for one when the index can answer.
      options: "-c enable_seqscan=off -c jit=off",
    });
    // An idle connection the server dropped (a restart, a failover) must not crash Readout.
    this.pool.on("error", () => {
      this.downUntil = Date.now() + connectionLimits.downMs;
    });
  }
}

/**
 * The servers of an archive: per shard a primary and its replicas. Reads go to a replica
 * when one answers and to the primary otherwise, so a replica going down costs nothing but
 * its share of the load; writes go to the primary.
 */
export class Shards {
  private readonly servers: { primary: Server; replicas: Server[] }[];
  private turn = 0;

  constructor(
    readonly spec: ClusterSpec,
    role: Role,
    poolSize = connectionLimits.poolSize,
    /** Hears why a shard did not answer (it names servers: for the terminal only). */
    readonly log?: (line: string) => void,
  ) {
    this.servers = spec.shards.map((shard) => ({
      primary: new Server(shard.primary, role, poolSize),
      replicas: shard.replicas.map((r) => new Server(r, role, poolSize)),
    }));
  }

  get count(): number {
    return this.servers.length;
  }

  /** The shard a statement lives on: a hash of its id, stable whatever else changes. */
  shardOf(id: string): number {
    if (this.servers.length === 1) return 0;
    const digest = createHash("md5").update(id).digest();
    return digest.readUInt32BE(0) % this.servers.length;
  }

  /** Names a shard in a message for whoever runs Readout: its primary's URL, without password. */
  label(shard: number): string {
    return `${partName(shard)} (${this.spec.shards[shard]!.primary.label})`;
  }

  /**
   * Runs read-only work on one connection to a shard: a replica if one answers, else the
   * primary. A server that cannot be reached is skipped (and not tried for a few seconds);
   * when none answers, or the work runs past `connectionLimits.shardMs`, throws
   * ShardUnavailable.
   */
  async read<T>(
    shard: number,
    work: (client: Client) => Promise<T>,
    timeoutMs = connectionLimits.shardMs,
  ): Promise<T> {
    const { primary, replicas } = this.servers[shard]!;
    const start = this.turn++ % Math.max(1, replicas.length);
    const order = [
      ...replicas.slice(start),
      ...replicas.slice(0, start),
      primary,
    ];
    const now = Date.now();
    const candidates = order.filter((s) => s.downUntil <= now);
    // All marked down: try them anyway, one may be back.
    const servers = candidates.length ? candidates : order;
    let last: unknown;
    for (const server of servers) {
      let client: Client;
      try {
        client = await server.pool.connect();
      } catch (err) {
        server.downUntil = Date.now() + connectionLimits.downMs;
        last = err;
        continue;
      }
      try {
        const result = await withTimeout(work(client), timeoutMs);
        client.release();
        return result;
      } catch (err) {
        // A broken or timed-out connection is closed, not given back to the pool.
        client.release(true);
        if (err instanceof Timeout)
          throw new ShardUnavailable(
            shard,
            `no answer within ${timeoutMs / 1000} s`,
            this.label(shard),
          );
        if (!isConnectionError(err)) throw err;
        server.downUntil = Date.now() + connectionLimits.downMs;
        last = err;
      }
    }
    throw new ShardUnavailable(shard, reason(last), this.label(shard));
  }

  /** Runs work on a shard's primary, in one connection (import, schema). */
  async write<T>(
    shard: number,
    work: (client: Client) => Promise<T>,
  ): Promise<T> {
    const server = this.servers[shard]!.primary;
    let client: Client;
    try {
      client = await server.pool.connect();
    } catch (err) {
      throw new ShardUnavailable(shard, reason(err), this.label(shard));
    }
    try {
      const result = await work(client);
      client.release();
      return result;
    } catch (err) {
      client.release(true);
      throw err;
    }
  }

  /** A connection to a shard's primary, held by the caller until it releases it (import). */
  async connect(shard: number): Promise<Client> {
    try {
      return await this.servers[shard]!.primary.pool.connect();
    } catch (err) {
      throw new ShardUnavailable(shard, reason(err), this.label(shard));
    }
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    await Promise.all(
      this.servers
        .flatMap((s) => [s.primary, ...s.replicas])
        .map((s) => s.pool.end()),
    );
  }
}

/**
 * Runs `each` on every shard at once; a shard that is unavailable is left out and named in
 * `missing` (any other error is thrown), its reason told to `shards.log`.
 */
export async function fanOut<T>(
  shards: Shards,
  each: (shard: number) => Promise<T>,
): Promise<{ results: (T | undefined)[]; missing: number[] }> {
  const settled = await Promise.allSettled(
    Array.from({ length: shards.count }, (_, i) => each(i)),
  );
  const missing: number[] = [];
  const results = settled.map((s, i) => {
    if (s.status === "fulfilled") return s.value;
    if (s.reason instanceof ShardUnavailable) {
      missing.push(i);
      shards.log?.(s.reason.reason);
      return undefined;
    }
    throw s.reason;
  });
  return { results, missing };
}

/**
 * Runs a query as a named prepared statement, so each connection plans a query's shape once
 * rather than every time: with a table of a dozen partitions, each with its indexes, planning
 * took 2–3 ms, as long as running a query of a rare word. The name is a digest of the text
 * (the values vary, the texts are few); results are those of an unnamed query.
 */
export function prepared<R extends pg.QueryResultRow>(
  client: Client,
  text: string,
  values: unknown[],
): Promise<pg.QueryResult<R>> {
  const name = `readout_${createHash("sha1").update(text).digest("base64url")}`;
  return client.query<R>({ name, text, values });
}

class Timeout extends Error {}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Timeout()), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// Errors that say the server, not the query, is the problem: try another server.
function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (!e) return false;
  if (e.code && /^(ECONN|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH)/.test(e.code))
    return true;
  // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 08*: connection.
  if (e.code && /^(57P0[123]|08)/.test(e.code)) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(
    e.message ?? "",
  );
}

function reason(err: unknown): string {
  const e = err as { code?: string; message?: string } | undefined;
  return e?.message
    ? `${e.message}${e.code ? ` (${e.code})` : ""}`
    : "no server answered";
}

/**
 * A query's rows on one shard, a batch at a time through a server-side cursor, for as long as
 * the caller keeps asking: one batch is read ahead, and the connection is held until the rows
 * end or the caller stops (`return()`, as `for await … break` does), when the cursor closes.
 */
export async function* cursorRows<R extends pg.QueryResultRow>(
  shards: Shards,
  shard: number,
  text: string,
  values: unknown[],
  batch: number,
  timeoutMs: number,
): AsyncGenerator<R[]> {
  const queue: { rows?: R[]; error?: unknown }[] = [];
  let arrived: (() => void) | undefined;
  let wanted: (() => void) | undefined;
  let stopped = false;
  const push = (item: { rows?: R[]; error?: unknown }) => {
    queue.push(item);
    arrived?.();
  };
  const reading = shards
    .read(
      shard,
      async (client) => {
        // A cursor's query may sort every match before its first row: it has the whole
        // export's time, not one statement's (the transaction ends the setting).
        await client.query("BEGIN READ ONLY");
        await client.query(
          `SET LOCAL statement_timeout = ${Math.round(timeoutMs)}`,
        );
        const cursor = client.query(new Cursor<R>(text, values));
        try {
          for (;;) {
            const rows = await cursor.read(batch);
            if (rows.length === 0 || stopped) return;
            push({ rows });
            await new Promise<void>((resolve) => {
              wanted = resolve;
              if (stopped) resolve();
            });
            if (stopped) return;
          }
        } finally {
          await cursor.close();
          await client.query("COMMIT");
        }
      },
      timeoutMs,
    )
    .then(
      () => push({}),
      (error: unknown) =>
        push({ error: error ?? new Error("postgres: cursor failed") }),
    );
  try {
    for (;;) {
      if (queue.length === 0)
        await new Promise<void>((resolve) => (arrived = resolve));
      arrived = undefined;
      const item = queue.shift()!;
      if (item.error) throw item.error;
      if (!item.rows) return;
      // The next batch is read while this one is used.
      wanted?.();
      wanted = undefined;
      yield item.rows;
    }
  } finally {
    stopped = true;
    wanted?.();
    await reading;
  }
}
