/**
 * A cache folder on a small file system that fills up: a tmpfs of 256 KiB mounted for this
 * file. Mounting needs root (CI runs as root); elsewhere the file is skipped, saying why.
 */
import { execFileSync } from "node:child_process";
import {
  mkdtemp,
  open,
  readdir,
  readFile,
  rm,
  truncate,
  utimes,
  writeFile,
} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { afterAll, describe, expect, it } from "vitest";
import { MemoryArchive, type Archive } from "../src/archive.ts";
import { parseQuery } from "../src/query/params.ts";
import { parseHistory } from "../src/versions/history.ts";
import { createApp } from "../src/web/app.ts";

const mountPoint = await mkdtemp(path.join(os.tmpdir(), "readout-full-"));
const skipped = mount(mountPoint);
if (skipped) console.warn(`tests/disk-full: skipped: ${skipped}`);

function mount(dir: string): string | undefined {
  if (process.getuid?.() !== 0)
    return "mounting a small tmpfs needs root (CI runs as root)";
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", dir], {
      stdio: "pipe",
    });
    return undefined;
  } catch (err) {
    return `could not mount a tmpfs: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`;
  }
}

afterAll(async () => {
  // Lazily: a corpus read from a snapshot keeps the file open for as long as it lives.
  if (!skipped) execFileSync("umount", ["-l", mountPoint]);
  await rm(mountPoint, { recursive: true, force: true });
});

/** Fills the file system with one file until it is full, then frees `room` bytes of it. */
async function fill(dir: string, room = 0): Promise<string> {
  const filler = path.join(dir, "filler");
  const handle = await open(filler, "w");
  const chunk = Buffer.alloc(4096, 1);
  let size = 0;
  try {
    for (;;) {
      const { bytesWritten } = await handle.write(chunk, 0, chunk.length);
      size += bytesWritten;
      if (bytesWritten < chunk.length) break;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOSPC") throw err;
  } finally {
    await handle.close();
  }
  if (room) await truncate(filler, Math.max(0, size - room));
  return filler;
}

describe.skipIf(skipped !== undefined)(
  "a cache folder on a disk that fills up",
  () => {
    it("keeps the saved index and every earlier text, says so, and saves once there is room", async () => {
      const data = await mkdtemp(path.join(os.tmpdir(), "readout-full-data-"));
      const cache = path.join(mountPoint, "cache");
      const file = path.join(data, "readout.txt");
      const write = async (body: string, day: string) => {
        await writeFile(file, `Readout\n\n${body}`);
        const when = new Date(`${day}T12:00:00Z`);
        await utimes(file, when, when);
      };
      const lines: string[] = [];
      const start = async () => {
        const archive = MemoryArchive.fromFolder({
          dataDir: data,
          cacheDir: cache,
          history: true,
          retrySeconds: 0.1,
          log: (line) => lines.push(line),
        });
        await archive.open();
        return archive;
      };
      const until = async (check: () => boolean) => {
        for (let i = 0; i < 200 && !check(); i++)
          await new Promise((r) => setTimeout(r, 50));
        return check();
      };
      const cacheFiles = async () =>
        (await readdir(cache)).filter((f) => f !== "filler").sort();
      const keptTexts = async () => {
        const { versions, problems } = parseHistory(
          await readFile(path.join(cache, "versions.jsonl"), "utf8").catch(
            () => "",
          ),
        );
        expect(problems).toEqual([]);
        return (versions.get("readout") ?? []).map((v) => v.text);
      };
      const found = async (archive: Archive, q: string) =>
        (await archive.search(parseQuery({ q }))).total;

      try {
        await write("The first text mentions alpaca.", "2024-05-01");
        await (await start()).close();
        const saved = await cacheFiles();
        const manifest = await readFile(path.join(cache, "manifest.json"));

        // No room at all: the earlier text cannot be kept, so the index is not saved either.
        await write("The second text mentions bison.", "2024-05-02");
        let filler = await fill(mountPoint);
        const first = await start();
        expect(await found(first, "bison")).toBe(1);
        expect(
          await until(() => (first.state().warnings ?? []).length > 0),
        ).toBe(true);
        const app = createApp(first, { env: "test" });
        const health = await request(app).get("/-/health").expect(200);
        expect(health.body.warnings).toEqual([
          expect.stringMatching(
            /^Could not keep earlier texts in .*versions\.jsonl: the disk is full \(ENOSPC\)\. 1 change waiting/,
          ),
        ]);
        const about = await request(app).get("/about").expect(200);
        expect(about.text).toContain("Not saved");
        expect(about.text).toContain("the disk is full (ENOSPC)");
        expect(
          lines.filter((l) => l.startsWith("Could not keep earlier texts")),
        ).toHaveLength(1);
        // The saved index is the one from before, whole, and nothing half-written is left.
        expect(await readFile(path.join(cache, "manifest.json"))).toEqual(
          manifest,
        );
        expect(
          (await cacheFiles()).filter((f) => f !== "versions.jsonl"),
        ).toEqual(saved);
        expect(await keptTexts()).toEqual([]);

        // Room again: the texts are kept, then the index is saved.
        await rm(filler);
        expect(await until(() => first.state().warnings === undefined)).toBe(
          true,
        );
        await first.close();
        expect(await keptTexts()).toEqual([
          "The first text mentions alpaca.",
          "The second text mentions bison.",
        ]);
        expect(lines).toContain("Earlier texts are kept again.");

        // Room for the earlier text, not for the index: the index saved before stays.
        const before = await readFile(path.join(cache, "manifest.json"));
        const files = await cacheFiles();
        await write("The third text mentions camel.", "2024-05-03");
        filler = await fill(mountPoint, 4096);
        const second = await start();
        expect(
          await until(() => (second.state().warnings ?? []).length > 0),
        ).toBe(true);
        expect(second.state().warnings).toEqual([
          expect.stringMatching(
            /^Could not save the index to .*: the disk is full \(ENOSPC\)\. The index saved before is kept/,
          ),
        ]);
        expect(await readFile(path.join(cache, "manifest.json"))).toEqual(
          before,
        );
        expect(await cacheFiles()).toEqual(files);
        expect(await keptTexts()).toHaveLength(3);
        await rm(filler);
        expect(await until(() => second.state().warnings === undefined)).toBe(
          true,
        );
        await second.close();

        // A start from what was saved: every text, none twice.
        const third = await start();
        expect((await third.about()).origin).toBe("from the saved index");
        expect(await found(third, "camel")).toBe(1);
        await third.close();
        expect(await keptTexts()).toEqual([
          "The first text mentions alpaca.",
          "The second text mentions bison.",
          "The third text mentions camel.",
        ]);
      } finally {
        await rm(data, { recursive: true, force: true });
        await rm(cache, { recursive: true, force: true });
      }
    }, 60_000);
  },
);
