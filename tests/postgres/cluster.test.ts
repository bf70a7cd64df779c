/**
 * `readout pg stop` over a cluster whose servers are not all in order: one running, one left
 * a stale pid file by a crash, one whose folder it may not read. A cluster of one server of
 * its own (the run's cluster must keep running), skipped without PostgreSQL's binaries.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import {
  chmod,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  writeFile,
} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import {
  readCluster,
  startCluster,
  stopCluster,
} from "../../src/engines/postgres/cluster.ts";

describe.skipIf(!inject("postgres"))("readout pg stop", () => {
  let dir: string | undefined;

  afterAll(async () => {
    if (!dir) return;
    await stopCluster(path.join(dir, "cluster")).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it("stops every server it can, then names those it could not, exiting 1", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "readout-pg-stop-"));
    // The server runs as the postgres user when the tests run as root.
    await chmod(dir, 0o755);
    const folder = path.join(dir, "cluster");
    await startCluster({ dir: folder, shards: 1, replicas: 0, fast: true });
    const cluster = (await readCluster(folder))!;
    const primary = cluster.shards[0]!.primary;
    // Created by --unsafe-fast: the mode is kept with the cluster and in its settings.
    expect(cluster.fast).toBe(true);
    expect(
      await readFile(path.join(primary.dataDir, "postgresql.conf"), "utf8"),
    ).toMatch(/^fsync = off$/m);
    // Started again, it keeps that mode and says so.
    const said: string[] = [];
    await startCluster({
      dir: folder,
      shards: 1,
      replicas: 0,
      log: (line) => said.push(line),
    });
    expect(said).toContain(
      `${folder} was created with --unsafe-fast: a crash of the machine may lose or corrupt it`,
    );

    // A pid file a crash left behind: its process is gone.
    const stale = path.join(dir, "stale");
    await mkdir(stale, { mode: 0o755 });
    const gone = spawnSync(process.execPath, ["-e", ""]).pid;
    await writeFile(path.join(stale, "postmaster.pid"), `${gone}\n${stale}\n`);
    await writeFile(path.join(stale, "PG_VERSION"), "15\n");
    // A pid file pg_ctl may not read: that server cannot be stopped from here.
    const locked = path.join(dir, "locked");
    await mkdir(locked, { mode: 0o755 });
    await writeFile(path.join(locked, "PG_VERSION"), "15\n");
    await writeFile(path.join(locked, "postmaster.pid"), "1\n", {
      mode: 0o000,
    });
    // Replicas are stopped first: the broken ones come before the running primary.
    cluster.shards[0]!.replicas = [
      { dataDir: stale, port: 1 },
      { dataDir: locked, port: 2 },
    ];
    await writeFile(
      path.join(folder, "cluster.json"),
      JSON.stringify(cluster, null, 2),
    );

    let stdout = "";
    let stderr = "";
    const code = await main(
      ["pg", "stop", "--dir", folder],
      {},
      {
        out: { write: (t: string) => (stdout += t) },
        err: { write: (t: string) => (stderr += t) },
        env: {},
        stop: new AbortController().signal,
      },
    );

    expect(existsSync(path.join(primary.dataDir, "postmaster.pid"))).toBe(
      false,
    );
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain(
      "the server on port 1 was not running (its postmaster.pid is stale)",
    );
    expect(stderr).toContain(`could not stop the server on port 2 (${locked})`);
    expect(stderr).not.toContain("could not stop the server on port 1 ");
    expect(stderr).toContain("except 1 server(s), named above");
  }, 120_000);
});

describe.skipIf(!inject("postgres"))("readout pg start --unsafe-fast", () => {
  it("is refused on a folder holding a durable cluster, which it would not make fast", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "readout-pg-fast-"));
    try {
      // A durable cluster as pg start records it; its servers need not exist to be refused.
      const server = { dataDir: path.join(dir, "primary"), port: 1 };
      await writeFile(
        path.join(dir, "cluster.json"),
        JSON.stringify({ dir, shards: [{ primary: server, replicas: [] }] }),
      );
      let stdout = "";
      let stderr = "";
      const code = await main(
        [
          "pg",
          "start",
          "--dir",
          dir,
          "--shards",
          "1",
          "--replicas",
          "0",
          "--unsafe-fast",
        ],
        {},
        {
          out: { write: (t: string) => (stdout += t) },
          err: { write: (t: string) => (stderr += t) },
          env: {},
          stop: new AbortController().signal,
        },
      );
      expect(code).toBe(1);
      expect(stdout).toBe("");
      expect(stderr).toContain(
        `pg: ${dir} holds a durable cluster; --unsafe-fast applies only when a cluster is created`,
      );
      expect(existsSync(server.dataDir)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
