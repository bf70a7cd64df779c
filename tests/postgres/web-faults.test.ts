/**
 * The app over the PostgreSQL engine when input is odd or a shard is down (issue 23, items 9,
 * 11, 12): through the real Express app (supertest), on a small database of its own on the
 * run's cluster; a shard that is down is one whose spec names a port nobody listens on.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { PostgresArchive } from "../../src/archive.ts";
import { Shards } from "../../src/engines/postgres/shards.ts";
import type { ClusterSpec } from "../../src/engines/postgres/spec.ts";
import { createApp } from "../../src/web/app.ts";
import { freshDatabase } from "../engines.ts";
import { deadPort } from "./fixture.ts";
import { LOCAL_PERSON } from "../../src/web/people.ts";
import { workspaceOf } from "../../src/workspace/workspace.ts";
import { client, unzip } from "../workspace/suite.ts";

const STATEMENTS = 40;
const FILLERS = 480;

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
    // Statements no search here finds, enough for a collection longer than one batch (200)
    // on one shard.
    const fillers = Array.from({ length: FILLERS }, (_, i) =>
      JSON.stringify({ id: `f${i}`, title: `Filler ${i}`, body: "Fisheries." }),
    );
    await writeFile(path.join(dir, "b.jsonl"), fillers.join("\n") + "\n");
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

  describe("with shard 2 down", () => {
    // Its spec names a passfile, as `pg start`'s does: neither it nor the server may show.
    const secret = "/run/readout-secret/pgpass";
    let port: number;
    let half: PostgresArchive;
    let down: ReturnType<typeof createApp>;
    /** A statement on each shard. */
    let on: [string, string];

    beforeAll(async () => {
      port = await deadPort();
      const label = `postgres://127.0.0.1:${port}/readout?passfile=${secret}`;
      half = new PostgresArchive({
        spec: {
          shards: [
            spec.shards[0]!,
            {
              primary: {
                ...spec.shards[1]!.primary,
                port,
                passfile: secret,
                label,
              },
              replicas: [],
            },
          ],
        },
        log: () => {},
      });
      await half.open();
      down = createApp(half, { env: "test" });
      const shards = new Shards(spec, "readout_reader");
      const ids = Array.from({ length: STATEMENTS }, (_, i) => `s${i}`);
      on = [0, 1].map((s) => ids.find((id) => shards.shardOf(id) === s)!) as [
        string,
        string,
      ];
      await shards.close();
    }, 60_000);

    afterAll(() => half?.close());

    /** What shard 1 alone holds of `treaty`: every statement on it. */
    const onShard1 = async () =>
      (await request(down).get("/search.json?q=treaty")).body.total as number;

    it("marks every export partial: a header, and in the format itself (item 9)", async () => {
      const rows = await onShard1();
      expect(rows).toBeGreaterThan(0);
      expect(rows).toBeLessThan(STATEMENTS);

      const csv = await text(request(down).get("/search.csv?q=treaty"));
      expect(csv.headers["readout-partial"]).toBe("shard 2");
      const lines = (csv.body as string).trim().split("\r\n");
      expect(lines).toHaveLength(1 + rows + 1);
      expect(lines.at(-1)).toBe(
        "# Part of the archive did not answer (shard 2): this file holds the matches of the rest of it only.",
      );

      const jsonl = await text(request(down).get("/search.jsonl?q=treaty"));
      expect(jsonl.headers["readout-partial"]).toBe("shard 2");
      const records = (jsonl.body as string)
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(records).toHaveLength(rows + 1);
      expect(records.at(-1)).toMatchObject({
        partial: true,
        unavailable: ["shard 2"],
      });

      const json = await request(down).get("/search.json?q=treaty&all=1");
      expect(json.headers["readout-partial"]).toBe("shard 2");
      expect(json.body).toMatchObject({
        total: rows,
        partial: true,
        unavailable: ["shard 2"],
      });
      expect(json.body.hits).toHaveLength(rows);

      for (const url of ["/search.atom?q=treaty", "/feed.atom"]) {
        const atom = await text(request(down).get(url));
        expect(atom.headers["readout-partial"], url).toBe("shard 2");
        expect(atom.body, url).toContain(
          '<partial xmlns="tag:readout.invalid,2024:ns" parts="shard 2">Part of the archive did not answer (shard 2): this feed holds',
        );
      }
    });

    it("says nothing of the kind when every shard answers", async () => {
      for (const url of [
        "/search.csv?q=treaty",
        "/search.jsonl?q=treaty",
        "/search.json?q=treaty&all=1",
        "/search.atom?q=treaty",
      ]) {
        const res = await text(request(app).get(url));
        expect(res.headers["readout-partial"], url).toBeUndefined();
        expect(res.body, url).not.toMatch(/partial|did not answer/);
      }
      const health = await request(app).get("/-/health");
      expect([health.status, health.body.status]).toEqual([200, "ready"]);
    });

    it("reports the shard as down in health and on /about (item 9)", async () => {
      const health = await request(down).get("/-/health");
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({
        status: "partial",
        unavailable: ["shard 2"],
      });
      const about = await request(down).get("/about.json");
      expect(about.body.unavailable).toEqual(["shard 2"]);
      expect((await request(down).get("/about")).text).toContain(
        "Part of the archive does not answer now (shard 2)",
      );
    });

    it("answers a collection's export that needs the shard with a page naming it, not a cut file", async () => {
      const c = await client(app);
      try {
        await c.signIn();
        const made = await c.post("/collections", { name: "Both shards" });
        const slug = made.headers.location!.replace("/collections/", "");
        for (const id of on)
          await c.post(`/collections/${slug}/statements`, { id }).expect(303);
        const whole = await c.agent.get(`/collections/${slug}.csv`);
        expect(whole.status).toBe(200);
        const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
        try {
          const res = await text(request(down).get(`/collections/${slug}.csv`));
          expect(res.status).toBe(503);
          expect(res.body).toContain(
            "Part of the archive did not answer (shard 2)",
          );
        } finally {
          quiet.mockRestore();
        }
      } finally {
        await c.close();
      }
    });

    it("gives a HEAD request of an export the Readout-Partial header its GET has", async () => {
      for (const url of [
        "/search.csv?q=treaty",
        "/search.jsonl?q=treaty",
        "/search.json?q=treaty&all=1",
        "/search.atom?q=treaty",
        "/feed.atom",
      ]) {
        const head = await request(down).head(url);
        expect([head.status, head.headers["readout-partial"]], url).toEqual([
          200,
          "shard 2",
        ]);
        expect(head.text ?? "", url).toBe("");
        const whole = await request(app).head(url);
        expect(whole.headers["readout-partial"], url).toBeUndefined();
      }
    });

    describe("a collection longer than a batch, whose shard stops answering after the first", () => {
      let slug: string;
      let quiet: ReturnType<typeof vi.spyOn>;
      beforeAll(async () => {
        const workspace = workspaceOf(whole)!;
        const shards = new Shards(spec, "readout_reader");
        // 200 statements of shard 1 (the first batch), then one of shard 2.
        const first = Array.from({ length: FILLERS }, (_, i) => `f${i}`)
          .filter((id) => shards.shardOf(id) === 0)
          .slice(0, 200);
        await shards.close();
        expect(first).toHaveLength(200);
        slug = (await workspace.createCollection(LOCAL_PERSON, "Long")).slug;
        for (const id of [...first, on[1]])
          await workspace.add(LOCAL_PERSON, slug, { id });
        quiet = vi.spyOn(console, "error").mockImplementation(() => {});
      }, 120_000);
      afterAll(() => quiet?.mockRestore());

      const note =
        "Part of the archive did not answer (shard 2): this file holds the first 200 statements of the collection only.";

      it("ends its CSV, JSON Lines and BibTeX with a mark that says so", async () => {
        expect(
          (await request(app).get(`/collections/${slug}.csv`)).status,
        ).toBe(200);
        const csv = await text(request(down).get(`/collections/${slug}.csv`));
        const lines = (csv.body as string).trim().split("\r\n");
        expect(lines).toHaveLength(1 + 200 + 1);
        expect(lines.at(-1)).toBe(`# ${note}`);

        const jsonl = await text(
          request(down).get(`/collections/${slug}.jsonl`),
        );
        const records = (jsonl.body as string)
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l));
        expect(records).toHaveLength(201);
        expect(records.at(-1)).toEqual({
          partial: true,
          unavailable: ["shard 2"],
          note,
        });

        const bib = await text(request(down).get(`/collections/${slug}.bib`));
        expect((bib.body as string).match(/^@misc\{/gm)).toHaveLength(200);
        expect(
          (bib.body as string).trimEnd().endsWith(`@comment{${note}}`),
        ).toBe(true);
      });

      it("fails its RIS download rather than end it short", async () => {
        await expect(
          text(request(down).get(`/collections/${slug}.ris`)),
        ).rejects.toThrow();
      });

      it("ends its evidence pack with what it has, a PARTIAL.txt and a warning in the README", async () => {
        const res = await request(down)
          .get(`/collections/${slug}.zip`)
          .buffer(true)
          .parse((r, done) => {
            const chunks: Buffer[] = [];
            r.on("data", (c: Buffer) => chunks.push(c));
            r.on("end", () => done(null, Buffer.concat(chunks)));
          });
        expect(res.status).toBe(200);
        const files = await unzip(res.body as Buffer);
        const warning =
          "WARNING: Part of the archive did not answer (shard 2) while this pack was made: it holds the first 200 statement(s) of the collection only.";
        expect(files.get("PARTIAL.txt")?.toString()).toContain(warning);
        expect(files.get("README.txt")?.toString()).toContain(warning);
        expect(files.get("SHA256SUMS")?.toString()).toMatch(
          / {2}PARTIAL\.txt\n/,
        );
        expect(
          files.get("manifest.csv")!.toString().trim().split("\r\n"),
        ).toHaveLength(1 + 200);
        expect(
          [...files.keys()].filter((f) => f.startsWith("files/")),
        ).toHaveLength(200);
      });

      it("answers a HEAD request that needs the shard in its first batch as its GET: the page naming it", async () => {
        const short = (
          await workspaceOf(whole)!.createCollection(LOCAL_PERSON, "Short")
        ).slug;
        await workspaceOf(whole)!.add(LOCAL_PERSON, short, { id: on[1] });
        for (const ext of ["csv", "zip"]) {
          const url = `/collections/${short}.${ext}`;
          expect((await request(down).get(url)).status, url).toBe(503);
          expect((await request(down).head(url)).status, url).toBe(503);
          expect((await request(app).head(url)).status, url).toBe(200);
        }
      });
    });

    it("names the shard by its number only, on every page, JSON twin and export (item 12)", async () => {
      // The terminal hears which server failed and why.
      const terminal = vi.spyOn(console, "error").mockImplementation(() => {});
      let statement;
      try {
        statement = await request(down).get(`/statements/${on[1]}`);
        expect(terminal.mock.calls.flat().join(" ")).toContain(
          `127.0.0.1:${port}`,
        );
      } finally {
        terminal.mockRestore();
      }
      expect(statement.status).toBe(503);
      expect(statement.text).toContain(
        "Part of the archive did not answer (shard 2)",
      );
      expect((await request(down).get(`/statements/${on[0]}`)).status).toBe(
        200,
      );
      const search = await request(down).get("/search?q=treaty");
      expect(search.text).toContain(
        "Part of the archive did not answer (shard 2)",
      );
      const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
      try {
        for (const url of [
          "/",
          "/search?q=treaty",
          "/search.json?q=treaty",
          `/statements/${on[1]}`,
          `/statements/${on[1]}.json`,
          "/search.csv?q=treaty",
          "/search.jsonl?q=treaty",
          "/search.json?q=treaty&all=1",
          "/search.atom?q=treaty",
          "/feed.atom",
          "/about",
          "/about.json",
          "/-/health",
        ]) {
          const res = await text(request(down).get(url));
          const seen = JSON.stringify(res.headers) + res.body;
          for (const secretPart of [
            String(port),
            "passfile",
            secret,
            "postgres://",
            "ECONNREFUSED",
          ])
            expect(seen, `${url} shows ${secretPart}`).not.toContain(
              secretPart,
            );
        }
      } finally {
        quiet.mockRestore();
      }
    });
  });
});
