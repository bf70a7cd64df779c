import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, chown, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { READER_ROLE, WRITER_ROLE } from "./schema.ts";
import { formatSpec, type ClusterSpec } from "./spec.ts";

const run = promisify(execFile);

/**
 * A local cluster for trying Readout and for tests: PostgreSQL servers on loopback, one
 * primary per shard with streaming replicas, made from Debian's binaries. Everything lives in
 * one folder: the data folders, `cluster.json` (ports and layout) and `pgpass` (the roles'
 * passwords, readable by its owner only; the spec points at it and never holds a password).
 */
export interface LocalCluster {
  dir: string;
  shards: { primary: LocalServer; replicas: LocalServer[] }[];
  /** Created by `pg start --unsafe-fast`: no fsync; a crash of the machine may lose it all. */
  fast?: boolean;
}

interface LocalServer {
  dataDir: string;
  port: number;
}

/** Options of `pg start`; the tests trade durability for speed. */
export interface StartOptions {
  dir: string;
  shards: number;
  replicas: number;
  /**
   * Skip fsync, synchronous commit and full-page writes (`--unsafe-fast`; tests and
   * benchmarks only: a crash of the machine may lose or corrupt the database). Chosen when
   * the cluster is created; a restart keeps the mode it was created in.
   */
  fast?: boolean;
  log?: (line: string) => void;
}

const DATABASE = "readout";
const REPLICATOR = "readout_replicator";

/** Where Debian keeps the binaries; PG_BIN overrides it. */
export function binDir(env = process.env): string {
  return env.PG_BIN ?? "/usr/lib/postgresql/15/bin";
}

/** Whether PostgreSQL's server binaries are installed. */
export function binariesPresent(env = process.env): boolean {
  return ["initdb", "pg_ctl", "postgres", "pg_basebackup"].every((b) =>
    existsSync(path.join(binDir(env), b)),
  );
}

/**
 * Creates (or, when `dir` already holds one of this shape, restarts) a local cluster and
 * resolves once every server accepts connections, with its spec.
 */
export async function startCluster(
  options: StartOptions,
): Promise<ClusterSpec> {
  const dir = path.resolve(options.dir);
  const log = options.log ?? (() => {});
  if (!binariesPresent())
    throw new Error(
      `pg: PostgreSQL's binaries are not in ${binDir()} (apt-get install postgresql-15, or set PG_BIN)`,
    );
  const existing = await readCluster(dir);
  if (existing) {
    if (
      existing.shards.length !== options.shards ||
      existing.shards.some((s) => s.replicas.length !== options.replicas)
    )
      throw new Error(
        `pg: ${dir} holds a cluster of ${existing.shards.length} shards with ${existing.shards[0]?.replicas.length ?? 0} replicas; stop it and choose another folder`,
      );
    if (options.fast && !existing.fast)
      throw new Error(
        `pg: ${dir} holds a durable cluster; --unsafe-fast applies only when a cluster is created (choose another folder)`,
      );
    if (existing.fast)
      log(
        `${dir} was created with --unsafe-fast: a crash of the machine may lose or corrupt it`,
      );
    await Promise.all(existing.shards.map((s) => startServer(s.primary, log)));
    await Promise.all(
      existing.shards
        .flatMap((s) => s.replicas)
        .map((r) => startServer(r, log)),
    );
    return specOf(existing);
  }
  await mkdir(dir, { recursive: true });
  if (asRoot()) {
    await chown(dir, ...(await postgresIds()));
    // initdb runs as postgres: every folder above DIR must let it through.
    await run("runuser", ["-u", "postgres", "--", "test", "-w", dir]).catch(
      () => {
        throw new Error(
          `pg: the postgres user cannot write to ${dir} (a folder above it is closed to other users); choose a folder it can reach, e.g. under /tmp`,
        );
      },
    );
  }
  const passwords = {
    postgres: secret(),
    [WRITER_ROLE]: secret(),
    [READER_ROLE]: secret(),
    [REPLICATOR]: secret(),
  };
  const ports = await freePorts(options.shards * (1 + options.replicas));
  const cluster: LocalCluster = {
    dir,
    shards: Array.from({ length: options.shards }, (_, i) => ({
      primary: {
        dataDir: path.join(dir, `shard${i + 1}`, "primary"),
        port: ports.shift()!,
      },
      replicas: Array.from({ length: options.replicas }, (_, j) => ({
        dataDir: path.join(dir, `shard${i + 1}`, `replica${j + 1}`),
        port: ports.shift()!,
      })),
    })),
    ...(options.fast ? { fast: true } : {}),
  };
  await writePassfile(cluster, passwords);
  // Primaries first, all at once; then each shard's replicas from its running primary.
  await Promise.all(
    cluster.shards.map(async (shard, i) => {
      log(`shard ${i + 1}: creating the primary on port ${shard.primary.port}`);
      await createPrimary(shard.primary, passwords, options.fast ?? false);
      await startServer(shard.primary, log);
      await setUpRoles(shard.primary, passwords);
      for (const replica of shard.replicas) {
        log(`shard ${i + 1}: creating a replica on port ${replica.port}`);
        await createReplica(shard.primary, replica, passwords[REPLICATOR]);
        await startServer(replica, log);
      }
    }),
  );
  await writeFile(
    path.join(dir, "cluster.json"),
    JSON.stringify(cluster, null, 2) + "\n",
  );
  return specOf(cluster);
}

/** Servers `pg stop` could not stop, each with why: it stopped every other one first. */
export class StopFailed extends Error {
  constructor(readonly failures: { server: string; reason: string }[]) {
    super(
      `pg: ${failures.length} server(s) could not be stopped: ` +
        failures.map((f) => `${f.server}: ${f.reason}`).join("; "),
    );
  }
}

/**
 * Stops every server of the cluster in `dir`, replicas first. One that cannot be stopped does
 * not keep the others running: each is tried, then StopFailed names those left.
 */
export async function stopCluster(
  dir: string,
  log: (line: string) => void = () => {},
): Promise<void> {
  const cluster = await readCluster(path.resolve(dir));
  if (!cluster) throw new Error(`pg: no cluster in ${path.resolve(dir)}`);
  const failures: { server: string; reason: string }[] = [];
  const stopAll = async (servers: LocalServer[]) => {
    const settled = await Promise.allSettled(
      servers.map((s) => stopServer(s, log)),
    );
    settled.forEach((s, i) => {
      if (s.status === "rejected")
        failures.push({
          server: `the server on port ${servers[i]!.port} (${servers[i]!.dataDir})`,
          reason: (s.reason as Error).message,
        });
    });
  };
  await stopAll(cluster.shards.flatMap((s) => s.replicas));
  await stopAll(cluster.shards.map((s) => s.primary));
  if (failures.length) throw new StopFailed(failures);
}

/** The cluster described in `dir`, or undefined when there is none. */
export async function readCluster(
  dir: string,
): Promise<LocalCluster | undefined> {
  try {
    return JSON.parse(
      await readFile(path.join(dir, "cluster.json"), "utf8"),
    ) as LocalCluster;
  } catch {
    return undefined;
  }
}

/** The spec of a local cluster: URLs without passwords, pointing at its passfile. */
export function specOf(cluster: LocalCluster): ClusterSpec {
  const passfile = path.join(cluster.dir, "pgpass");
  const server = (s: LocalServer) => ({
    host: "127.0.0.1",
    port: s.port,
    database: DATABASE,
    passfile,
    label: `postgres://127.0.0.1:${s.port}/${DATABASE}`,
  });
  return {
    shards: cluster.shards.map((s) => ({
      primary: server(s.primary),
      replicas: s.replicas.map(server),
    })),
  };
}

/** The spec line `pg start` prints. */
export function specLine(cluster: ClusterSpec): string {
  return formatSpec(cluster);
}

/**
 * Stops a server of the cluster. A pid file left by a server that died (kill -9, a power cut)
 * makes pg_ctl fail with nothing to stop: that server counts as stopped, and the log says so.
 */
export async function stopServer(
  server: LocalServer,
  log: (line: string) => void = () => {},
): Promise<void> {
  if (!existsSync(path.join(server.dataDir, "postmaster.pid"))) return;
  log(`stopping the server on port ${server.port}`);
  try {
    await pgCommand("pg_ctl", [
      "-D",
      server.dataDir,
      "-m",
      "fast",
      "-w",
      "stop",
    ]);
  } catch (err) {
    if ((await serverStatus(server)) !== "not running") throw err;
    log(
      `the server on port ${server.port} was not running (its postmaster.pid is stale)`,
    );
  }
}

/**
 * Whether a server runs, by `pg_ctl status`: exit 0 running, 3 not running (no pid file, or
 * one whose process is gone); anything else (an unreadable folder) is "unknown".
 */
async function serverStatus(
  server: LocalServer,
): Promise<"running" | "not running" | "unknown"> {
  return pgCommand("pg_ctl", ["-D", server.dataDir, "status"]).then(
    () => "running" as const,
    (err: PgCommandFailed) =>
      err.exitCode === 3 ? ("not running" as const) : ("unknown" as const),
  );
}

/** Starts a server of the cluster, if it is not running, and waits until it accepts connections. */
export async function startServer(
  server: LocalServer,
  log: (line: string) => void = () => {},
): Promise<void> {
  const status = await pgCommand("pg_ctl", [
    "-D",
    server.dataDir,
    "status",
  ]).then(
    () => "running",
    () => "stopped",
  );
  if (status === "running") return;
  log(`starting the server on port ${server.port}`);
  await pgCommand("pg_ctl", [
    "-D",
    server.dataDir,
    "-l",
    path.join(server.dataDir, "server.log"),
    "-w",
    "-t",
    "60",
    "start",
  ]);
}

async function createPrimary(
  server: LocalServer,
  passwords: Record<string, string>,
  fast: boolean,
): Promise<void> {
  await mkdir(path.dirname(server.dataDir), { recursive: true });
  if (asRoot())
    await chown(path.dirname(server.dataDir), ...(await postgresIds()));
  const pwfile = path.join(path.dirname(server.dataDir), ".pwfile");
  await writeFile(pwfile, passwords.postgres + "\n", { mode: 0o600 });
  if (asRoot()) await chown(pwfile, ...(await postgresIds()));
  try {
    await pgCommand("initdb", [
      "-D",
      server.dataDir,
      "-U",
      "postgres",
      `--pwfile=${pwfile}`,
      "-A",
      "scram-sha-256",
      "-E",
      "UTF8",
      "--locale=C.UTF-8",
      "-N",
    ]);
  } finally {
    await rm(pwfile, { force: true });
  }
  await writeFile(
    path.join(server.dataDir, "pg_hba.conf"),
    [
      "# Readout's local cluster: loopback only, passwords for every role.",
      "host all all 127.0.0.1/32 scram-sha-256",
      "host all all ::1/128 scram-sha-256",
      `host replication ${REPLICATOR} 127.0.0.1/32 scram-sha-256`,
      "",
    ].join("\n"),
  );
  const settings = [
    `port = ${server.port}`,
    "listen_addresses = '127.0.0.1'",
    "unix_socket_directories = ''",
    "max_connections = 100",
    "shared_buffers = 256MB",
    "work_mem = 16MB",
    "maintenance_work_mem = 512MB",
    "max_wal_size = 4GB",
    "wal_level = replica",
    "max_wal_senders = 10",
    "hot_standby = on",
    "hot_standby_feedback = on",
    "jit = off",
    "logging_collector = off",
    // The serving role's queries never wait on a stuck lock or a runaway plan.
    "lock_timeout = '10s'",
    ...(fast
      ? ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]
      : []),
  ];
  await writeFile(
    path.join(server.dataDir, "postgresql.conf"),
    (await readFile(path.join(server.dataDir, "postgresql.conf"), "utf8")) +
      "\n# Readout\n" +
      settings.join("\n") +
      "\n",
  );
}

async function setUpRoles(
  server: LocalServer,
  passwords: Record<string, string>,
): Promise<void> {
  const admin = new pg.Client({
    host: "127.0.0.1",
    port: server.port,
    user: "postgres",
    password: passwords.postgres,
    database: "postgres",
  });
  await admin.connect();
  try {
    const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
    await admin.query(
      `CREATE ROLE ${WRITER_ROLE} LOGIN PASSWORD ${literal(passwords[WRITER_ROLE]!)}`,
    );
    await admin.query(
      `CREATE ROLE ${READER_ROLE} LOGIN PASSWORD ${literal(passwords[READER_ROLE]!)}`,
    );
    await admin.query(
      `CREATE ROLE ${REPLICATOR} REPLICATION LOGIN PASSWORD ${literal(passwords[REPLICATOR]!)}`,
    );
    await admin.query(`CREATE DATABASE ${DATABASE} OWNER ${WRITER_ROLE}`);
    // The reader may read and never write; the server sets its time limits per role.
    await admin.query(
      `ALTER ROLE ${READER_ROLE} SET default_transaction_read_only = on`,
    );
    await admin.query(
      `ALTER ROLE ${READER_ROLE} SET statement_timeout = '10s'`,
    );
  } finally {
    await admin.end();
  }
  const db = new pg.Client({
    host: "127.0.0.1",
    port: server.port,
    user: "postgres",
    password: passwords.postgres,
    database: DATABASE,
  });
  await db.connect();
  try {
    await db.query("CREATE EXTENSION IF NOT EXISTS pg_trgm");
    await db.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    await db.query(`GRANT CREATE, USAGE ON SCHEMA public TO ${WRITER_ROLE}`);
    await db.query(`GRANT USAGE ON SCHEMA public TO ${READER_ROLE}`);
  } finally {
    await db.end();
  }
}

async function createReplica(
  primary: LocalServer,
  replica: LocalServer,
  password: string,
): Promise<void> {
  await pgCommand(
    "pg_basebackup",
    [
      "-h",
      "127.0.0.1",
      "-p",
      String(primary.port),
      "-U",
      REPLICATOR,
      "-D",
      replica.dataDir,
      "-R",
      "-X",
      "stream",
      "-c",
      "fast",
      "--no-sync",
    ],
    { PGPASSWORD: password },
  );
  // The copy carries the primary's settings: only the port differs.
  await writeFile(
    path.join(replica.dataDir, "postgresql.auto.conf"),
    (await readFile(
      path.join(replica.dataDir, "postgresql.auto.conf"),
      "utf8",
    )) + `port = ${replica.port}\n`,
  );
}

async function writePassfile(
  cluster: LocalCluster,
  passwords: Record<string, string>,
): Promise<void> {
  const lines: string[] = [];
  for (const shard of cluster.shards)
    for (const server of [shard.primary, ...shard.replicas])
      for (const [user, password] of Object.entries(passwords))
        lines.push(`127.0.0.1:${server.port}:*:${user}:${password}`);
  const file = path.join(cluster.dir, "pgpass");
  await writeFile(file, lines.join("\n") + "\n", { mode: 0o600 });
  await chmod(file, 0o600);
}

/**
 * Runs one of PostgreSQL's programs, as the `postgres` user when this process is root
 * (runuser keeps the environment, so a password passes there, never on the command line).
 */
async function pgCommand(
  program: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<string> {
  const binary = path.join(binDir(), program);
  const [file, argv] = asRoot()
    ? ["runuser", ["-u", "postgres", "--", binary, ...args]]
    : [binary, args];
  try {
    const { stdout } = await run(file, argv, {
      env: { ...process.env, ...env, LC_ALL: "C.UTF-8" },
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string; code?: unknown };
    const detail = (e.stderr ?? e.message)
      .trim()
      .split("\n")
      .slice(-3)
      .join(" ");
    throw new PgCommandFailed(
      `pg: ${program} failed: ${detail}`,
      typeof e.code === "number" ? e.code : undefined,
    );
  }
}

/** A program of PostgreSQL's that failed, with its exit code (pg_ctl status: 3 = not running). */
class PgCommandFailed extends Error {
  constructor(
    message: string,
    readonly exitCode: number | undefined,
  ) {
    super(message);
  }
}

function asRoot(): boolean {
  return process.getuid?.() === 0;
}

let ids: Promise<[number, number]> | undefined;
function postgresIds(): Promise<[number, number]> {
  ids ??= run("id", ["-u", "postgres"]).then(async ({ stdout }) => {
    const gid = await run("id", ["-g", "postgres"]);
    return [Number(stdout.trim()), Number(gid.stdout.trim())];
  });
  return ids;
}

function secret(): string {
  return randomBytes(18).toString("base64url");
}

/** `count` TCP ports on 127.0.0.1 that nothing listens on now. */
async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const address = server.address() as net.AddressInfo;
        server.close(() => resolve(address.port));
      });
    });
    if (!ports.includes(port)) ports.push(port);
  }
  return ports;
}
