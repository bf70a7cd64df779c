import { EventEmitter } from "node:events";
import type { FSWatcher } from "node:fs";
import { mkdtemp, rename, stat, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { followFolder } from "../src/ingest/follow.ts";
import {
  compareStamps,
  SETTLE_MS,
  stampFolder,
  stampOf,
} from "../src/ingest/stamps.ts";

const folder = () => mkdtemp(path.join(os.tmpdir(), "readout-follow-"));

describe("file stamps", () => {
  it("change when a file is rewritten at the same size with its old modification time (cp -p, rsync -t)", async () => {
    const dir = await folder();
    const file = path.join(dir, "a.txt");
    await writeFile(file, "Title\n\nFirst text.");
    await utimes(file, 1_700_000_000, 1_700_000_000);
    const before = await stampFolder(dir);
    await writeFile(file, "Title\n\nOther text.");
    await utimes(file, 1_700_000_000, 1_700_000_000);
    const after = await stampFolder(dir);
    expect(after[0]!.mtimeMs).toBe(before[0]!.mtimeMs);
    expect(after[0]!.size).toBe(before[0]!.size);
    expect(compareStamps(before, after).changed).toEqual(["a.txt"]);
  });

  it("change when a file is replaced by renaming another over it", async () => {
    const dir = await folder();
    const file = path.join(dir, "a.txt");
    await writeFile(file, "Title\n\nFirst text.");
    const before = await stampFolder(dir);
    await writeFile(path.join(dir, ".a.txt.tmp"), "Title\n\nOther text.");
    await rename(path.join(dir, ".a.txt.tmp"), file);
    expect(compareStamps(before, await stampFolder(dir)).changed).toEqual([
      "a.txt",
    ]);
  });

  it("settle: a file changed within SETTLE_MS is read again by a live look even when its stamp is the same", async () => {
    const dir = await folder();
    await writeFile(path.join(dir, "a.txt"), "Title\n\nText.");
    const info = await stat(path.join(dir, "a.txt"));
    const changed = Math.max(info.mtimeMs, info.ctimeMs);
    const fresh = stampOf("a.txt", info, changed + 1);
    const settled = stampOf("a.txt", info, changed + SETTLE_MS);
    expect(fresh.settling).toBe(true);
    expect(settled.settling).toBeUndefined();
    expect(compareStamps([fresh], [fresh], true).settling).toEqual(["a.txt"]);
    expect(compareStamps([fresh], [settled], true).settling).toEqual([]);
    // At start-up, a stamp that did not change is trusted.
    expect(compareStamps([fresh], [fresh])).toEqual({
      changed: [],
      removed: [],
      settling: [],
    });
  });
});

describe("the folder follower", () => {
  it("looks at the folder on a timer once watching fails, and says so", async () => {
    const dir = await folder();
    const lines: string[] = [];
    const watchers: EventEmitter[] = [];
    // A watch that fails as one does past the system's limit on watches.
    const watch = (() => {
      const watcher = Object.assign(new EventEmitter(), { close() {} });
      watchers.push(watcher);
      return watcher as unknown as FSWatcher;
    }) as unknown as typeof import("node:fs").watch;
    let looks = 0;
    const follower = followFolder(dir, {
      look: async () => {
        looks++;
        return false;
      },
      log: (line) => lines.push(line),
      watch,
      pollSeconds: 0.1,
    });
    try {
      for (let i = 0; i < 100 && watchers.length === 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      const error = Object.assign(new Error("watch failed"), {
        code: "ENOSPC",
      });
      watchers[0]!.emit("error", error);
      expect(lines).toEqual([
        `Live updates: watching ${dir} failed (ENOSPC); checking it every 0.1 s instead.`,
      ]);
      const before = looks;
      for (let i = 0; i < 100 && looks < before + 2; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(looks).toBeGreaterThanOrEqual(before + 2);
    } finally {
      await follower.close();
    }
  }, 30_000);
});
