import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { JournalStore } from "../../src/engines/memory/workspace/journal-store.ts";

const writer = path.join(import.meta.dirname, "journal-writer.ts");

/** Starts the writer, kills it with SIGKILL once it has acknowledged `writes`, returns the last acknowledged. */
function writeUntilKilled(
  dir: string,
  writes: number,
  mode = "",
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", writer, dir, mode],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let acked = -1;
    let buffer = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk;
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const line of lines) acked = Number(line);
      if (acked + 1 >= writes && child.exitCode === null) child.kill("SIGKILL");
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    child.on("error", reject);
    child.on("exit", (_code, signal) =>
      signal === "SIGKILL"
        ? resolve(acked)
        : reject(new Error(`the writer stopped by itself: ${stderr}`)),
    );
  });
}

/** Every write before the last acknowledged is there, whole; nothing after it is broken. */
async function expectIntact(dir: string, acked: number): Promise<number> {
  const store = await JournalStore.open(dir);
  const items = await store.items("c");
  await store.close();
  expect(items.length).toBeGreaterThan(acked);
  items.forEach((item, n) => {
    expect(item.id).toBe(`s${n}`);
    expect(item.note).toBe(`note ${n} `.repeat(n % 7 === 0 ? 5_000 : 3));
    expect(item.tags).toEqual([`t${n}`]);
  });
  // Only a line the kill cut may be reported; the journal is whole again after opening.
  expect(
    store.problems().every((p) => p.message.includes("last line cut short")),
  ).toBe(true);
  expect((await readdir(dir)).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  return items.length;
}

describe("the workspace journal, killed with SIGKILL while writing", () => {
  it("keeps every acknowledged write, whole, after a kill in a write and one in a compaction", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "readout-crash-"));
    try {
      // Appending; then, from what the first run left, compacting every few lines.
      const first = await writeUntilKilled(dir, 40);
      const kept = await expectIntact(dir, first);
      const second = await writeUntilKilled(dir, kept + 40, "compact");
      await expectIntact(dir, second);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
