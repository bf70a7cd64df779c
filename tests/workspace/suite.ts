/**
 * The workspace's routes, JSON twins and exports, as one suite that runs against each engine
 * (tests/http/workspace.test.ts for memory, tests/postgres/postgres.test.ts for PostgreSQL):
 * the pages are written once, so they must answer the same on both.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { parse as parseRis } from "astrocite-ris";
import type { Express } from "express";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yauzl from "yauzl";
import { bibEntries, runBibtex } from "../../scripts/tools/bibtex.ts";
import { parseCsv } from "../helpers.ts";

export interface WorkspaceFixture {
  app: Express;
  /**
   * Puts a statement in the archive (a record with its own id, in a file of its own: the same
   * id again replaces it) and returns once it is searchable.
   */
  putStatement(record: {
    id: string;
    title: string;
    body: string;
    date?: string;
    source?: string;
    url?: string;
  }): Promise<void>;
  /** A statement whose own file the evidence pack holds, where the engine serves files. */
  fileStatement?: string;
  close?(): Promise<void>;
}

/** A form POST from this server's page, with the session's token. */
export type Post = (
  path: string,
  fields: Record<string, string>,
  headers?: Record<string, string>,
) => request.Test;

/** A browser-like client of a served app: its cookie, its token, and same-origin POSTs. */
export async function client(app: Express) {
  const server: Server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agent = request.agent(base);
  const token = async () => {
    const page = await agent.get("/collections").expect(200);
    return /name="token" value="([^"]+)"/.exec(page.text)![1]!;
  };
  let known: string | undefined;
  const post: Post = (url, fields, headers = {}) => {
    const send = agent.post(url).type("form").set("Origin", base).set(headers);
    return send.send({ token: known!, ...fields });
  };
  return {
    base,
    agent,
    post,
    async signIn() {
      known = await token();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The entries of a ZIP, as yauzl reads them: name → bytes. */
export function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out = new Map<string, Buffer>();
      zip.on("entry", (entry: yauzl.Entry) =>
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        }),
      );
      zip.on("end", () => resolve(out));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

const binary = (res: request.Response, done: (e: null, b: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on("data", (c: Buffer) => chunks.push(c));
  res.on("end", () => done(null, Buffer.concat(chunks)));
};

export function workspaceSuite(
  engine: string,
  setup: () => Promise<WorkspaceFixture>,
): void {
  describe(`the workspace, on ${engine}`, () => {
    let fx: WorkspaceFixture;
    let c: Awaited<ReturnType<typeof client>>;
    let slug: string;
    const id = (n: number) => `ws-suite-${n}`;

    beforeAll(async () => {
      fx = await setup();
      c = await client(fx.app);
      await c.signIn();
      for (const n of [1, 2, 3])
        await fx.putStatement({
          id: id(n),
          title: `Zanzibar accord, part ${n}`,
          body: `The zanzibar accord, part ${n}, names a ceasefire & a "joint" commission <b>now</b>.`,
          date: `2024-0${n}-1${n}`,
          source: n === 2 ? "Ministry {of} Ports" : "Office of the Envoy",
          url: `https://example.org/accord/${n}?a=1&b=2`,
        });
    }, 120_000);

    afterAll(async () => {
      await c?.close();
      await fx?.close?.();
    });

    it("makes a collection, redirecting to it, and lists it (with its JSON twin)", async () => {
      const made = await c.post("/collections", {
        name: "Zanzibar: the accord",
      });
      expect(made.status).toBe(303);
      slug = made.headers.location!.replace("/collections/", "");
      expect(slug).toBe("zanzibar-the-accord");
      const list = await c.agent.get("/collections.json").expect(200);
      expect(list.body.own).toMatchObject([
        {
          slug,
          name: "Zanzibar: the accord",
          count: 0,
          href: `/collections/${slug}`,
        },
      ]);
      const page = await c.agent.get("/collections").expect(200);
      expect(page.text).toContain(`href="/collections/${slug}"`);
      // The same name again gets a slug of its own.
      const again = await c.post("/collections", {
        name: "Zanzibar: the accord",
      });
      expect(again.headers.location).toBe(`/collections/${slug}-2`);
      await c.post(`/collections/${slug}-2/delete`, {}).expect(303);
    });

    it("adds statements with a note and tags, keeps their text, and takes one out", async () => {
      for (const n of [1, 2, 3])
        await c
          .post(`/collections/${slug}/statements`, {
            id: id(n),
            note:
              n === 1
                ? "Why it **matters**: see <https://example.org>\n\n- first\n- second"
                : "",
            tags: n === 1 ? "ceasefire, EU, ceasefire" : "ports",
          })
          .expect(303)
          .expect("location", `/collections/${slug}?added=${id(n)}`);
      // Again: the note and tags change, the statement keeps its place.
      await c
        .post(
          `/collections/${slug}/statements`,
          { id: id(2), note: "Second *thoughts*", tags: "ports, trade" },
          { Accept: "application/json" },
        )
        .expect(200)
        .expect((res) => expect(res.body.added).toBe(false));
      const json = (await c.agent.get(`/collections/${slug}.json`).expect(200))
        .body;
      expect(json.count).toBe(3);
      expect(json.items.map((i: { id: string }) => i.id)).toEqual([
        id(1),
        id(2),
        id(3),
      ]);
      expect(json.items[0]).toMatchObject({
        title: "Zanzibar accord, part 1",
        date: "2024-01-11",
        tags: ["ceasefire", "EU"],
        note: "Why it **matters**: see <https://example.org>\n\n- first\n- second",
        status: "unchanged",
      });
      expect(json.items[1]).toMatchObject({
        note: "Second *thoughts*",
        tags: ["ports", "trade"],
      });
      const html = (await c.agent.get(`/collections/${slug}`).expect(200)).text;
      expect(html).toContain("Why it <strong>matters</strong>");
      expect(html).toContain("<ul><li>first</li><li>second</li></ul>");
      await c
        .post(`/collections/${slug}/statements/${id(3)}/remove`, {})
        .expect(303);
      await c
        .post(`/collections/${slug}/statements/${id(3)}/remove`, {})
        .expect(404);
      const after = (await c.agent.get(`/collections/${slug}.json`).expect(200))
        .body;
      expect(after.items.map((i: { id: string }) => i.id)).toEqual([
        id(1),
        id(2),
      ]);
    });

    it("shows a change to a statement's file since it was added, and keeps the text as added", async () => {
      await fx.putStatement({
        id: id(2),
        title: "Zanzibar accord, part 2 (revised)",
        body: "The zanzibar accord, part 2, as revised.",
        date: "2024-02-12",
        source: "Ministry {of} Ports",
      });
      const json = (await c.agent.get(`/collections/${slug}.json`).expect(200))
        .body;
      expect(json.items[1]).toMatchObject({
        title: "Zanzibar accord, part 2",
        status: "changed",
        changeHref: `/collections/${slug}/statements/${id(2)}/change`,
      });
      const change = await c.agent
        .get(`${json.items[1].changeHref}.json`)
        .expect(200);
      expect(change.body.to.title).toBe("Zanzibar accord, part 2 (revised)");
      expect(change.body.body.added).toBeGreaterThan(0);
    });

    it("exports CSV and JSON Lines rows, BibTeX that BibTeX reads, and RIS that a RIS parser reads", async () => {
      const csv = await c.agent.get(`/collections/${slug}.csv`).expect(200);
      expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
      expect(csv.headers["content-disposition"]).toMatch(/attachment/);
      const rows = parseCsv(csv.text.replace(/^\ufeff/, ""));
      expect(rows[0]).toEqual([
        "id",
        "title",
        "date",
        "source",
        "url",
        "permalink",
        "first_read",
        "added",
        "tags",
        "note",
        "status",
      ]);
      expect(rows.slice(1).map((r) => [r[0], r[8], r[10]])).toEqual([
        [id(1), "ceasefire, EU", "unchanged"],
        [id(2), "ports, trade", "changed"],
      ]);
      expect(rows[1]![9]).toContain("- first\n- second");
      const lines = (
        await c.agent.get(`/collections/${slug}.jsonl`).expect(200)
      ).text
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(lines.map((l) => l.id)).toEqual([id(1), id(2)]);
      expect(lines[0].first_read).toMatch(/^\d{4}-\d{2}-\d{2}T/);

      const bib = (await c.agent.get(`/collections/${slug}.bib`).expect(200))
        .text;
      const entries = bibEntries(bib);
      expect(entries).toHaveLength(2);
      expect(entries[0]).toContain("keywords = {ceasefire, EU}");
      expect(entries[1]).toContain(
        "author = {{Ministry \\textbraceleft{}of\\textbraceright{} Ports}}",
      );
      const bibtex = await runBibtex(entries);
      if (bibtex) expect(bibtex).toMatchObject({ ok: true, items: 2 });

      const ris = (await c.agent.get(`/collections/${slug}.ris`).expect(200))
        .text;
      const records = parseRis(ris);
      expect(records.map((r) => r.title)).toEqual([
        "Zanzibar accord, part 1",
        "Zanzibar accord, part 2",
      ]);
      expect(records[0]).toMatchObject({
        keyword: ["ceasefire", "EU"],
        URL: "https://example.org/accord/1?a=1&b=2",
      });
    });

    it("packs the evidence: files, manifest, citations, notes and a README, with hashes that verify", async () => {
      if (fx.fileStatement)
        await c
          .post(`/collections/${slug}/statements`, { id: fx.fileStatement })
          .expect(303);
      const res = await c.agent
        .get(`/collections/${slug}.zip`)
        .buffer(true)
        .parse(binary)
        .expect(200)
        .expect("content-type", "application/zip");
      const entries = await unzip(res.body as Buffer);
      const names = [...entries.keys()];
      expect(names).toEqual(
        expect.arrayContaining([
          "manifest.csv",
          "citations.bib",
          "citations.ris",
          "notes.md",
          "README.txt",
          "SHA256SUMS",
        ]),
      );
      const manifest = parseCsv(entries.get("manifest.csv")!.toString("utf8"));
      expect(manifest[0]).toEqual([
        "id",
        "title",
        "source",
        "date",
        "url",
        "file",
        "sha256",
        "first_read",
        "added",
        "changed_since_added",
      ]);
      const rows = manifest.slice(1);
      expect(rows.map((r) => [r[0], r[9]])).toEqual([
        [id(1), "no"],
        [id(2), "yes"],
        ...(fx.fileStatement ? [[fx.fileStatement, "no"]] : []),
      ]);
      for (const row of rows) {
        const file = entries.get(row[5]!)!;
        expect(createHash("sha256").update(file).digest("hex")).toBe(row[6]);
        expect(row[7]).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      }
      // The changed statement's text as it was when added, beside the file as it is.
      expect(names.filter((n) => n.startsWith("kept/"))).toHaveLength(1);
      expect(
        entries.get(names.find((n) => n.startsWith("kept/"))!)!.toString(),
      ).toContain("names a ceasefire");
      expect(entries.get("README.txt")!.toString()).toContain(
        "sha256sum -c SHA256SUMS",
      );
      expect(entries.get("notes.md")!.toString()).toContain(
        "Why it **matters**",
      );
      expect(parseRis(entries.get("citations.ris")!.toString())).toHaveLength(
        rows.length,
      );
      // Unpacked, sha256sum -c checks every file listed, and every file is listed.
      const sums = entries.get("SHA256SUMS")!.toString().trim().split("\n");
      expect(sums.map((l) => l.split("  ")[1]).sort()).toEqual(
        names.filter((n) => n !== "SHA256SUMS").sort(),
      );
      const folder = await mkdtemp(path.join(os.tmpdir(), "readout-pack-"));
      try {
        await writeFile(path.join(folder, "pack.zip"), res.body as Buffer);
        const unpacked = spawnSync("unzip", ["-q", "pack.zip"], {
          cwd: folder,
        });
        if (unpacked.error) return; // no unzip here: the hashes were checked above
        const check = spawnSync("sha256sum", ["-c", "SHA256SUMS"], {
          cwd: folder,
          encoding: "utf8",
        });
        if (check.error) return;
        expect(check.status).toBe(0);
        expect(check.stdout.trim().split("\n")).toHaveLength(sums.length);
        expect(check.stdout).not.toMatch(/FAILED/);
        // A file changed after packing fails the check.
        const first = rows[0]![5]!;
        await writeFile(
          path.join(folder, first),
          (await readFile(path.join(folder, first))) + "x",
        );
        const tampered = spawnSync("sha256sum", ["-c", "SHA256SUMS"], {
          cwd: folder,
          encoding: "utf8",
        });
        expect(tampered.status).not.toBe(0);
        expect(tampered.stdout).toContain(`${first}: FAILED`);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });

    it("saves a search, and says how many statements are new since it was last opened", async () => {
      const saved = await c.post("/saved", {
        name: "Zanzibar",
        search: "q=zanzibar&page=3",
      });
      expect(saved.status).toBe(303);
      const savedSlug = saved.headers.location!.replace("/saved/", "");
      const count = async () =>
        (await c.agent.get("/saved.json").expect(200)).body.searches.find(
          (s: { slug: string }) => s.slug === savedSlug,
        );
      expect(await count()).toMatchObject({
        name: "Zanzibar",
        search: "q=zanzibar",
        fresh: 0,
      });
      await fx.putStatement({
        id: id(4),
        title: "Zanzibar accord, part 4",
        body: "A fourth zanzibar text.",
        date: "2020-01-01",
      });
      expect((await count()).fresh).toBe(1);
      // The JSON twin shows it without opening it; the page opens it.
      const json = (await c.agent.get(`/saved/${savedSlug}.json`).expect(200))
        .body;
      expect(json.fresh).toBe(1);
      expect(json.newStatements.map((s: { id: string }) => s.id)).toEqual([
        id(4),
      ]);
      expect(
        json.result.hits
          .filter((h: { isNew: boolean }) => h.isNew)
          .map((h: { id: string }) => h.id),
      ).toEqual([id(4)]);
      const feed = await c.agent.get(`/saved/${savedSlug}.atom`).expect(200);
      expect(feed.headers["content-type"]).toMatch(/^application\/atom\+xml/);
      expect(feed.text.indexOf(`statements/${id(4)}`)).toBeGreaterThan(-1);
      expect(feed.text.indexOf(`statements/${id(4)}`)).toBeLessThan(
        feed.text.indexOf(`statements/${id(1)}`),
      );
      const page = await c.agent.get(`/saved/${savedSlug}`).expect(200);
      expect(page.text).toContain("<strong>1 new</strong>");
      expect(page.text).toContain('class="badge-new">New<');
      const list = await c.agent.get("/saved").expect(200);
      expect(list.text).toContain("nothing new");
      expect((await count()).fresh).toBe(0);
    });

    it("answers a bad field with a 400 that names it", async () => {
      const bad = async (
        url: string,
        fields: Record<string, string>,
        field: string,
      ) => {
        const res = await c.post(url, fields, { Accept: "application/json" });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(new RegExp(`^${field}: `));
      };
      await bad("/collections", { name: "  " }, "name");
      await bad("/collections", { name: "x".repeat(101) }, "name");
      await bad(
        `/collections/${slug}/statements`,
        { id: id(1), note: "x".repeat(100 * 1024 + 1) },
        "note",
      );
      await bad(
        `/collections/${slug}/statements`,
        { id: id(1), tags: "<script>" },
        "tags",
      );
      await bad(
        `/collections/${slug}/statements`,
        {
          id: id(1),
          tags: Array.from({ length: 21 }, (_, i) => `t${i}`).join(","),
        },
        "tags",
      );
      await bad(
        `/collections/${slug}/statements`,
        { id: "no-such-statement" },
        "id",
      );
      await bad("/saved", { name: "Nothing", search: "page=2" }, "search");
      // Larger than any form may be: refused before it is read.
      const huge = await c.post(
        `/collections/${slug}/statements`,
        { id: id(1), note: "x".repeat(300 * 1024) },
        { Accept: "application/json" },
      );
      expect(huge.status).toBe(413);
    });
  });
}
