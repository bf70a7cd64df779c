import {
  cp,
  mkdtemp,
  readFile,
  rm,
  symlink,
  writeFile,
} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import type { Archive } from "../src/archive.ts";
import { MemoryArchive } from "../src/archive.ts";
import { Library } from "../src/engines/memory/library.ts";
import { loadStatements } from "../src/ingest/load.ts";
import { parseQuery } from "../src/query/params.ts";
import { searchCorpus as search } from "./helpers.ts";
import { createApp } from "../src/web/app.ts";
import { fixtureData } from "./helpers.ts";

const folders: string[] = [];
afterEach(async () => {
  for (const dir of folders.splice(0))
    await rm(dir, { recursive: true, force: true });
});

/** A copy of the fixture data in a temporary folder, and a Library over it with a cache. */
async function setUp() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "readout-library-"));
  folders.push(dir);
  await cp(fixtureData, dir, { recursive: true });
  const lines: string[] = [];
  const open = async () => {
    const library = new Library({
      dataDir: dir,
      cacheDir: path.join(dir, ".readout-cache"),
      log: (l) => lines.push(l),
    });
    await library.open();
    await library.close();
    return library;
  };
  return { dir, lines, open };
}

/** The snapshot file the cache folder's manifest names. */
async function snapshotOf(cache: string): Promise<string> {
  const manifest = JSON.parse(
    await readFile(path.join(cache, "manifest.json"), "utf8"),
  ) as { snapshot: { file: string } };
  return path.join(cache, manifest.snapshot.file);
}

const ids = (library: Library, q: string) =>
  search(
    library.corpus!,
    parseQuery({ q, size: "100" }, library.corpus!.fields.keys()),
  )
    .hits.map((h) => h.id)
    .sort();

describe("Library and its saved index", () => {
  it("builds the index once, then starts from the saved one with the same results", async () => {
    const { open, lines } = await setUp();
    const first = await open();
    expect(first.origin).toBe("built from the data");
    expect(lines).toEqual([
      expect.stringMatching(
        /^Building the index: there is no saved index yet\.$/,
      ),
      expect.stringMatching(
        /^Saved the index to .*\.readout-cache in \d+\.\d s\.$/,
      ),
    ]);
    const second = await open();
    expect(second.origin).toBe("from the saved index");
    for (const q of [
      "the",
      "zeugma",
      '"joint statement"',
      "agdam",
      "harbour OR flood",
    ])
      expect(ids(second, q)).toEqual(ids(first, q));
    expect(second.problems).toEqual(first.problems);
    expect(second.files).toBe(8);
  });

  it("reads again only the files added, changed or removed since", async () => {
    const { dir, open } = await setUp();
    await open();
    await writeFile(
      path.join(dir, "new.txt"),
      "A new statement\n\nThe xylophone concert was cancelled.",
    );
    await writeFile(
      path.join(dir, "records-array.json"),
      '[{"id": "arr-harbour", "title": "Harbour works delayed", "body": "The dredging waits until March."}]',
    );
    await rm(path.join(dir, "press-release.md"));
    const library = await open();
    expect(library.origin).toBe(
      "from the saved index; 2 changed and 1 removed files since",
    );
    expect(ids(library, "xylophone")).toEqual(["new"]);
    expect(ids(library, "delayed")).toEqual(["arr-harbour"]);
    expect(ids(library, "flood")).toEqual([]);
    expect(ids(library, "zeugma")).toEqual(["rec-zeugma-2022"]);
    expect(library.corpus!.byId.size).toBe(10);
  });

  it("rebuilds from the data when the saved index is damaged, and says why", async () => {
    const { dir, open, lines } = await setUp();
    await open();
    const file = await snapshotOf(path.join(dir, ".readout-cache"));
    const bytes = await readFile(file);
    bytes[bytes.length >> 1]! ^= 0x55;
    await writeFile(file, bytes);
    lines.length = 0;
    const library = await open();
    expect(library.origin).toBe("built from the data");
    expect(lines[0]).toMatch(
      /^Building the index: the saved index is damaged \(snapshot: .*\)\.$/,
    );
    expect(ids(library, "zeugma")).toEqual([
      "press-release",
      "rec-zeugma-2022",
    ]);
  });

  it("rebuilds when the saved index is truncated, foreign or not a manifest at all", async () => {
    const { dir, open, lines } = await setUp();
    await open();
    const cache = path.join(dir, ".readout-cache");
    const file = await snapshotOf(cache);
    const snapshot = await readFile(file);
    await writeFile(file, snapshot.subarray(0, snapshot.length - 10));
    lines.length = 0;
    await open();
    expect(lines[0]).toMatch(
      /the saved index is damaged \(snapshot: .* bytes, the manifest says \d+\)/,
    );

    const manifest = JSON.parse(
      await readFile(path.join(cache, "manifest.json"), "utf8"),
    );
    await writeFile(
      path.join(cache, "manifest.json"),
      JSON.stringify({ ...manifest, readout: "0.0.1" }),
    );
    lines.length = 0;
    await open();
    expect(lines[0]).toMatch(/it was saved by Readout 0\.0\.1, this is /);

    await writeFile(path.join(cache, "manifest.json"), "{ not json");
    lines.length = 0;
    const library = await open();
    expect(lines[0]).toMatch(/its manifest cannot be read/);
    expect(ids(library, "ceasefire")).toEqual(["seed-format-ceasefire"]);
  });

  it("saves again after a warm start that read changed files", async () => {
    const { dir, open, lines } = await setUp();
    await open();
    await writeFile(
      path.join(dir, "new.txt"),
      "A new statement\n\nThe marimba concert was cancelled.",
    );
    expect((await open()).origin).toBe(
      "from the saved index; 1 changed and 0 removed files since",
    );
    lines.length = 0;
    const third = await open();
    expect(third.origin).toBe("from the saved index");
    expect(ids(third, "marimba")).toEqual(["new"]);
    expect(lines).toEqual([]);
  });

  it("rebuilds when the manifest's lists hold something other than stamps and problems", async () => {
    const { dir, open, lines } = await setUp();
    await open();
    const cache = path.join(dir, ".readout-cache");
    const manifest = JSON.parse(
      await readFile(path.join(cache, "manifest.json"), "utf8"),
    );
    for (const broken of [
      { stamps: [null] },
      { stamps: [{ file: 3 }] },
      { problems: [null] },
      { problems: [{ file: "x", message: 1, kept: false }] },
      { snapshot: null },
    ]) {
      await writeFile(
        path.join(cache, "manifest.json"),
        JSON.stringify({ ...manifest, ...broken }),
      );
      lines.length = 0;
      const library = await open();
      expect([broken, lines[0]]).toEqual([
        broken,
        "Building the index: its manifest is not one Readout wrote.",
      ]);
      expect(ids(library, "ceasefire")).toEqual(["seed-format-ceasefire"]);
    }
  });

  it("leaves another live process's temporary files alone, and removes a dead one's", async () => {
    const { dir, open } = await setUp();
    await open();
    const cache = path.join(dir, ".readout-cache");
    // This test's own process stands for another server saving into the same folder.
    const live = path.join(cache, `snapshot.bin.${process.ppid}.tmp`);
    const dead = path.join(cache, "snapshot.bin.999999999.tmp");
    await writeFile(live, "being written");
    await writeFile(dead, "left by a crash");
    await writeFile(path.join(dir, "more.txt"), "More\n\nA change to save.");
    await open();
    expect(await readFile(live, "utf8")).toBe("being written");
    await expect(readFile(dead)).rejects.toThrow(/ENOENT/);
  });

  it("never saves or loads an index with the cache off", async () => {
    const { dir } = await setUp();
    const library = new Library({ dataDir: dir, cacheDir: null });
    await library.open();
    await library.close();
    await expect(
      readFile(path.join(dir, ".readout-cache", "manifest.json")),
    ).rejects.toThrow(/ENOENT/);
  });
});

/** Polls `check` for up to 10 s: live updates land on the follower's own time. */
const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++)
    await new Promise((r) => setTimeout(r, 100));
  return check();
};

describe("live updates", () => {
  it("makes added, changed and removed files searchable or gone without a restart", async () => {
    const { dir } = await setUp();
    const library = new Library({ dataDir: dir, cacheDir: null });
    await library.open();
    library.watch();
    try {
      await writeFile(
        path.join(dir, "live.txt"),
        "Live statement\n\nAbout the quokka census.",
      );
      expect(await waitFor(() => ids(library, "quokka").length === 1)).toBe(
        true,
      );
      await writeFile(
        path.join(dir, "live.txt"),
        "Live statement\n\nAbout the wombat census.",
      );
      expect(
        await waitFor(
          () =>
            ids(library, "wombat").length === 1 &&
            ids(library, "quokka").length === 0,
        ),
      ).toBe(true);
      expect(ids(library, "wombat")).toEqual(["live"]);
      await rm(path.join(dir, "live.txt"));
      expect(await waitFor(() => ids(library, "wombat").length === 0)).toBe(
        true,
      );
      expect(library.corpus!.byId.has("live")).toBe(false);
    } finally {
      await library.close();
    }
  }, 30_000);
});

describe("a slow file while following", () => {
  it("holds up no other file: one saved meanwhile lands first, the slow one when read", async () => {
    const { dir } = await setUp();
    // The reader of slow.txt waits until released, as a long scan read by OCR does.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const library = new Library({
      dataDir: dir,
      cacheDir: null,
      load: async (folder, options) => {
        const result = await loadStatements(folder, options);
        if (result.statements.some((s) => s.origin.file === "slow.txt"))
          await released;
        return result;
      },
    });
    await library.open();
    library.watch();
    try {
      await writeFile(
        path.join(dir, "slow.txt"),
        "Slow statement\n\nAbout the numbat census.",
      );
      // Its look has begun reading it before the next file is saved.
      await new Promise((r) => setTimeout(r, 2_500));
      await writeFile(
        path.join(dir, "quick.txt"),
        "Quick statement\n\nAbout the bilby census.",
      );
      expect(await waitFor(() => ids(library, "bilby").length === 1)).toBe(
        true,
      );
      expect(ids(library, "numbat")).toEqual([]);
      release();
      expect(await waitFor(() => ids(library, "numbat").length === 1)).toBe(
        true,
      );
      expect(ids(library, "bilby")).toEqual(["quick"]);
    } finally {
      release();
      await library.close();
    }
  }, 30_000);
});

describe("a folder with a symlink loop", () => {
  it("keeps serving and following when a symlink loop appears, and reports the loop", async () => {
    const { dir } = await setUp();
    const lines: string[] = [];
    const library = new Library({
      dataDir: dir,
      cacheDir: null,
      log: (l) => lines.push(l),
    });
    await library.open();
    library.watch();
    try {
      // Node's recursive watch failed with ELOOP here; the folder follower walks no link it
      // cannot read.
      await symlink("loop.md", path.join(dir, "loop.md"));
      await writeFile(
        path.join(dir, "after.txt"),
        "After the loop\n\nAbout the numbat census.",
      );
      for (let i = 0; i < 100 && ids(library, "numbat").length === 0; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(ids(library, "numbat")).toEqual(["after"]);
      expect(library.problems).toContainEqual({
        file: "loop.md",
        message: "a symbolic link that loops",
        kept: false,
      });
      expect(lines.filter((l) => l.startsWith("Live updates:"))).toEqual([]);
    } finally {
      await library.close();
    }
  }, 30_000);
});

describe("serving while indexing", () => {
  it("answers pages with a progress page and data with 503 and Retry-After", async () => {
    const real = MemoryArchive.fromFolder({
      dataDir: fixtureData,
      cacheDir: null,
    });
    // A double of the seam: the real archive, reporting "indexing" until it has opened.
    let indexing = true;
    const archive: Archive = Object.create(real, {
      state: {
        value: () =>
          indexing
            ? { phase: "indexing", done: 400, total: 1000, startedAt: 0 }
            : real.state(),
      },
    });
    const app = createApp(archive, { env: "test" });
    const page = await request(app).get("/search?q=zeugma").expect(503);
    expect(page.headers["retry-after"]).toBe("2");
    expect(page.text).toContain('<meta http-equiv="refresh" content="2">');
    expect(page.text).toContain("Indexing: 400 of 1,000 statements.");
    expect(page.text).toContain('<progress max="100" value="40"');
    const json = await request(app).get("/search.json?q=zeugma").expect(503);
    expect(json.body).toEqual({
      error: { status: 503, message: "Indexing: 400 of 1,000 statements." },
      progress: { phase: "indexing", done: 400, total: 1000 },
    });
    await request(app).get("/style.css").expect(200);

    await archive.open();
    indexing = false;
    await request(app).get("/search.json?q=zeugma").expect(200);
  });

  it("counts a statement read so far as one, not as 1 statements", async () => {
    const reading = (done: number, phase = "reading") =>
      Object.assign(
        Object.create(MemoryArchive.fromStatements([])) as Archive,
        {
          state: () => ({ phase, done, startedAt: 0 }),
        },
      );
    const message = async (archive: Archive) =>
      (await request(createApp(archive, { env: "test" })).get("/search.json"))
        .body.error.message;
    expect(await message(reading(1))).toBe(
      "Reading the data folder: 1 statement so far.",
    );
    expect(await message(reading(2))).toBe(
      "Reading the data folder: 2 statements so far.",
    );
    expect(await message(reading(1, "indexing"))).toBe(
      "Indexing: 1 statement.",
    );
  });

  it("says so when loading failed", async () => {
    const archive = MemoryArchive.fromFolder({
      dataDir: "/nonexistent/readout",
      cacheDir: null,
    });
    await expect(archive.open()).rejects.toThrow(
      'ingest: data folder "/nonexistent/readout" does not exist',
    );
    const res = await request(createApp(archive, { env: "test" }))
      .get("/")
      .expect(500);
    expect(res.text).toContain(
      "Readout could not load the archive: ingest: data folder &quot;/nonexistent/readout&quot; does not exist",
    );
  });
});

describe("stopping", () => {
  it("waits for a save under way, leaving a whole saved index and no temporary files", async () => {
    const { readdir } = await import("node:fs/promises");
    const { dir } = await setUp();
    const library = new Library({
      dataDir: dir,
      cacheDir: path.join(dir, ".readout-cache"),
    });
    await library.open();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await library.close();
    const files = await readdir(path.join(dir, ".readout-cache"));
    expect(files.sort()).toEqual([
      "manifest.json",
      path.basename(await snapshotOf(path.join(dir, ".readout-cache"))),
    ]);
  });
});
