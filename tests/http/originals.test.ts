import { cp, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryArchive } from "../../src/archive.ts";
import { createApp } from "../../src/web/app.ts";
import { fixtures } from "../helpers.ts";

let dir: string;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "readout-originals-"));
  await cp(
    path.join(fixtures, "formats", "text.pdf"),
    path.join(dir, "text.pdf"),
  );
  await cp(
    path.join(fixtures, "formats", "page-chrome.html"),
    path.join(dir, "page.html"),
  );
  await writeFile(
    path.join(dir, "records.jsonl"),
    JSON.stringify({
      id: "rec",
      title: "Заявление министерства иностранных дел",
      body: "Заявление министерства иностранных дел о переговорах по мирному урегулированию.",
    }),
  );
  const archive = MemoryArchive.fromFolder({ dataDir: dir, cacheDir: null });
  await archive.open();
  app = createApp(archive, { env: "test" });
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("a statement's original file", () => {
  it("is offered on its page and sent as an attachment with its type, never as a page", async () => {
    const page = await request(app).get("/statements/page").expect(200);
    expect(page.text).toContain(
      'href="/originals/page" download>Download the file (html,',
    );
    const file = await request(app).get("/originals/page").expect(200);
    expect(file.headers["content-type"]).toMatch(/^text\/html/);
    expect(file.headers["content-disposition"]).toMatch(
      /^attachment; filename="page.html"/,
    );
    expect(file.headers["content-security-policy"]).toMatch(/sandbox/);
    const pdf = await request(app).get("/originals/text").expect(200);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
  });

  it("is not offered for a record of a JSON Lines file, nor for an unknown id", async () => {
    const page = await request(app).get("/statements/rec").expect(200);
    expect(page.text).not.toContain("/originals/");
    await request(app).get("/originals/rec").expect(404);
    await request(app).get("/originals/nothing").expect(404);
  });

  it("is not sent once a link has replaced it that leads outside the folder", async () => {
    await rm(path.join(dir, "page.html"));
    await symlink("/etc/hostname", path.join(dir, "page.html"));
    await request(app).get("/originals/page").expect(404);
  });
});

describe("pages and languages", () => {
  it("mark where each page of a PDF begins", async () => {
    const json = await request(app).get("/statements/text.json").expect(200);
    expect(json.body.pages?.[0]).toBe(1);
    expect(Math.max(...json.body.pages)).toBeGreaterThan(1);
    const page = await request(app).get("/statements/text").expect(200);
    expect(page.text).toContain(
      '<p class="page-marker" id="page-2">Page 2</p>',
    );
  });

  it("are a facet and a filter, and mark each statement's text", async () => {
    const all = await request(app).get("/search.json?q=&lang=ru").expect(200);
    expect(all.body.hits.map((h: { id: string }) => h.id)).toEqual(["rec"]);
    const syntax = await request(app).get("/search.json?q=lang:ru").expect(200);
    expect(syntax.body.total).toBe(1);
    const facets = await request(app)
      .get("/search.json?q=lang:ru OR lang:en")
      .expect(200);
    const lang = facets.body.facets.find(
      (f: { field: string }) => f.field === "lang",
    );
    expect(lang.label).toBe("Language");
    expect(lang.values.map((v: { label: string }) => v.label)).toContain(
      "Russian",
    );
    const page = await request(app).get("/statements/rec").expect(200);
    expect(page.text).toContain(
      '<article class="statement" lang="ru" dir="auto">',
    );
  });
});
