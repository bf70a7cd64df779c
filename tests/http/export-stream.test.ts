import { mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { afterAll, describe, expect, it } from "vitest";
import type { Archive, Hit, HitStream } from "../../src/archive.ts";
import { MemoryArchive } from "../../src/archive.ts";
import type { Html } from "../../src/search/highlight.ts";
import { parseQuery } from "../../src/query/params.ts";
import { createApp } from "../../src/web/app.ts";
import { fixtureArchive } from "../helpers.ts";

const folders: string[] = [];
afterAll(async () => {
  for (const dir of folders) await rm(dir, { recursive: true, force: true });
});

/** The fixture archive with its `stream` replaced: a double of the seam. */
async function withStream(
  stream: (...args: Parameters<Archive["stream"]>) => Promise<HitStream>,
): Promise<Archive> {
  return Object.create(await fixtureArchive(), { stream: { value: stream } });
}

const hit = (n: number): Hit => ({
  id: `h${n}`,
  title: `Statement ${n} `.repeat(8),
  titleHtml: `Statement ${n}` as Html,
  score: 1,
  snippet: `A long passage of statement ${n}, `.repeat(12) as Html,
});

describe("an export in progress", () => {
  it("finishes cleanly when the statements it matched are removed meanwhile", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "readout-export-"));
    folders.push(dir);
    const records = Array.from({ length: 300 }, (_, n) =>
      JSON.stringify({ id: `w${n}`, title: `Widget ${n}`, body: "widgets" }),
    );
    await writeFile(path.join(dir, "many.jsonl"), records.join("\n"));
    const archive = MemoryArchive.fromFolder({ dataDir: dir, cacheDir: null });
    await archive.open();
    archive.follow();
    try {
      const query = parseQuery({ q: "widgets" }, archive.fields());
      const { total, hits } = await archive.stream(query);
      expect(total).toBe(300);
      const seen: string[] = [];
      for await (const h of hits) {
        seen.push(h.id);
        if (seen.length === 150) {
          await rm(path.join(dir, "many.jsonl"));
          for (let i = 0; i < 100 && archive.overview().statements > 0; i++)
            await new Promise((r) => setTimeout(r, 100));
          expect(archive.overview().statements).toBe(0);
        }
      }
      // Hits are read a hundred at a time: the hundred under way is finished, the rest were
      // removed before they were reached, and are left out.
      expect(seen).toHaveLength(200);
    } finally {
      await archive.close();
    }
  }, 30_000);

  it("keeps one listener each, however many times a slow client fills its buffer", async () => {
    const archive = await withStream(async () => ({
      total: 1500,
      hits: (async function* () {
        for (let n = 0; n < 1500; n++) yield hit(n);
      })(),
    }));
    const server = createApp(archive, { env: "test" }).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    try {
      const { port } = server.address() as AddressInfo;
      const lines = await new Promise<number>((resolve, reject) => {
        http
          .get(`http://127.0.0.1:${port}/search.jsonl?q=x`, (res) => {
            let count = 0;
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => {
              count += chunk.split("\n").length - 1;
              // Read a chunk, then wait: the server's buffer fills again and again.
              res.pause();
              setImmediate(() => res.resume());
            });
            res.on("end", () => resolve(count));
            res.on("error", reject);
          })
          .on("error", reject);
      });
      expect(lines).toBe(1500);
      expect(warnings).not.toContain("MaxListenersExceededWarning");
    } finally {
      process.off("warning", onWarning);
      server.close();
    }
  }, 60_000);
});

describe("an export a part of the archive stops answering during", () => {
  it("has no Readout-Partial header, the rows having started, and says so after its rows", async () => {
    const archive = await withStream(async () => {
      const unavailable = new Set<string>();
      return {
        total: 3,
        unavailable,
        hits: (async function* () {
          yield hit(1);
          // The shard of the next rows fails once the first is written.
          unavailable.add("shard 2");
          yield hit(2);
        })(),
      };
    });
    const app = createApp(archive, { env: "test" });
    const csv = await request(app).get("/search.csv?q=x").buffer(true);
    expect(csv.headers["readout-partial"]).toBeUndefined();
    expect(csv.text.trim().split("\r\n").at(-1)).toBe(
      "# Part of the archive did not answer (shard 2): this file holds the matches of the rest of it only.",
    );
    const json = await request(app).get("/search.json?q=x&all=1");
    expect(json.body).toMatchObject({
      total: 3,
      partial: true,
      unavailable: ["shard 2"],
    });
    expect(json.body.hits).toHaveLength(2);
  });
});

describe("HEAD on an export", () => {
  it("answers with the headers, opening the stream as a GET does (for Readout-Partial) but reading no rows", async () => {
    let opened = 0;
    let read = 0;
    const archive = await withStream(async () => {
      opened++;
      return {
        total: 0,
        hits: (async function* () {
          read++;
        })(),
      };
    });
    const app = createApp(archive, { env: "test" });
    for (const url of [
      "/search.csv?q=the",
      "/search.jsonl?q=the",
      "/search.json?q=the&all=1",
    ]) {
      const res = await request(app).head(url).expect(200);
      expect([url, res.headers["content-type"]]).toEqual([
        url,
        expect.stringMatching(/csv|ndjson|json/),
      ]);
      expect(res.text ?? "").toBe("");
    }
    expect([opened, read]).toEqual([3, 0]);
    await request(app).get("/search.csv?q=the").expect(200);
    expect([opened, read]).toEqual([4, 1]);
  });
});

describe("a batch search", () => {
  it("counts the other lines when one needs more work than a search may use", async () => {
    const { SearchTimeout } = await import("../../src/runtime/deadline.ts");
    const archive: Archive = Object.create(await fixtureArchive(), {
      count: {
        value: async (query: { q: string }) => {
          if (query.q === "heavy") throw new SearchTimeout(1);
          return 7;
        },
      },
    });
    const res = await request(createApp(archive, { env: "test" }))
      .post("/batch")
      .type("form")
      .send({ lines: "light\nheavy\nalso light" })
      .expect(200);
    expect(res.text).toContain('<td class="num">too heavy</td>');
    expect(res.text.match(/<td class="num">7<\/td>/g)).toHaveLength(2);
    expect(res.text).toContain(
      "1 line needed more work than one search may use and was not counted",
    );
  });

  it("stops searching its lines when the client goes away", async () => {
    let counted = 0;
    let firstCount: () => void = () => {};
    const started = new Promise<void>((resolve) => (firstCount = resolve));
    const archive: Archive = Object.create(await fixtureArchive(), {
      count: {
        value: async () => {
          counted++;
          firstCount();
          await new Promise((resolve) => setTimeout(resolve, 20));
          return 1;
        },
      },
    });
    const server = createApp(archive, { env: "test" }).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const lines = Array.from({ length: 100 }, (_, i) => `word${i}`);
      const req = http.request({
        port,
        host: "127.0.0.1",
        path: "/batch",
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      req.on("error", () => {});
      req.end(new URLSearchParams({ lines: lines.join("\n") }).toString());
      await started;
      req.destroy();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const after = counted;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(counted).toBe(after);
      expect(counted).toBeLessThan(lines.length);
    } finally {
      server.close();
    }
  });
});
