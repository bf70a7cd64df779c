import type { Config } from "../runtime/config.ts";
import {
  importInto,
  maskUrl,
  specLine,
  startCluster,
  stopCluster,
  StopFailed,
} from "../engines/postgres/admin.ts";
import { progressLine } from "../runtime/progress.ts";
import { count, printProblems, MAX_PROBLEMS_SHOWN } from "./format.ts";
import { writeLine, type Io } from "./io.ts";

/**
 * `readout pg start --dir DIR --shards N --replicas R [--unsafe-fast]`: creates (or restarts) a
 * local cluster on loopback and prints its spec as the last line; `readout pg stop --dir DIR`
 * stops it.
 */
export async function pgCluster(config: Config, io: Io): Promise<number> {
  const log = (line: string) => writeLine(io.err, `pg: ${line}`);
  try {
    if (config.pgAction === "stop") {
      try {
        await stopCluster(config.dir!, log);
      } catch (err) {
        if (!(err instanceof StopFailed)) throw err;
        for (const { server, reason } of err.failures)
          log(`could not stop ${server}: ${reason}`);
        writeLine(
          io.err,
          `pg: stopped the cluster in ${config.dir} except ${err.failures.length} server(s), named above`,
        );
        return 1;
      }
      writeLine(io.out, `Stopped the cluster in ${config.dir}`);
      return 0;
    }
    const spec = await startCluster({
      dir: config.dir!,
      shards: config.shards,
      replicas: config.replicas,
      fast: config.unsafeFast,
      log,
    });
    writeLine(
      io.out,
      `Started ${config.shards} shard(s) with ${config.replicas} replica(s) each in ${config.dir}; use the line below with --pg or READOUT_PG.`,
    );
    writeLine(io.out, specLine(spec));
    return 0;
  } catch (err) {
    writeLine(io.err, maskUrl((err as Error).message));
    return 1;
  }
}

/**
 * `readout import --pg SPEC --data DIR`: loads a data folder into the database, reading only
 * what changed since the last import; prints the problems as `check` does, and a summary.
 */
export async function importArchive(config: Config, io: Io): Promise<number> {
  const bar = progressLine(io.err, "Importing");
  try {
    const summary = await importInto(config.pg!, config.data, {
      ...(config.followHardLinks ? { followHardLinks: true } : {}),
      ...(config.ocrLanguages ? { ocrLanguages: config.ocrLanguages } : {}),
      ...(config.entities ? { entities: true } : {}),
      onProgress: (p) =>
        bar.update(p.statements, undefined, `${p.files}/${p.totalFiles} files`),
      log: (line) => {
        bar.done();
        writeLine(io.err, line);
      },
    });
    bar.done();
    printProblems(io.err, summary.problems, MAX_PROBLEMS_SHOWN, "see /about");
    writeLine(
      io.out,
      `Imported ${config.data}: ${count(summary.statements, "statement")} in the database; ` +
        `${summary.added} added, ${summary.updated} updated, ${summary.removed} removed, ${summary.unchanged} unchanged ` +
        `(${summary.read} of ${count(summary.files, "file")} read) in ${summary.seconds.toFixed(1)} s` +
        (summary.problems.length
          ? `; ${summary.problems.length} problem(s)`
          : ""),
    );
    return 0;
  } catch (err) {
    bar.done();
    writeLine(io.err, maskUrl((err as Error).message));
    return 1;
  }
}
