import { execFileSync } from "node:child_process";
import type { Server } from "node:http";
import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryArchive, type Archive } from "../../src/archive.ts";
import { createApp } from "../../src/web/app.ts";

// Each way a file is saved, as editors and tools do it, against a running server that
// follows its folder and keeps earlier texts (`--history`). Node's recursive watch heard
// nothing more of a file once it had been replaced by a rename.
const saves: Record<string, (file: string, text: string) => Promise<void>> = {
  "in place": (file, text) => writeFile(file, text),
  // sed -i, and most editors: a new file in the folder, renamed over the old one.
  "temporary file renamed over": async (file, text) => {
    const temporary = path.join(path.dirname(file), "sedX7f2Qa");
    await writeFile(temporary, text);
    await rename(temporary, file);
  },
  "delete and create": async (file, text) => {
    await rm(file);
    await writeFile(file, text);
  },
  "cp over": async (file, text) => {
    const source = path.join(outside, "copy.txt");
    await writeFile(source, text);
    execFileSync("cp", [source, file]);
  },
  // rsync: `.name.XXXXXX` beside the file, then renamed over it.
  "rsync's hidden temporary file": async (file, text) => {
    const temporary = path.join(
      path.dirname(file),
      `.${path.basename(file)}.Qz81bK`,
    );
    await writeFile(temporary, text);
    await rename(temporary, file);
  },
};

let data: string;
let outside: string;
let archive: Archive;
let server: Server;
let origin: string;

beforeAll(async () => {
  data = await mkdtemp(path.join(os.tmpdir(), "readout-saves-"));
  outside = await mkdtemp(path.join(os.tmpdir(), "readout-saves-src-"));
  await writeFile(path.join(data, "report.txt"), text(0));
  archive = MemoryArchive.fromFolder({
    dataDir: data,
    cacheDir: path.join(data, ".readout-cache"),
    history: true,
  });
  await archive.open();
  archive.follow();
  server = createApp(archive, { env: "test" }).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await archive.close();
});

// Words the tokenizer keeps whole and no other text holds.
const WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];
const word = (n: number) => `${WORDS[n % 6]}${WORDS[Math.floor(n / 6) % 6]}`;
function text(n: number): string {
  return `Harbour report ${n}\n\nThis text of the report mentions ${word(n)} and nothing else new.`;
}

async function found(q: string): Promise<number> {
  const res = await fetch(`${origin}/search.json?q=${encodeURIComponent(q)}`);
  return ((await res.json()) as { total: number }).total;
}

/** Waits until the server finds `q` (the live-update promise is "about a second"). */
async function searchable(q: string): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if ((await found(q)) === 1) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe("a file saved while the server follows its folder", () => {
  let n = 0;
  for (const [name, save] of Object.entries(saves)) {
    it(`is searchable after it is saved by ${name}, and after the next save in place`, async () => {
      const file = path.join(data, "report.txt");
      await save(file, text(++n));
      expect([name, await searchable(word(n))]).toEqual([name, true]);
      expect(await found(word(n - 1))).toBe(0);
      await writeFile(file, text(++n));
      expect([name, "then", await searchable(word(n))]).toEqual([
        name,
        "then",
        true,
      ]);
    }, 30_000);
  }

  it("keeps every text it had (--history)", async () => {
    const res = await fetch(`${origin}/statements/report.json`);
    const { history } = (await res.json()) as {
      history: { title: string }[];
    };
    // The first text and the one after each save, oldest first.
    expect(history.map((h) => h.title)).toEqual(
      Array.from({ length: n + 1 }, (_, i) => `Harbour report ${i}`),
    );
  });
});
