import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import {
  binariesPresent,
  binDir,
  startCluster,
  stopCluster,
} from "../../src/engines/postgres/cluster.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The run's PostgreSQL cluster (its folder, for the superuser's passfile), when there is one. */
    postgres: { dir: string } | null;
  }
}

/**
 * One PostgreSQL cluster for the whole run (two shards, no replicas), when the binaries are
 * installed: each test file makes its own databases on it (tests/engines.ts). It starts in
 * the background, so a run that never uses it does not wait for it; the first file that does
 * waits until `cluster.json` is written (or `failed` says why not). Without the binaries the
 * PostgreSQL side of the suite is skipped, saying so, except in CI (CI=true), where their
 * absence fails it.
 */
export async function setup(
  project: TestProject,
): Promise<() => Promise<void>> {
  project.provide("postgres", null);
  if (!binariesPresent()) {
    if (/^(1|true|yes)$/i.test(process.env.CI ?? ""))
      throw new Error(
        `tests: CI=true and PostgreSQL's binaries are not in ${binDir()}`,
      );
    process.stderr.write(
      `\n*** PostgreSQL tests SKIPPED: its binaries are not in ${binDir()} (apt-get install postgresql-15 postgresql-contrib).\n\n`,
    );
    return async () => {};
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "readout-pg-run-"));
  // The servers run as the postgres user when the tests run as root.
  await chmod(dir, 0o755);
  const cluster = path.join(dir, "cluster");
  const started = startCluster({
    dir: cluster,
    shards: 2,
    replicas: 0,
    fast: true,
  }).catch((err: Error) =>
    writeFile(path.join(dir, "failed"), err.message).then(() => undefined),
  );
  project.provide("postgres", { dir: cluster });
  return async () => {
    await started;
    await stopCluster(cluster).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
}
