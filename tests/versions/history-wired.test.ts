import {
  mkdtemp,
  readdir,
  readFile,
  rm,
  utimes,
  writeFile,
} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryArchive } from "../../src/archive.ts";
import { parseQuery } from "../../src/query/params.ts";
import { parseHistory } from "../../src/versions/history.ts";
import { createApp } from "../../src/web/app.ts";

const folders: string[] = [];
afterEach(async () => {
  for (const dir of folders.splice(0))
    await rm(dir, { recursive: true, force: true });
});

/** A folder with one statement, and a way to open it as a fresh server would. */
async function setUp() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "readout-history-"));
  folders.push(dir);
  const cacheDir = path.join(dir, ".readout-cache");
  const file = path.join(dir, "readout.txt");
  const write = async (text: string, day: string) => {
    await writeFile(file, text);
    const when = new Date(`${day}T12:00:00Z`);
    await utimes(file, when, when);
  };
  const open = async (history: boolean) => {
    const archive = MemoryArchive.fromFolder({
      dataDir: dir,
      cacheDir,
      ...(history ? { history: true } : {}),
    });
    await archive.open();
    return archive;
  };
  return { cacheDir, write, open };
}

describe("earlier texts of a changed file (--history)", () => {
  it("keeps the text a file had before it changed, and shows what changed", async () => {
    const { write, open } = await setUp();
    await write(
      "Readout\n\nThe ministry condemned the occupied territories.",
      "2024-05-01",
    );
    await (await open(true)).close();
    await write(
      "Readout\n\nThe ministry condemned the territories.",
      "2024-05-02",
    );
    const archive = await open(true);
    const view = await archive.statement("readout", parseQuery({}));
    expect(view?.history?.map((h) => h.seenAt.slice(0, 10))).toEqual([
      "2024-05-01",
      new Date().toISOString().slice(0, 10),
    ]);
    const app = createApp(archive, { env: "test" });
    const page = await request(app).get("/statements/readout").expect(200);
    expect(page.text).toContain("Earlier texts of this statement");
    expect(page.text).toContain('href="/statements/readout/changes/1"');
    const change = await request(app)
      .get("/statements/readout/changes/1")
      .expect(200);
    expect(change.text).toContain("<del>occupied </del>");
    const json = await request(app)
      .get("/statements/readout/changes/1.json")
      .expect(200);
    expect(json.body.body.removed).toBe(1);
    expect(json.body.body.added).toBe(0);
    await request(app).get("/statements/readout/changes/2").expect(404);
    await archive.close();
  });

  it("keeps the texts across restarts, and keeps nothing unless asked", async () => {
    const { cacheDir, write, open } = await setUp();
    await write("Readout\n\nFirst text.", "2024-05-01");
    await (await open(false)).close();
    await write("Readout\n\nSecond text.", "2024-05-02");
    await (await open(false)).close();
    await expect(
      readFile(path.join(cacheDir, "versions.jsonl"), "utf8"),
    ).rejects.toThrow(/ENOENT/);
    await write("Readout\n\nThird text.", "2024-05-03");
    await (await open(true)).close();
    const archive = await open(true);
    const view = await archive.statement("readout", parseQuery({}));
    expect(view?.history?.length).toBe(2);
    expect(
      (await readFile(path.join(cacheDir, "versions.jsonl"), "utf8"))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).text),
    ).toEqual(["Second text.", "Third text."]);
    await archive.close();
  });

  it("reads as it happened after a kill -9 between keeping a text and saving the index", async () => {
    const { cacheDir, write, open } = await setUp();
    await write("Readout\n\nFirst text.", "2024-05-01");
    await (await open(true)).close();
    // The saved index as it was before the change: what a kill -9 right after the history
    // was written, and before the index was saved again, leaves behind.
    const saved = new Map<string, Buffer>();
    for (const name of await readdir(cacheDir))
      if (name !== "versions.jsonl")
        saved.set(name, await readFile(path.join(cacheDir, name)));
    await write("Readout\n\nSecond text.", "2024-05-02");
    await (await open(true)).close();
    for (const name of await readdir(cacheDir))
      if (name !== "versions.jsonl") await rm(path.join(cacheDir, name));
    for (const [name, bytes] of saved)
      await writeFile(path.join(cacheDir, name), bytes);
    const texts = async () =>
      (await readFile(path.join(cacheDir, "versions.jsonl"), "utf8"))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).text);
    const restarted = await open(true);
    expect(restarted.overview().statements).toBe(1);
    await restarted.close();
    expect(await texts()).toEqual(["First text.", "Second text."]);
    // Changed again before the restart: the new text follows, with no "First text." again.
    for (const [name, bytes] of saved)
      await writeFile(path.join(cacheDir, name), bytes);
    await write("Readout\n\nThird text.", "2024-05-03");
    await (await open(true)).close();
    expect(await texts()).toEqual([
      "First text.",
      "Second text.",
      "Third text.",
    ]);
  });

  it("passes over a last line a kill -9 cut short, and keeps the change", async () => {
    const { cacheDir, write, open } = await setUp();
    await write("Readout\n\nFirst text.", "2024-05-01");
    await (await open(true)).close();
    const file = path.join(cacheDir, "versions.jsonl");
    await writeFile(file, '{"id":"readout","title":"Readout","te');
    await write("Readout\n\nSecond text.", "2024-05-02");
    const archive = await open(true);
    expect((await archive.about()).problems).toEqual([
      {
        file,
        line: 1,
        message: "history: last line cut short, left out",
        kept: false,
      },
    ]);
    await archive.close();
    const { versions } = parseHistory(await readFile(file, "utf8"));
    expect(versions.get("readout")!.map((v) => v.text)).toEqual([
      "First text.",
      "Second text.",
    ]);
  });
});
