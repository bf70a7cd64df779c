import {
  appendFile,
  mkdtemp,
  readdir,
  readFile,
  rm,
  writeFile,
} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  formatEntry,
  parseJournal,
} from "../../src/engines/memory/workspace/journal.ts";
import {
  JOURNAL_FILE,
  JournalStore,
} from "../../src/engines/memory/workspace/journal-store.ts";
import type { ItemRecord } from "../../src/workspace/model.ts";

const collection = (slug: string) => ({
  slug,
  name: slug,
  owner: "local",
  shared: false,
  createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-01T00:00:00.000Z",
});
const item = (id: string, note = ""): ItemRecord => ({
  id,
  note,
  tags: [],
  addedAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-01T00:00:00.000Z",
  kept: { title: id, body: "b", origin: { file: "f" }, textSha256: "0" },
});

describe("parseJournal", () => {
  it("replays whole lines, and reports a last line without its end as cut and leaves it out", () => {
    const whole = formatEntry({ op: "collection", value: collection("a") });
    const cut = formatEntry({ op: "item", slug: "a", value: item("x") }).slice(
      0,
      30,
    );
    const { entries, problems, whole: bytes } = parseJournal(whole + cut);
    expect(entries).toHaveLength(1);
    expect(problems).toEqual([
      {
        line: 2,
        message: "last line cut short (a write the program did not finish)",
      },
    ]);
    expect(bytes).toBe(Buffer.byteLength(whole));
  });

  it("names a line that is not JSON, or not a record, and keeps the lines around it", () => {
    const text =
      formatEntry({ op: "collection", value: collection("a") }) +
      "{oops\n" +
      '{"op":"item","slug":"a"}\n' +
      formatEntry({ op: "item", slug: "a", value: item("x") });
    const { entries, problems } = parseJournal(text);
    expect(entries.map((e) => e.op)).toEqual(["collection", "item"]);
    expect(problems).toEqual([
      { line: 2, message: "not valid JSON" },
      {
        line: 3,
        message: "a statement record needs slug, id, note, tags and kept",
      },
    ]);
  });
});

describe("JournalStore", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "readout-journal-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps what was written across a reopening, in order, removals and all", async () => {
    const store = await JournalStore.open(dir);
    await store.putCollection(collection("a"));
    await store.putCollection(collection("b"));
    for (const id of ["x", "y", "z"]) await store.putItem("a", item(id));
    await store.putItem("a", item("x", "edited"));
    expect(await store.removeItem("a", "y")).toBe(true);
    expect(await store.removeItem("a", "y")).toBe(false);
    await store.deleteCollection("b");
    await store.close();
    const again = await JournalStore.open(dir);
    expect((await again.collections()).map((c) => [c.slug, c.count])).toEqual([
      ["a", 2],
    ]);
    expect((await again.items("a")).map((i) => [i.id, i.note])).toEqual([
      ["x", "edited"],
      ["z", ""],
    ]);
    expect(await again.items("a", 1, 1)).toMatchObject([{ id: "z" }]);
    expect(again.problems()).toEqual([]);
  });

  it("cuts off a line a crash left half written, says so, and appends after the last whole one", async () => {
    const store = await JournalStore.open(dir);
    await store.putCollection(collection("a"));
    await store.close();
    const file = path.join(dir, JOURNAL_FILE);
    await appendFile(file, '{"op":"item","slug":"a","val');
    const reopened = await JournalStore.open(dir);
    expect(reopened.problems()).toMatchObject([
      {
        line: 2,
        message:
          "workspace: last line cut short (a write the program did not finish), left out",
        kept: false,
      },
    ]);
    await reopened.putItem("a", item("x"));
    await reopened.close();
    const text = await readFile(file, "utf8");
    expect(
      text
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l).op),
    ).toEqual(["collection", "item"]);
    expect((await JournalStore.open(dir)).problems()).toEqual([]);
  });

  it("compacts a journal of superseded lines by writing it anew, and keeps a damaged one aside", async () => {
    const store = await JournalStore.open(dir, { compactSlack: 5 });
    await store.putCollection(collection("a"));
    for (let i = 0; i < 20; i++)
      await store.putItem("a", item("x", `note ${i}`));
    await store.close();
    const file = path.join(dir, JOURNAL_FILE);
    const lines = (await readFile(file, "utf8")).trim().split("\n");
    // 21 writes; compacted whenever lines passed 2 × 2 records + 5.
    expect(lines.length).toBeLessThanOrEqual(9);
    expect(JSON.parse(lines.at(-1)!).value.note).toBe("note 19");
    await appendFile(file, "not json\n");
    const damaged = await JournalStore.open(dir);
    expect(damaged.problems().map((p) => p.message)).toEqual([
      "workspace: not valid JSON, left out",
      expect.stringMatching(
        /^workspace: the journal as it was is kept in .*workspace\.jsonl\.damaged-/,
      ),
    ]);
    expect((await damaged.items("a"))[0]!.note).toBe("note 19");
    const names = await readdir(dir);
    expect(names.filter((n) => n.includes(".damaged-"))).toHaveLength(1);
    expect(names.filter((n) => n.endsWith(".tmp"))).toEqual([]);
    expect(await readFile(file, "utf8")).not.toContain("not json");
  });

  it("opened read-only, reads and never writes, not even to cut a line off", async () => {
    const file = path.join(dir, JOURNAL_FILE);
    const text =
      formatEntry({ op: "collection", value: collection("a") }) + '{"op":';
    await writeFile(file, text);
    const store = await JournalStore.open(dir, { readOnly: true });
    expect(await store.collections()).toHaveLength(1);
    await expect(store.putCollection(collection("b"))).rejects.toThrow(
      "was opened read-only",
    );
    expect(await readFile(file, "utf8")).toBe(text);
  });
});
