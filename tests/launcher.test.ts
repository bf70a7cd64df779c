import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  MemoryOptionError,
  planHeap,
  sizeMb,
} from "../src/runtime/launcher.ts";
import { estimateNeed, judgeFit } from "../src/runtime/memory.ts";
import { fixtureData } from "./helpers.ts";

const GiB = 2 ** 30;
const root = path.resolve(import.meta.dirname, "..");

describe("planHeap", () => {
  it("gives the heap 75% of the memory by default, leaving the command line as it is", () => {
    expect(planHeap(["search", "x"], {}, 8 * GiB)).toEqual({
      mb: 6144,
      from: "75% of 8.0 GiB",
      args: ["search", "x"],
    });
  });

  it("takes --max-memory anywhere on the command line, and removes it", () => {
    expect(
      planHeap(["search", "--max-memory", "4g", "x"], {}, 8 * GiB),
    ).toEqual({ mb: 4096, from: "--max-memory", args: ["search", "x"] });
    expect(planHeap(["--max-memory=50%", "serve"], {}, 8 * GiB)).toEqual({
      mb: 4096,
      from: "--max-memory",
      args: ["serve"],
    });
  });

  it("prefers --max-memory to READOUT_MAX_MEMORY to NODE_OPTIONS", () => {
    const env = {
      READOUT_MAX_MEMORY: "2048",
      NODE_OPTIONS: "--max-old-space-size=3000",
    };
    expect(planHeap(["--max-memory", "1g"], env, 8 * GiB).mb).toBe(1024);
    expect(planHeap([], env, 8 * GiB)).toMatchObject({
      mb: 2048,
      from: "READOUT_MAX_MEMORY",
    });
    expect(
      planHeap([], { NODE_OPTIONS: "--max-old-space-size=3000" }, 8 * GiB),
    ).toEqual({ mb: undefined, from: "NODE_OPTIONS", args: [] });
  });

  it("leaves what follows -- alone", () => {
    expect(
      planHeap(["search", "--", "--max-memory", "1g"], {}, 4 * GiB).args,
    ).toEqual(["search", "--", "--max-memory", "1g"]);
  });

  it("refuses a size it cannot read, naming the option and the value", () => {
    expect(() => planHeap(["--max-memory"], {}, GiB)).toThrow(
      MemoryOptionError,
    );
    expect(() => sizeMb("1x", "--max-memory", GiB)).toThrow(
      'config: --max-memory must be a size of at least 256m, such as 8g, 6144m or 50%, got "1x"',
    );
    expect(() => sizeMb("100m", "READOUT_MAX_MEMORY", GiB)).toThrow(
      /READOUT_MAX_MEMORY .* got "100m"/,
    );
    expect(() => sizeMb("150%", "--max-memory", GiB)).toThrow(/got "150%"/);
    expect(sizeMb("1.5G", "--max-memory", GiB)).toBe(1536);
    expect(sizeMb("300", "--max-memory", GiB)).toBe(300);
  });
});

describe("estimateNeed", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "readout-memory-"));
    await mkdir(path.join(dir, "data", "sub"), { recursive: true });
    await writeFile(path.join(dir, "data", "a.txt"), "x".repeat(1000));
    await writeFile(path.join(dir, "data", "sub", "b.pdf"), "x".repeat(1000));
    await writeFile(path.join(dir, "data", "c.png"), "x".repeat(1000));
    await mkdir(path.join(dir, "data", ".readout-cache"));
    await writeFile(
      path.join(dir, "data", ".readout-cache", "i"),
      "x".repeat(5000),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("judges a build from the text in the data folder, hidden files and other formats left out", async () => {
    const need = await estimateNeed(path.join(dir, "data"), null);
    // 1,000 bytes of text, a tenth of a 1,000-byte PDF, nothing of the PNG or the hidden cache.
    expect(need).toEqual({
      bytes: 1100 * 4,
      basis: `about 2 KiB of text in ${path.join(dir, "data")}`,
      kind: "build",
    });
  });

  it("judges a load from the saved index when there is one", async () => {
    const cache = path.join(dir, "data", ".readout-cache");
    expect(await estimateNeed(path.join(dir, "data"), cache)).toEqual({
      bytes: 5000 * 1.5,
      basis: `the saved index in ${cache} (5 KiB)`,
      kind: "load",
    });
  });
});

describe("judgeFit", () => {
  const need = {
    bytes: 9.5 * GiB,
    basis: "about 1.2 GiB of text in /data",
    kind: "build" as const,
  };

  it("refuses an archive bigger than the heap limit, with the figures and what to do", () => {
    expect(judgeFit(need, 6 * GiB, 8 * GiB, 7 * GiB)).toEqual({
      error:
        "memory: building the index of this archive needs about 9.5 GiB of memory (judged from about 1.2 GiB of text in /data), but Readout may use 6.0 GiB (its heap limit; this computer has 8.0 GiB). Stopped before the computer runs short. Raise the limit with --max-memory (e.g. --max-memory 12g), read a smaller folder, or use a computer with more memory.",
    });
  });

  it("warns when the archive fits the limit but not the memory free now", () => {
    expect(judgeFit(need, 12 * GiB, 16 * GiB, 4 * GiB)).toEqual({
      warning:
        "memory: building the index of this archive needs about 9.5 GiB of memory (judged from about 1.2 GiB of text in /data) and 4.0 GiB is free now: the computer may swap and slow down until other programs free some.",
    });
    expect(judgeFit(need, 12 * GiB, 16 * GiB, 10 * GiB)).toBeUndefined();
  });
});

describe("bin/readout.js", () => {
  function run(args: string[]) {
    return new Promise<{ code: number | null; stderr: string; stdout: string }>(
      (resolve) => {
        const env = Object.fromEntries(
          Object.entries(process.env).filter(
            ([k]) => !k.startsWith("READOUT_") && k !== "NODE_OPTIONS",
          ),
        );
        const child = spawn(
          process.execPath,
          [path.join(root, "bin", "readout.js"), ...args],
          { cwd: os.tmpdir(), env: { ...env, READOUT_CACHE: "off" } },
        );
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      },
    );
  }

  it("refuses, before reading it, a folder too big for the heap limit --max-memory sets", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "readout-big-"));
    try {
      // 80 MiB of "text" that takes no disk: only sizes are looked at.
      await writeFile(path.join(dir, "huge.jsonl"), "");
      await truncate(path.join(dir, "huge.jsonl"), 80 * 2 ** 20);
      const { code, stderr } = await run([
        "search",
        "x",
        "--data",
        dir,
        "--max-memory",
        "256m",
      ]);
      expect(code).toBe(1);
      expect(stderr).toMatch(
        /^memory: building the index of this archive needs about 320 MiB of memory \(judged from about 80 MiB of text in .*\), but Readout may use \d{3} MiB \(its heap limit; /,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it("runs under the limit it is given, and refuses a limit it cannot read", async () => {
    const ok = await run([
      "search",
      "harbour",
      "--data",
      fixtureData,
      "--max-memory=300m",
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^2 statements match: harbour\n/);
    const bad = await run(["search", "x", "--max-memory", "lots"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'config: --max-memory must be a size of at least 256m, such as 8g, 6144m or 50%, got "lots"\n',
    );
  }, 30_000);
});
