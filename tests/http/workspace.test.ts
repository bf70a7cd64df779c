import { vi } from "vitest";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { MemoryArchive } from "../../src/archive.ts";
import { createApp } from "../../src/web/app.ts";
import { fixtureData } from "../helpers.ts";
import { workspaceSuite } from "../workspace/suite.ts";

// Dozens of requests each, and a sign-in or two: more than 5 s on a machine shared by many.
vi.setConfig({ testTimeout: 30_000 });

// The memory engine over a copy of the fixtures, its journal in a cache folder of its own.
workspaceSuite("the memory engine", async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), "readout-ws-"));
  const data = path.join(dir, "data");
  await cp(fixtureData, data, { recursive: true });
  await mkdir(path.join(data, "suite"));
  const archive = MemoryArchive.fromFolder({
    dataDir: data,
    cacheDir: path.join(dir, "cache"),
    workspace: "write",
  });
  await archive.open();
  return {
    app: createApp(archive, { env: "test" }),
    async putStatement(record) {
      await writeFile(
        path.join(data, "suite", `${record.id}.jsonl`),
        JSON.stringify(record) + "\n",
      );
      await archive.refresh();
    },
    fileStatement: "seed-format-ceasefire",
    async close() {
      await archive.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
