/**
 * The app over the PostgreSQL engine when input is odd or a shard is down (issue 23, items 9,
 * 11, 12): through the real Express app (supertest), on a small database of its own on the
 * run's cluster; a shard that is down is one whose spec names a port nobody listens on.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PostgresArchive } from "../../src/archive.ts";
import type { ClusterSpec } from "../../src/engines/postgres/spec.ts";
import { createApp } from "../../src/web/app.ts";
import { freshDatabase } from "../engines.ts";

const STATEMENTS = 40;

/** A port on 127.0.0.1 that nothing listens on: a server that is down. */
async function deadPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The whole body as text, whatever its type (supertest parses only some). */
const text = (req: request.Test) =>
  req.buffer(true).parse((res, done) => {
    let body = "";
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => (body += chunk));
    res.on("end", () => done(null, body));
  });

describe.skipIf(!inject("postgres"))("the app over PostgreSQL", () => {
  let dir: string;
  let spec: ClusterSpec;
  let whole: PostgresArchive;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "readout-pg-web-"));
    const records = Array.from({ length: STATEMENTS }, (_, i) =>
      JSON.stringify({
        id: `s${i}`,
        title: `Treaty talks ${i}`,
        body: `The treaty talks went on, round ${i}.`,
        date: `2020-01-${String(1 + (i % 28)).padStart(2, "0")}`,
        source: i % 2 ? "Ministry" : "Office",
        lang: "en",
      }),
    );
    await writeFile(path.join(dir, "a.jsonl"), records.join("\n") + "\n");
    spec = await freshDatabase(dir);
    whole = new PostgresArchive({ spec });
    await whole.open();
    app = createApp(whole, { env: "test" });
  }, 180_000);

  afterAll(async () => {
    await whole?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe("odd input (item 11)", () => {
    it("reads a NUL in source= or lang= as a value no statement has", async () => {
      for (const url of [
        "/search.json?q=treaty&source=Ministry%00",
        "/search.json?q=treaty&lang=%00",
        "/search.json?q=treaty&source=%00&source=a%00b",
      ]) {
        const res = await request(app).get(url);
        expect(res.status, url).toBe(200);
        expect(res.body.total, url).toBe(0);
      }
      // A NUL beside a real value leaves the real value chosen.
      const res = await request(app).get(
        "/search.json?q=treaty&source=Ministry&source=x%00",
      );
      expect(res.body.total).toBe(STATEMENTS / 2);
    });

    it("answers 404 for an id with a NUL", async () => {
      expect((await request(app).get("/statements/s1%00")).status).toBe(404);
      expect((await request(app).get("/statements/s1")).status).toBe(200);
    });

    it("reads date:0000 as a year nothing is dated in, and after:0000 as no bound", async () => {
      const none = await request(app).get("/search.json?q=treaty+date:0000");
      expect([none.status, none.body.total]).toEqual([200, 0]);
      const all = await request(app).get(
        "/search.json?q=treaty+after:0000-01-01",
      );
      expect([all.status, all.body.total]).toEqual([200, STATEMENTS]);
    });

    it("writes a whole CSV export for such input, not one cut after its header", async () => {
      for (const url of [
        "/search.csv?q=treaty&source=%00",
        "/search.csv?q=date:0000",
      ]) {
        const res = await text(request(app).get(url));
        expect(res.status, url).toBe(200);
        expect(res.body, url).toMatch(/^\ufeffid,title,.*\r\n$/);
      }
      const res = await text(
        request(app).get("/search.csv?q=treaty&source=Office&source=%00"),
      );
      expect((res.body as string).trim().split("\r\n")).toHaveLength(
        1 + STATEMENTS / 2,
      );
    });
  });
});
