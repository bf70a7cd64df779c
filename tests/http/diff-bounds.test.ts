import request from "supertest";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { MemoryArchive } from "../../src/archive.ts";
import type { Statement } from "../../src/ingest/statement.ts";
import { diffStatements } from "../../src/versions/diff.ts";
import { diffLimits } from "../../src/versions/diff-pool.ts";
import { createApp } from "../../src/web/app.ts";

// Two long statements (past the size compared in the request's own thread), one a revision
// of the other, and a short one.
const paragraph = (n: number) =>
  `Paragraph ${n} of the long report on harbour works and the flood defences of the coast.`;
const long = Array.from({ length: 400 }, (_, i) => paragraph(i)).join("\n\n");
const revised = long
  .replace("Paragraph 7 of", "Paragraph seven of")
  .replace("Paragraph 300 of the long", "Paragraph 300 of the longer");
const statement = (id: string, body: string): Statement => ({
  id,
  title: `Report ${id}`,
  body,
  meta: {},
  origin: { file: `${id}.txt` },
});
const statements = [
  statement("report", long),
  statement("report-revised", revised),
  statement("note", "A short note on the harbour."),
];

let app: ReturnType<typeof createApp>;
beforeAll(() => {
  app = createApp(MemoryArchive.fromStatements(statements), { env: "test" });
});

// Starting the diff worker (through tsx) takes seconds on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

const saved = { ...diffLimits };
afterEach(() => Object.assign(diffLimits, saved));

describe("a diff of long statements", () => {
  it("is computed apart from the request's thread, as diff.ts computes it", async () => {
    expect(long.length).toBeGreaterThan(diffLimits.inlineChars);
    const res = await request(app)
      .get("/statements/report/diff/report-revised.json")
      .expect(200);
    const oracle = diffStatements(statements[0]!, statements[1]!);
    expect(res.body.body).toEqual(JSON.parse(JSON.stringify(oracle.body)));
    expect(res.body.body.html.join("")).toContain(
      "<del>7</del><ins>seven</ins>",
    );
  });

  it("is stopped with a clear page past its time, and the next diff is answered", async () => {
    diffLimits.seconds = 0.001;
    const page = await request(app)
      .get("/statements/report/diff/report-revised")
      .expect(200);
    expect(page.text).toContain("Too long to compare");
    expect(page.text).toContain(
      "Comparing these two statements took longer than 0.001 s and was stopped.",
    );
    expect(page.text).toContain('href="/statements/report"');
    expect(page.text).toContain('href="/statements/report-revised"');
    diffLimits.seconds = saved.seconds;
    const res = await request(app)
      .get("/statements/report-revised/diff/report.json")
      .expect(200);
    expect(res.body.body.added).toBeGreaterThan(0);
  });

  it("is not attempted past the size bound: the page says why, and so does its JSON twin", async () => {
    diffLimits.chars = 10_000;
    const res = await request(app)
      .get("/statements/note/diff/report.json")
      .expect(200);
    expect(res.body).toEqual({
      from: { id: "note", title: "Report note", href: "/statements/note" },
      to: { id: "report", title: "Report report", href: "/statements/report" },
      tooLong: `The second statement is ${(long.length + 13).toLocaleString("en")} characters long; Readout compares statements of up to 10,000 characters. Open each one to read it.`,
    });
    // Short statements are still compared.
    await request(app).get("/statements/note/diff/note.json").expect(200);
  });

  it("waits for a turn as heavy work does", async () => {
    const archive = MemoryArchive.fromStatements(statements);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    const slow = Object.create(archive) as typeof archive;
    slow.search = async (query, signal) => {
      started = true;
      await held;
      return archive.search(query, signal);
    };
    const server = createApp(slow, {
      env: "test",
      admission: { running: 1, waiting: 0, retryAfter: 1 },
    }).listen(0, "127.0.0.1");
    try {
      await new Promise((resolve) => server.once("listening", resolve));
      const search = request(server)
        .get("/search?q=harbour")
        .then((r) => r.status);
      while (!started) await new Promise((r) => setTimeout(r, 5));
      // The one place is taken by a search: a diff, like a search, is refused at once.
      for (const path of [
        "/statements/report/diff/report-revised",
        "/statements/report/changes/1.json",
      ])
        expect((await request(server).get(path)).status).toBe(503);
      // A statement page costs no search.
      await request(server).get("/statements/report").expect(200);
      release();
      expect(await search).toBe(200);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
