/**
 * The PostgreSQL engine against the memory engine on one fixture archive (parity), and its
 * behaviour when servers fail. It uses the run's cluster (tests/setup/postgres.ts), a
 * database of its own, and for faults a spec that names servers nobody runs. Without
 * PostgreSQL's binaries the file is skipped, saying so (the global setup fails a CI run).
 */
import {
  appendFile,
  copyFile,
  mkdir,
  mkdtemp,
  rename,
  rm,
  writeFile,
} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import {
  MemoryArchive,
  PostgresArchive,
  type Archive,
  type SearchPage,
} from "../../src/archive.ts";
import { AdmissionQueue, Busy } from "../../src/runtime/admission.ts";
import { importFolder } from "../../src/engines/postgres/import.ts";
import { loadStatements } from "../../src/ingest/load.ts";
import { candidateLimits } from "../../src/engines/postgres/candidates.ts";
import { Shards } from "../../src/engines/postgres/shards.ts";
import {
  maskUrl,
  parseSpec,
  type ClusterSpec,
} from "../../src/engines/postgres/spec.ts";
import { parseQuery } from "../../src/query/params.ts";
import { dateSortKey } from "../../src/text/dates.ts";
import { createApp } from "../../src/web/app.ts";
import { freshDatabase } from "../engines.ts";
import { fixtures } from "../helpers.ts";
import { installedLanguages } from "../../src/ingest/ocr.ts";

const english = (await installedLanguages())?.includes("eng") ?? false;
import { deadPort, WORDS, writeFixture } from "./fixture.ts";
import { workspaceSuite } from "../workspace/suite.ts";

// Each test asks both engines, several servers: more than the default 5 s on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

/** Whether `check` holds within 15 s, asked every 0.1 s: a followed folder lands when it lands. */
async function until(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 150; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe.skipIf(!inject("postgres"))("PostgresArchive", () => {
  let dir: string;
  let data: string;
  let spec: ClusterSpec;
  let pg: PostgresArchive;
  let memory: Archive;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "readout-pg-"));
    data = path.join(dir, "data");
    await writeFixture(data);
    spec = await freshDatabase(data);
    memory = MemoryArchive.fromFolder({ dataDir: data, cacheDir: null });
    await memory.open();
    pg = new PostgresArchive({ spec });
    await pg.open();
  }, 240_000);

  afterAll(async () => {
    await pg?.close();
    await memory?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  const both = async (params: Record<string, string | string[]>) => {
    // Each engine parses for itself: expansions are cached on the query's own nodes.
    const m = await memory.search(parseQuery(params, memory.fields()));
    const p = await pg.search(parseQuery(params, pg.fields()));
    return { m, p };
  };

  /** Same totals, facets, timeline; the first ten agree up to ties in score (to 0.001). */
  const expectParity = (m: SearchPage, p: SearchPage) => {
    expect(p.total).toBe(m.total);
    expect(p.relaxed).toBe(m.relaxed);
    expect(p.facets).toEqual(m.facets);
    expect(p.timeline).toEqual(m.timeline);
    expect(p.didYouMean).toEqual(m.didYouMean);
    expect(p.partial).toBeUndefined();
    const key = (page: SearchPage) =>
      page.hits.map(
        (h) =>
          `${page.sort === "relevance" || !h.date ? "" : dateSortKey(h.date)}|${h.score.toFixed(3)}`,
      );
    expect(key(p)).toEqual(key(m));
    // Within a run of equal keys the order is free; the last run may be cut at the page end.
    const groups = (page: SearchPage) => {
      const keys = key(page);
      const out = new Map<string, string[]>();
      page.hits.forEach((h, i) =>
        out.set(keys[i]!, [...(out.get(keys[i]!) ?? []), h.id]),
      );
      const last = keys.at(-1);
      if (last !== undefined && page.hits.length === page.size)
        out.delete(last);
      return [...out.values()].map((ids) => ids.sort());
    };
    expect(groups(p)).toEqual(groups(m));
    // The same statement in the same place is marked the same way.
    p.hits.forEach((hit, i) => {
      if (hit.id !== m.hits[i]!.id) return;
      expect(hit.titleHtml).toBe(m.hits[i]!.titleHtml);
      expect(hit.snippet).toBe(m.hits[i]!.snippet);
    });
  };

  // Every syntax of /help, then filters, facets, sorts and paging.
  const queries: Record<string, string | string[]>[] = [
    { q: "sanction" },
    { q: "ceasefire border" },
    { q: '"joint statement"' },
    { q: '"peace treaty"~5' },
    { q: '"talks summit energy"~3' },
    { q: "Nagorno-Karabakh" },
    { q: "Agdam" },
    { q: "ceasefire OR truce" },
    { q: "summit -election" },
    { q: "summit NOT election" },
    { q: "(gas OR oil) AND pipeline" },
    { q: "title:sanctions" },
    { q: 'body:"joint statement"' },
    { q: 'source:"White House" talks' },
    { q: "country:Armenia energy" },
    { q: "negotiat*" },
    { q: "repor*" },
    { q: "Bayramof~" },
    { q: "Bayramov~2" },
    { q: "after:2023-01-01 climate" },
    { q: "before:2019-12 water" },
    { q: "date:2021 trade" },
    { q: "truce peace water", mode: "any" },
    { q: "truce zzzunknown" },
    { q: "ceasfire" },
    { q: "policy", sort: "newest" },
    { q: "policy", sort: "oldest" },
    { q: "security", source: "The White House" },
    {
      q: "security",
      source: ["The White House", "Permanent Mission"],
      category: "speech",
    },
    { q: "aid", year: "2022" },
    { q: "aid", meta_year: "2022" },
    { q: "aid", year: "2022", meta_year: "2021" },
    { q: "meta_year:2023 trade" },
    { q: "refugees", from: "2020-03", to: "2021" },
    { q: "", source: "Permanent Mission" },
  ];

  it.each(queries)("finds what the memory engine finds: %j", async (params) => {
    const { m, p } = await both(params);
    expectParity(m, p);
  });

  it("counts for each facet value what choosing it gives, the record's own year apart from the date's", async () => {
    const { p } = await both({ q: "summit" });
    expect(p.facets.map((f) => f.field)).toEqual(
      expect.arrayContaining(["year", "meta_year"]),
    );
    for (const facet of p.facets)
      for (const { value, count } of facet.values) {
        const chosen = await pg.search(
          parseQuery({ q: "summit", [facet.field]: value }, pg.fields()),
        );
        expect(chosen.total, `${facet.field}=${value}`).toBe(count);
      }
  });

  it("ranks the top 10 of 50 broad queries as the memory engine does, in rounds of 20", async () => {
    const saved = candidateLimits.perShard;
    candidateLimits.perShard = 20;
    try {
      // Every word of the fixture alone (hundreds of matches each), then pairs of them.
      const queries = [
        ...WORDS.slice(0, 38),
        ...Array.from({ length: 12 }, (_, i) => `${WORDS[i]} ${WORDS[i + 20]}`),
      ];
      expect(queries).toHaveLength(50);
      for (const q of queries) {
        const { m, p } = await both({ q });
        expect(m.total).toBeGreaterThan(20);
        expectParity(m, p);
      }
    } finally {
      candidateLimits.perShard = saved;
    }
  });

  it("ranks exactly past a round of candidates: the best match is found however old", async () => {
    const saved = candidateLimits.perShard;
    // Rounds of 5 per shard: the old bound (the newest N of each shard) would rank only
    // these, and it would miss the best match of a word, which is not among the newest.
    candidateLimits.perShard = 5;
    try {
      const queries: Record<string, string>[] = [
        { q: "sanction" },
        { q: "ceasefire border" },
        { q: "negotiat*" },
        { q: "peace treaty" },
        // More words than a ceiling reads one by one: their ceilings are bounded in groups.
        { q: WORDS.slice(0, 14).join(" "), mode: "any" },
      ];
      for (const params of queries) {
        const { m, p } = await both(params);
        expectParity(m, p);
        const best = m.hits[0]!;
        const newest = (
          await memory.search(
            parseQuery(
              { ...params, sort: "newest", size: "10" },
              memory.fields(),
            ),
          )
        ).hits.map((h) => h.id);
        if (params.q === "sanction") expect(newest).not.toContain(best.id);
      }
    } finally {
      candidateLimits.perShard = saved;
    }
  });

  it("pages deep into the results in the same order by date", async () => {
    const params = { q: "-zzzz", sort: "newest", size: "100", page: "25" };
    const { m, p } = await both(params);
    expect(m.total).toBeGreaterThan(2_400);
    expect(p.total).toBe(m.total);
    expect(p.page).toBe(25);
    const keys = (page: SearchPage) =>
      page.hits.map((h) => (h.date ? dateSortKey(h.date) : undefined));
    expect(keys(p)).toEqual(keys(m));
  });

  it("counts as the memory engine counts, 0 when only some words are found", async () => {
    for (const q of [
      "sanction",
      "truce zzzunknown",
      '"joint statement" summit',
    ])
      expect(await pg.count(parseQuery({ q }, pg.fields()))).toBe(
        await memory.count(parseQuery({ q }, memory.fields())),
      );
  });

  it("marks matches in a statement and lists related statements", async () => {
    const q = parseQuery({ q: "sanctions" }, pg.fields());
    const page = await pg.search(q);
    const id = page.hits[0]!.id;
    const p = await pg.statement(id, q);
    const m = await memory.statement(
      id,
      parseQuery({ q: "sanctions" }, memory.fields()),
    );
    expect(p!.titleHtml).toBe(m!.titleHtml);
    expect(p!.paragraphs).toEqual(m!.paragraphs);
    expect(p!.related.length).toBe(m!.related.length);
    expect(await pg.statement("no-such-id", q)).toBeUndefined();
  });

  it("completes words and describes the archive as the memory engine does", async () => {
    expect(await pg.complete("negot")).toEqual(await memory.complete("negot"));
    expect(await pg.complete("Ağd")).toEqual(await memory.complete("Ağd"));
    const { examples: _pe, ...po } = pg.overview();
    const { examples: _me, ...mo } = memory.overview();
    expect(po).toEqual(mo);
    expect([...pg.fields()].sort()).toEqual([...memory.fields()].sort());
  });

  it("streams every match of an export in the page's order, in batches through cursors", async () => {
    const saved = candidateLimits.exportBatch;
    // Batches of 25 per shard: hundreds of matches come in many rounds.
    candidateLimits.exportBatch = 25;
    try {
      for (const q of [
        { q: "summit", sort: "newest" },
        { q: "summit", sort: "oldest" },
        { q: "sanction" },
        // Word pairs: the first 200 are re-ranked by proximity, as on a page.
        { q: "peace treaty talks", mode: "any" },
      ]) {
        const keys = async (archive: Archive) => {
          const { total, hits } = await archive.stream(
            parseQuery(q, archive.fields()),
          );
          // Statements on one day (or dated only by its year), or with one score, may come
          // in either order.
          const out: string[] = [];
          for await (const hit of hits)
            out.push(
              `${q.sort && hit.date ? dateSortKey(hit.date) : ""}|${hit.score.toFixed(3)}`,
            );
          return { total, keys: out };
        };
        const [m, p] = [await keys(memory), await keys(pg)];
        expect(m.total).toBeGreaterThan(100);
        expect(p.total).toBe(m.total);
        expect(p.keys).toEqual(m.keys);
      }
      // An export stopped early frees its cursors: the shards answer the next search.
      const { hits } = await pg.stream(
        parseQuery({ q: "summit" }, pg.fields()),
      );
      for await (const _ of hits) break;
      const page = await pg.search(parseQuery({ q: "summit" }, pg.fields()));
      expect(page.total).toBeGreaterThan(100);
    } finally {
      candidateLimits.exportBatch = saved;
    }
  });

  describe("faults", () => {
    // A server that is down is one nobody runs: a port that nothing listens on.
    const opened = async (shards: ClusterSpec["shards"]) => {
      const archive = new PostgresArchive({ spec: { shards } });
      await archive.open();
      return archive;
    };

    it("reads from the primary, without an error, when a replica is down", async () => {
      const before = await pg.search(parseQuery({ q: "treaty" }, pg.fields()));
      const port = await deadPort();
      const archive = await opened(
        spec.shards.map((s) => ({
          ...s,
          replicas: [{ ...s.primary, port, label: `replica on ${port}` }],
        })),
      );
      try {
        for (let i = 0; i < 3; i++) {
          const page = await archive.search(
            parseQuery({ q: "treaty" }, archive.fields()),
          );
          expect(page.partial).toBeUndefined();
          expect(page.total).toBe(before.total);
        }
      } finally {
        await archive.close();
      }
    }, 60_000);

    it("shows what the other shards found, marked partial, when a shard is down", async () => {
      const before = await pg.search(parseQuery({ q: "treaty" }, pg.fields()));
      const port = await deadPort();
      const archive = await opened([
        spec.shards[0]!,
        {
          primary: { ...spec.shards[1]!.primary, port, label: `on ${port}` },
          replicas: [],
        },
      ]);
      try {
        const page = await archive.search(
          parseQuery({ q: "treaty" }, archive.fields()),
        );
        expect(page.partial).toBe(true);
        // Named by number only: a page shows it to anyone, the terminal log says more.
        expect(page.unavailable).toEqual(["shard 2"]);
        expect(JSON.stringify(page)).not.toContain(String(port));
        expect(page.total).toBeGreaterThan(0);
        expect(page.total).toBeLessThan(before.total);
        expect(page.notes.join(" ")).toContain(
          "Part of the archive did not answer",
        );
        const json = await request(createApp(archive, { env: "test" })).get(
          "/search.json?q=treaty",
        );
        expect(json.status).toBe(200);
        expect(json.body.partial).toBe(true);
      } finally {
        await archive.close();
      }
    }, 60_000);

    it("sets a statement timeout on every connection", async () => {
      const shards = new Shards(spec, "readout_reader", 1);
      try {
        const timeouts = await Promise.all(
          [0, 1].map((s) =>
            shards.read(
              s,
              async (c) => (await c.query("SHOW statement_timeout")).rows[0],
            ),
          ),
        );
        expect(timeouts).toEqual([
          { statement_timeout: "10s" },
          { statement_timeout: "10s" },
        ]);
      } finally {
        await shards.close();
      }
    });

    it("queues a burst beyond its limit, then answers 503 with Retry-After", async () => {
      const gate = new AdmissionQueue({ running: 1, waiting: 1, waitMs: 50 });
      let release!: () => void;
      const first = gate.run(() => new Promise<void>((r) => (release = r)));
      const second = gate.run(async () => "second");
      await expect(gate.run(async () => "third")).rejects.toBeInstanceOf(Busy);
      await expect(second).rejects.toBeInstanceOf(Busy);
      release();
      await first;
      expect(await gate.run(async () => "again")).toBe("again");
      const app = createApp(
        {
          ...pg,
          state: () => pg.state(),
          overview: () => pg.overview(),
          fields: () => pg.fields(),
          search: () => Promise.reject(new Busy()),
        } as unknown as Archive,
        { env: "test" },
      );
      const res = await request(app).get("/search.json?q=treaty");
      expect(res.status).toBe(503);
      // The same answer as the web's own queue gives (web/admission.ts).
      expect(res.headers["retry-after"]).toBe("1");
      expect(res.body.error.message).toBe(new Busy().message);
    });

    it("keeps the previous contents when an import stops halfway, and completes on the next run", async () => {
      const writer = new Shards(spec, "readout_writer", 2);
      const total = async (q: string) =>
        (await pg.search(parseQuery({ q }, pg.fields()))).total;
      try {
        const before = await total("peace");
        await writeFile(
          path.join(data, "zz-new.jsonl"),
          JSON.stringify({
            id: "new-1",
            title: "Zeugma mosaics",
            body: "An exhibition of zeugma mosaics.",
          }) + "\n",
        );
        await appendFile(
          path.join(data, "part-01.jsonl"),
          JSON.stringify({
            id: "fx-extra",
            title: "Zeugma",
            body: "More zeugma.",
          }) + "\n",
        );
        await rm(path.join(data, "part-06.jsonl"));
        let batches = 0;
        await expect(
          importFolder(writer, data, {
            batchBytes: 1,
            onProgress: () => {
              if (++batches === 1) throw new Error("stopped halfway");
            },
          }),
        ).rejects.toThrow("stopped halfway");
        await pg.refresh();
        expect(await total("zeugma")).toBe(0);
        expect(await total("peace")).toBe(before);
        const summary = await importFolder(writer, data);
        expect([summary.added, summary.updated, summary.removed]).toEqual([
          2, 0, 100,
        ]);
        expect(summary.read).toBe(2);
        await pg.refresh();
        expect(await total("zeugma")).toBe(2);
        // The removed file's records leave the counts of their renamed key (`year` → meta_year).
        const yearCounts = await Promise.all(
          [0, 1].map((shard) =>
            writer.read(shard, async (c) => {
              const { rows } = await c.query(
                `SELECT (SELECT coalesce(sum(count), 0) FROM field_values WHERE field = 'meta_year')::int AS counted,
                   (SELECT count(*) FROM statements WHERE meta ? 'year')::int AS held`,
              );
              return rows[0] as { counted: number; held: number };
            }),
          ),
        );
        for (const { counted, held } of yearCounts) expect(counted).toBe(held);
        const again = await importFolder(writer, data);
        expect([again.read, again.added, again.removed]).toEqual([0, 0, 0]);
      } finally {
        await writer.close();
      }
    }, 120_000);

    it("follows its data folder through a save by rename and the next save in place", async () => {
      const follower = new PostgresArchive({ spec, dataDir: data });
      const file = path.join(data, "zz-saved.jsonl");
      const record = (word: string) =>
        JSON.stringify({ id: "saved-1", title: "Saved", body: word }) + "\n";
      const found = (q: string) =>
        until(
          async () =>
            (await follower.search(parseQuery({ q }, follower.fields())))
              .total === 1,
        );
      try {
        await follower.open();
        follower.follow();
        await writeFile(
          path.join(data, ".zz-saved.jsonl.Qz81bK"),
          record("quagga"),
        );
        await rename(path.join(data, ".zz-saved.jsonl.Qz81bK"), file);
        expect(await found("quagga")).toBe(true);
        await writeFile(file, record("okapi"));
        expect(await found("okapi")).toBe(true);
      } finally {
        await follower.close();
        await rm(file, { force: true });
        const writer = new Shards(spec, "readout_writer", 2);
        await importFolder(writer, data).finally(() => writer.close());
        await pg.refresh();
      }
    }, 120_000);
  });

  it("follows a folder with a slow file: one saved meanwhile is written first, the slow one when read", async () => {
    const folder = path.join(dir, "slow-follow");
    await mkdir(folder, { recursive: true });
    await writeFile(
      path.join(folder, "a.jsonl"),
      JSON.stringify({ id: "a", title: "Notes", body: "Text as text." }),
    );
    const own = await freshDatabase(folder);
    // The reader of slow.txt waits until released, as a long scan read by OCR does.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const follower = new PostgresArchive({
      spec: own,
      dataDir: folder,
      load: async (at, options) => {
        const result = await loadStatements(at, options);
        if (result.statements.some((s) => s.origin.file === "slow.txt"))
          await released;
        return result;
      },
    });
    const ids = async (q: string) =>
      (await follower.search(parseQuery({ q }, follower.fields()))).hits.map(
        (h) => h.id,
      );
    try {
      await follower.open();
      follower.follow();
      await writeFile(
        path.join(folder, "slow.txt"),
        "Slow statement\n\nAbout the numbat census.",
      );
      // Its look has begun reading it before the next file is saved.
      await new Promise((r) => setTimeout(r, 2_500));
      await writeFile(
        path.join(folder, "quick.txt"),
        "Quick statement\n\nAbout the bilby census.",
      );
      expect(await until(async () => (await ids("bilby")).length === 1)).toBe(
        true,
      );
      expect(await ids("numbat")).toEqual([]);
      release();
      expect(await until(async () => (await ids("numbat")).length === 1)).toBe(
        true,
      );
      expect(await ids("bilby")).toEqual(["quick"]);
    } finally {
      release();
      await follower.close();
    }
  }, 60_000);

  it.runIf(english)(
    "reads on a later import a scan an earlier one skipped for want of OCR",
    async () => {
      const folder = path.join(dir, "ocr-later");
      await mkdir(folder, { recursive: true });
      await writeFile(
        path.join(folder, "a.jsonl"),
        JSON.stringify({ id: "a", title: "Notes", body: "Text as text." }),
      );
      const own = await freshDatabase(folder);
      const writer = new Shards(own, "readout_writer", 2);
      try {
        await copyFile(
          path.join(fixtures, "formats", "page.png"),
          path.join(folder, "page.png"),
        );
        const skipped = await importFolder(writer, folder, {
          ocrLanguages: [],
        });
        expect(skipped.problems).toEqual([
          expect.objectContaining({ file: "page.png", awaitsOcr: [] }),
        ]);
        // Still without OCR, nothing is read again.
        const still = await importFolder(writer, folder, { ocrLanguages: [] });
        expect(still.read).toBe(0);
        const later = await importFolder(writer, folder);
        expect([later.read, later.added, later.problems]).toEqual([1, 1, []]);
      } finally {
        await writer.close();
      }
    },
    120_000,
  );

  it("keeps groups of versions across imports: one added later joins, one removed leaves", async () => {
    const versions = path.join(dir, "versions");
    const text =
      "The leaders affirm that a nuclear war cannot be won and must never be fought, and that such weapons serve defensive purposes only.";
    const record = (id: string, source: string, date: string) =>
      JSON.stringify({
        id,
        title: "Joint statement",
        body: text,
        source,
        date,
      });
    await mkdir(versions, { recursive: true });
    await writeFile(
      path.join(versions, "a.jsonl"),
      [
        record("wh", "The White House", "2022-01-03"),
        record("other", "Kremlin", "2022-02-01").replace(
          text,
          "Unrelated remarks on trade and the harvest, made by the minister at length today.",
        ),
      ].join("\n"),
    );
    const own = await freshDatabase(versions);
    const writer = new Shards(own, "readout_writer", 2);
    const archive = new PostgresArchive({ spec: own });
    await archive.open();
    const grouped = async () =>
      (
        await archive.search(parseQuery({ q: "nuclear" }, archive.fields()))
      ).hits.map((h) => [
        h.id,
        h.group ?? "",
        h.versions?.map((v) => v.id) ?? [],
      ]);
    try {
      expect(await grouped()).toEqual([["wh", "", []]]);
      await writeFile(
        path.join(versions, "b.jsonl"),
        record("kremlin", "Kremlin", "2022-01-04"),
      );
      await importFolder(writer, versions);
      // One line for the group: its newer member (equal scores), the other listed with it.
      expect(await grouped()).toEqual([["kremlin", "wh", ["wh"]]]);
      const page = await archive.search(
        parseQuery(
          { q: "nuclear", echoes: "1", versions: "all" },
          archive.fields(),
        ),
      );
      expect([page.echoed, page.total]).toEqual([2, 2]);
      await rm(path.join(versions, "a.jsonl"));
      await importFolder(writer, versions);
      expect(await grouped()).toEqual([["kremlin", "", []]]);
    } finally {
      await writer.close();
      await archive.close();
    }
  }, 120_000);

  it("never shows a password: the spec, and errors about it, mask it", () => {
    const spec = "postgres://reader:s3cret@127.0.0.1:5432/readout";
    expect(parseSpec(spec).shards[0]!.primary.label).toBe(
      "postgres://reader:***@127.0.0.1:5432/readout",
    );
    expect(maskUrl(`cannot reach ${spec},postgres://w:p%40ss@h:1/db`)).toBe(
      "cannot reach postgres://reader:***@127.0.0.1:5432/readout,postgres://w:***@h:1/db",
    );
  });

  // Last: it adds statements to the archive the tests above compare.
  workspaceSuite("PostgreSQL", async () => {
    const writer = new Shards(spec, "readout_writer", 2);
    await mkdir(path.join(data, "suite"), { recursive: true });
    return {
      app: createApp(pg, { env: "test" }),
      async putStatement(record) {
        await writeFile(
          path.join(data, "suite", `${record.id}.jsonl`),
          JSON.stringify(record) + "\n",
        );
        await importFolder(writer, data);
        await pg.refresh();
      },
      close: () => writer.close(),
    };
  });
});
