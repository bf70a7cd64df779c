import type { Server } from "node:http";
import type { Config } from "../runtime/config.ts";
import { archiveFor, type Archive } from "../archive.ts";
import { createApp } from "../web/app.ts";
import { limitedServer } from "../web/server-limits.ts";
import { count, printProblems, MAX_PROBLEMS_SHOWN } from "./format.ts";
import { isLoopback } from "../runtime/loopback.ts";
import { writeLine, type Io } from "./io.ts";
import { dataFolderReadable, openArchive } from "./load.ts";
import { readUsers, type User } from "../runtime/users.ts";

/** Requests still running this long after a stop signal are cut off. */
const DRAIN_SECONDS = 10;

/**
 * `readout serve`: listens at once, then loads the archive (pages show progress meanwhile),
 * follows the data folder for changes, and stops cleanly on SIGTERM or SIGINT. Resolves with
 * the exit code when it cannot start or has stopped.
 */
export async function serveArchive(config: Config, io: Io): Promise<number> {
  const loopback = isLoopback(config.host);
  // Collections and saved searches are written where there is a cache folder or a database.
  const writes =
    !config.readOnly && (config.pg !== undefined || config.cache !== null);
  if (!loopback && writes && !config.users) {
    writeLine(
      io.err,
      `Refused: listening on ${config.host} with collections and saved searches on, and no --users, would let anyone who can reach this computer add to them and remove from them. Give --users FILE (people sign in; readout user add writes it), or --read-only to serve without collections and saved searches, or listen on 127.0.0.1.`,
    );
    return 2;
  }
  let users: Map<string, User> | undefined;
  if (config.users) {
    try {
      users = await readUsers(config.users);
    } catch (err) {
      writeLine(io.err, (err as Error).message);
      return 2;
    }
    if (users.size === 0) {
      writeLine(
        io.err,
        `Refused: ${config.users} lists nobody, so nobody could sign in; add someone with readout user add NAME --role editor --users ${config.users}`,
      );
      return 2;
    }
  }
  if (!(await dataFolderReadable(config, io))) return 1;
  const log = (line: string) => writeLine(io.out, line);
  const caches = config.queryCache;
  const archive = archiveFor({
    data: config.data,
    cache: config.cache,
    log,
    ...(caches === undefined ? {} : { queryCache: caches }),
    ...(config.history ? { history: true } : {}),
    ...(config.entities ? { entities: true } : {}),
    ...(config.followHardLinks ? { followHardLinks: true } : {}),
    ...(config.pg ? { pg: config.pg, followData: config.dataGiven } : {}),
    ...(config.ocrLanguages ? { ocrLanguages: config.ocrLanguages } : {}),
    ...(config.readOnly ? {} : { workspace: "write" as const }),
  });
  if (!loopback && !users) {
    writeLine(
      io.err,
      `warning: listening on ${config.host} makes the archive reachable from the network; anyone who can reach this computer can read it.`,
    );
  }
  const server = limitedServer(
    createApp(archive, {
      // A server is in production unless told otherwise: templates compiled once, not per page.
      env: process.env.NODE_ENV || "production",
      anyHost: !loopback,
      ...(caches === undefined ? {} : { pageCache: caches }),
      ...(config.trustProxy !== false ? { trustProxy: config.trustProxy } : {}),
      ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
      ...(users ? { users } : {}),
      ...(config.readOnly ? { readOnly: true } : {}),
    }),
  ).listen(config.port, config.host);
  const url = await listening(server, config, io);
  if (!url) return 1;
  writeLine(
    io.out,
    `Readout is serving ${config.pg && !config.dataGiven ? "the PostgreSQL archive" : config.data} at ${url} (the pages show progress until the index is ready)`,
  );
  const stopped = stopOnSignal(server, archive, io);

  if (!(await openArchive(config, io, log, archive))) {
    server.close();
    return 1;
  }
  const about = await archive.about();
  const { problems } = about;
  printProblems(io.err, problems, MAX_PROBLEMS_SHOWN, "see /about");
  if (config.strict && problems.length > 0) {
    writeLine(
      io.err,
      `Stopped: --strict is on and ${problems.length} problem(s) were found.`,
    );
    server.close();
    return 1;
  }
  const skipped = problems.filter((p) => !p.kept).length;
  writeLine(
    io.out,
    `Indexed ${count(archive.overview().statements, "statement")} from ${count(about.files, "file")} in ${about.loadSeconds.toFixed(1)} s (${about.origin})` +
      (problems.length ? `; skipped ${skipped} — see /about` : ""),
  );
  writeLine(io.out, `Ready at ${url}`);
  archive.follow();
  // For the load test's leak check: with --expose-gc, SIGUSR2 collects garbage now, so the
  // memory it reads next is what the server holds, not what the collector has not yet freed.
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) process.on("SIGUSR2", () => gc());
  return stopped;
}

function listening(
  server: Server,
  config: Config,
  io: Io,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    server.once("listening", () => {
      const address = server.address();
      const port =
        typeof address === "object" && address ? address.port : config.port;
      const host = config.host.includes(":") ? `[${config.host}]` : config.host;
      resolve(`http://${host}:${port}/`);
    });
    server.once("error", (err: NodeJS.ErrnoException) => {
      writeLine(io.err, listenError(err, config));
      resolve(undefined);
    });
  });
}

// When `io.stop` aborts (SIGTERM or SIGINT, its reason), stop taking connections, let
// requests in flight finish (for up to DRAIN_SECONDS), save a pending index, then resolve 0.
function stopOnSignal(
  server: Server,
  archive: Archive,
  io: Io,
): Promise<number> {
  return new Promise((resolve) => {
    const stop = () => {
      writeLine(
        io.out,
        `${String(io.stop.reason)}: stopping; finishing the requests in flight.`,
      );
      server.close(async () => {
        await archive.close();
        resolve(0);
      });
      server.closeIdleConnections();
      setTimeout(() => {
        server.closeAllConnections();
      }, DRAIN_SECONDS * 1000).unref();
    };
    if (io.stop.aborted) stop();
    else io.stop.addEventListener("abort", stop, { once: true });
  });
}

function listenError(err: NodeJS.ErrnoException, config: Config): string {
  switch (err.code) {
    case "EADDRINUSE":
      return `Port ${config.port} on ${config.host} is already in use: stop the other program or choose another with --port.`;
    case "EADDRNOTAVAIL":
      return `Cannot listen on ${config.host}: this computer has no such address (--host).`;
    case "EACCES":
      return `Not allowed to listen on port ${config.port}: choose a port above 1023 with --port.`;
    default:
      return `Cannot listen on ${config.host}:${config.port}: ${err.message}`;
  }
}
