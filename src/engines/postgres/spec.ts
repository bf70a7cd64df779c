import { readFileSync } from "node:fs";

/**
 * Where the archive's servers are: `URL[,REPLICA_URL…][;URL[,REPLICA_URL…]…]`. Shards are
 * separated by `;`; within a shard the primary's `postgres://` URL comes first, then its
 * replicas. A URL without a user connects as the role of the command (`readout_reader` to
 * serve, `readout_writer` to import); a password comes from the URL, from a `passfile`
 * parameter (the local cluster's), or from PostgreSQL's usual PGPASSWORD and ~/.pgpass.
 */
export interface ClusterSpec {
  shards: ShardSpec[];
}

export interface ShardSpec {
  primary: ServerSpec;
  replicas: ServerSpec[];
}

export interface ServerSpec {
  host: string;
  port: number;
  database: string;
  user?: string;
  password?: string;
  /** A pgpass file to read the password from. */
  passfile?: string;
  /** The URL with any password replaced by `***`: what logs, pages and errors may show. */
  label: string;
}

/** Thrown for a spec that cannot be read; its message never holds a password. */
export class SpecError extends Error {}

/** Reads a connection spec; throws SpecError naming the bad part (its password masked). */
export function parseSpec(spec: string): ClusterSpec {
  const shards = spec
    .split(";")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((shard) => {
      const [primary, ...replicas] = shard
        .split(",")
        .map((u) => u.trim())
        .filter(Boolean)
        .map(parseServer);
      return { primary: primary!, replicas };
    });
  if (shards.length === 0)
    throw new SpecError(
      "postgres: --pg needs at least one postgres:// URL, got an empty spec",
    );
  return { shards };
}

function parseServer(raw: string): ServerSpec {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SpecError(`postgres: not a postgres:// URL: "${maskUrl(raw)}"`);
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:")
    throw new SpecError(
      `postgres: not a postgres:// URL: "${maskUrl(raw)}" (starts with ${url.protocol})`,
    );
  const passfile = url.searchParams.get("passfile") ?? undefined;
  const server: ServerSpec = {
    host:
      decodeURIComponent(url.hostname.replace(/^\[|\]$/g, "")) || "127.0.0.1",
    port: url.port ? Number(url.port) : 5432,
    database: decodeURIComponent(url.pathname.slice(1)) || "readout",
    label: maskUrl(raw),
  };
  if (url.username) server.user = decodeURIComponent(url.username);
  if (url.password) server.password = decodeURIComponent(url.password);
  if (passfile) server.passfile = passfile;
  return server;
}

/** The spec as `pg start` prints it and `--pg` takes it. */
export function formatSpec(spec: ClusterSpec): string {
  return spec.shards
    .map((s) => [s.primary, ...s.replicas].map(serverUrl).join(","))
    .join(";");
}

/** A server's URL with its password, for connecting only: never print it. */
function serverUrl(server: ServerSpec): string {
  const auth = server.user
    ? `${encodeURIComponent(server.user)}${server.password ? `:${encodeURIComponent(server.password)}` : ""}@`
    : "";
  const host = server.host.includes(":") ? `[${server.host}]` : server.host;
  const query = server.passfile
    ? `?passfile=${encodeURIComponent(server.passfile)}`
    : "";
  return `postgres://${auth}${host}:${server.port}/${encodeURIComponent(server.database)}${query}`;
}

/** A URL (or any text holding URLs, of any scheme) with the password of each replaced by `***`. */
export function maskUrl(text: string): string {
  return text.replace(
    /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/[^:/@\s,;]*:)[^@\s,;]*@/gi,
    "$1***@",
  );
}

/**
 * The password for `user` on a server: the URL's, else the passfile's (pgpass format:
 * `host:port:database:user:password`, `*` matching anything), else undefined, which lets
 * node-postgres fall back to PGPASSWORD and ~/.pgpass.
 */
export function passwordFor(
  server: ServerSpec,
  user: string,
): string | undefined {
  if (server.password) return server.password;
  if (!server.passfile) return undefined;
  let text: string;
  try {
    text = readFileSync(server.passfile, "utf8");
  } catch (err) {
    throw new SpecError(
      `postgres: cannot read the passfile ${server.passfile}: ${(err as NodeJS.ErrnoException).code ?? "error"}`,
    );
  }
  const wanted = [server.host, String(server.port), server.database, user];
  for (const line of text.split("\n")) {
    if (!line.trim() || line.startsWith("#")) continue;
    const fields = line.split(/(?<!\\):/).map((f) => f.replace(/\\(.)/g, "$1"));
    if (fields.length < 5) continue;
    if (wanted.every((w, i) => fields[i] === "*" || fields[i] === w))
      return fields.slice(4).join(":");
  }
  return undefined;
}
