import { mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  addStatements,
  removeStatements,
} from "../src/engines/memory/corpus.ts";
import { parseQuery } from "../src/query/params.ts";
import { searchCorpus as search } from "./helpers.ts";
import {
  checksumAside,
  checksumLimits,
} from "../src/engines/memory/snapshot/checksum.ts";
import { readSections } from "../src/engines/memory/snapshot/sections.ts";
import {
  readSnapshot,
  writeSnapshot,
} from "../src/engines/memory/snapshot/snapshot.ts";
import { fixtureCorpus } from "./helpers.ts";

const QUERIES = [
  "the",
  "zeugma",
  '"joint statement"',
  "sanction*",
  "ceasfire~",
  "agdam -road",
  "date:2022 harbour",
  'source:"port authority"',
];

async function results(corpus: Awaited<ReturnType<typeof fixtureCorpus>>) {
  return QUERIES.map((q) => {
    const page = search(
      corpus,
      parseQuery({ q, size: "100" }, corpus.fields.keys()),
    );
    return {
      q,
      total: page.total,
      hits: page.hits.map((h) => [h.id, h.score, h.snippet]),
      facets: page.facets,
    };
  });
}

describe("snapshot", () => {
  it("gives the same results after a round trip", async () => {
    const corpus = await fixtureCorpus();
    const file = path.join(
      await mkdtemp(path.join(os.tmpdir(), "readout-snap-")),
      "snapshot.bin",
    );
    const written = await writeSnapshot(corpus, file);
    expect(written.bytes).toBe((await stat(file)).size);
    const restored = await readSnapshot(file, written);
    expect(await results(restored)).toEqual(await results(corpus));
    expect([...restored.byId.values()]).toEqual([...corpus.byId.values()]);
    expect(restored.overview).toEqual(corpus.overview);
  });

  it("keeps the holes of removed statements, and takes new ones after", async () => {
    const corpus = await fixtureCorpus();
    const file = path.join(
      await mkdtemp(path.join(os.tmpdir(), "readout-snap-")),
      "snapshot.bin",
    );
    const copy = await readSnapshot(file, await writeSnapshot(corpus, file));
    removeStatements(copy, ["press-release"]);
    const again = await readSnapshot(file, await writeSnapshot(copy, file));
    expect(again.byId.has("press-release")).toBe(false);
    expect(
      search(again, parseQuery({ q: "zeugma" })).hits.map((h) => h.id),
    ).toEqual(["rec-zeugma-2022"]);
    addStatements(again, [
      { ...corpus.byId.get("press-release")!, id: "press-release-2" },
    ]);
    expect(
      search(again, parseQuery({ q: "zeugma" }))
        .hits.map((h) => h.id)
        .sort(),
    ).toEqual(["press-release-2", "rec-zeugma-2022"]);
  });

  it("refuses a damaged or truncated file", async () => {
    const corpus = await fixtureCorpus();
    const file = path.join(
      await mkdtemp(path.join(os.tmpdir(), "readout-snap-")),
      "snapshot.bin",
    );
    const written = await writeSnapshot(corpus, file);
    const bytes = await readFile(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    await writeFile(file, bytes);
    await expect(readSnapshot(file, written)).rejects.toThrow(
      /fails its checksum|runs past|not/,
    );
    await writeFile(file, bytes.subarray(0, bytes.length - 100));
    await expect(readSnapshot(file, written)).rejects.toThrow(
      /bytes, the manifest says/,
    );
  });

  it("works out a large file's checksum in a worker thread, to the same sum and the same refusals", async () => {
    const corpus = await fixtureCorpus();
    const file = path.join(
      await mkdtemp(path.join(os.tmpdir(), "readout-snap-")),
      "snapshot.bin",
    );
    const written = await writeSnapshot(corpus, file);
    expect(await checksumAside(file)).toBe(written.crc32);
    expect((await readSections(file)).crc32).toBe(written.crc32);
    const was = checksumLimits.asideBytes;
    checksumLimits.asideBytes = 0;
    try {
      const restored = await readSnapshot(file, written);
      expect(await results(restored)).toEqual(await results(corpus));
      // One byte of a statement's body: a section the reading thread no longer reads.
      const bytes = await readFile(file);
      const body = bytes.indexOf(
        Buffer.from(corpus.byId.get("press-release")!.body.slice(0, 40)),
      );
      expect(body).toBeGreaterThan(0);
      bytes[body]! ^= 0x20;
      await writeFile(file, bytes);
      await expect(readSnapshot(file, written)).rejects.toThrow(
        /fails its checksum/,
      );
      // A damaged length: the reading thread trips first, and is told it is damaged.
      bytes[body]! ^= 0x20;
      bytes[8]! ^= 0xff;
      await writeFile(file, bytes);
      await expect(readSnapshot(file, written)).rejects.toThrow(
        /fails its checksum|runs past/,
      );
    } finally {
      checksumLimits.asideBytes = was;
    }
  });
});

describe("snapshot bodies", () => {
  it("are read from disk, still after a newer save replaced the file", async () => {
    const { rename } = await import("node:fs/promises");
    const corpus = await fixtureCorpus();
    const dir = await mkdtemp(path.join(os.tmpdir(), "readout-snap-"));
    const file = path.join(dir, "snapshot.bin");
    const restored = await readSnapshot(
      file,
      await writeSnapshot(corpus, file),
    );
    await writeSnapshot(restored, path.join(dir, "next.bin"));
    await rename(path.join(dir, "next.bin"), file);
    expect(restored.byId.get("press-release")?.body).toBe(
      corpus.byId.get("press-release")?.body,
    );
    expect(JSON.parse(JSON.stringify(restored.byId.get("crlf-bom")))).toEqual(
      JSON.parse(JSON.stringify(corpus.byId.get("crlf-bom"))),
    );
  });
});

describe("snapshot of version groups", () => {
  it("keeps the groups of near-identical statements", async () => {
    const { buildCorpus } = await import("../src/engines/memory/corpus.ts");
    const body =
      "The foreign ministers met in Vienna and agreed to resume the talks on the water treaty next month, with experts from both sides.";
    const copy = (id: string, date: string) => ({
      id,
      title: "Ministers meet in Vienna",
      body,
      date,
      meta: {},
      origin: { file: `${id}.txt` },
    });
    const corpus = buildCorpus([
      copy("first", "2023-05-01"),
      copy("again", "2023-05-02"),
      { ...copy("alone", "2023-06-01"), body: "A different text entirely." },
    ]);
    const file = path.join(
      await mkdtemp(path.join(os.tmpdir(), "readout-snap-")),
      "snapshot.bin",
    );
    const restored = await readSnapshot(
      file,
      await writeSnapshot(corpus, file),
    );
    for (const id of ["first", "again", "alone"])
      expect([id, restored.versions.groupOf(id)]).toEqual([
        id,
        corpus.versions.groupOf(id),
      ]);
    expect(restored.versions.groupOf("again")?.id).toBe("first");
  });
});
