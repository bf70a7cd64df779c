import request from "supertest";
import { copyFileSync, mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseQuery } from "../../src/query/params.ts";
import { createApp } from "../../src/web/app.ts";
import { archiveOn, ENGINES } from "../engines.ts";
import { fixtureApp, fixtureData, fixtures } from "../helpers.ts";

describe.each(ENGINES)("%s engine", (engine) => {
  const archive = archiveOn(engine, fixtureData);
  let app: ReturnType<typeof createApp>;
  beforeAll(() => {
    app = createApp(archive(), { env: "test" });
  });

  describe("GET /statements/:id", () => {
    it("shows the whole statement with its date, source, link and metadata", async () => {
      const res = await request(app)
        .get("/statements/rec-sanctions-2023")
        .expect(200);
      expect(res.text).toContain("<h1>Statement on sanctions</h1>");
      expect(res.text).toContain(
        '<time datetime="2023-06-01T12:00:00Z">1 June 2023</time>',
      );
      expect(res.text).toContain(
        '<a class="original" href="https://example.org/sanctions" rel="noopener noreferrer">Original</a>',
      );
      expect(res.text).toContain("<dt>country</dt><dd>Belgium</dd>");
      expect(res.text).toContain(
        "<p>The Council adopted sanctions against twelve individuals.</p>",
      );
      expect(res.text).toContain(
        "<p>The sanctions include an asset freeze.</p>",
      );
    });

    it("serves ids with folders in them", async () => {
      const res = await request(app)
        .get("/statements/Azerbaijan-MFA/accents-agdam")
        .expect(200);
      expect(res.text).toContain("Foreign Ministry comments on the Ağdam road");
    });

    it("marks every match and counts them when arriving from a search", async () => {
      const res = await request(app)
        .get("/statements/seed-format-ceasefire?q=ceasefire")
        .expect(200);
      expect(res.text).toContain(
        '<h1>Joint statement on the <mark id="m1" class="current">ceasefire</mark> agreement</h1>',
      );
      expect(res.text).toContain(
        '<mark id="m2">ceasefire</mark> that takes effect',
      );
      expect(res.text).toContain(
        'match <a href="/statements/seed-format-ceasefire?q=ceasefire#m1">1</a> of 3',
      );
      expect(res.text).toContain(
        '<a rel="next" href="/statements/seed-format-ceasefire?q=ceasefire&amp;m=2#m2">next match</a>',
      );
      expect(res.text).toContain(
        '<a href="/search?q=ceasefire">← Back to results for <q>ceasefire</q></a>',
      );
    });

    it("moves the current match with m, linking previous and next", async () => {
      const res = await request(app)
        .get("/statements/seed-format-ceasefire?q=ceasefire&m=3")
        .expect(200);
      expect(res.text).toContain(
        '<mark id="m3" class="current">ceasefire</mark>',
      );
      expect(res.text).toContain(
        '<a rel="prev" href="/statements/seed-format-ceasefire?q=ceasefire&amp;m=2#m2">previous match</a>',
      );
      expect(res.text).toContain('<span class="disabled">next match</span>');
    });

    it("shows markup in a statement as text", async () => {
      const res = await request(app)
        .get("/statements/markup-lt-amp")
        .expect(200);
      expect(res.text).toContain(
        "<h1>Statement on &lt;script&gt; tags &amp; entities</h1>",
      );
      expect(res.text).toContain(
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;",
      );
      expect(res.text).toContain("AT&amp;amp;T");
      expect(res.text).not.toContain('<script>alert("x")');
    });
  });

  describe("GET /statements/:id.json", () => {
    it("returns the statement as data", async () => {
      const res = await request(app)
        .get("/statements/rec-zeugma-2022.json")
        .expect(200)
        .expect("content-type", /json/);
      expect(res.body).toEqual({
        id: "rec-zeugma-2022",
        title: "Visit to Gaziantep",
        date: "2022",
        source: "Council of the EU",
        lang: "en",
        body: "The delegation visited the Zeugma mosaic museum in Gaziantep.",
        meta: { country: "Türkiye" },
        origin: { file: "records.jsonl", line: 2 },
        // When Readout first read it: what saved searches call new.
        firstRead: expect.stringMatching(
          /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
        ),
        dateLabel: "2022",
        titleHtml: "Visit to Gaziantep",
        paragraphs: [
          "The delegation visited the Zeugma mosaic museum in Gaziantep.",
        ],
        matches: 0,
        current: 0,
        part: 1,
        parts: 1,
        links: { json: "/statements/rec-zeugma-2022.json" },
        versions: [],
        history: [],
        otherVersions: [],
        href: "/statements/rec-zeugma-2022",
        citation: {
          text: expect.stringContaining(
            "“Visit to Gaziantep.” 2022. Readout, file records.jsonl, line 2 (accessed",
          ),
          bibtex: expect.stringContaining("@misc{rec-zeugma-2022-a9b183ca,"),
          ris: expect.stringContaining("TI  - Visit to Gaziantep\r\n"),
          csl: expect.objectContaining({ title: "Visit to Gaziantep" }),
        },
        related: [
          expect.objectContaining({
            id: "press-release",
            href: "/statements/press-release",
          }),
        ],
      });
    });

    it("answers an unknown id with a 404 in JSON", async () => {
      const res = await request(app).get("/statements/nope.json").expect(404);
      expect(res.body).toEqual({
        error: { status: 404, message: 'No statement has the id "nope".' },
      });
    });
  });

  describe("a PDF's pages", () => {
    const pdfs = mkdtempSync(path.join(os.tmpdir(), "readout-pages-"));
    copyFileSync(
      path.join(fixtures, "formats", "text.pdf"),
      path.join(pdfs, "text.pdf"),
    );
    afterAll(() => rm(pdfs, { recursive: true, force: true }));
    const paged = archiveOn(engine, pdfs);

    it("mark where each page begins beside its paragraphs", async () => {
      const view = await paged().statement("text", parseQuery({}));
      expect(view?.statement.pages).toEqual([0, 228]);
      const second = view!.paragraphs.findIndex((p) =>
        p.startsWith("A joint commission"),
      );
      expect(second).toBeGreaterThan(0);
      expect(view!.pages).toEqual(
        view!.paragraphs.map((_, i) => (i < second ? 1 : 2)),
      );
      const html = await request(createApp(paged(), { env: "test" }))
        .get("/statements/text")
        .expect(200);
      expect(html.text).toContain("Page 2");
    });
  });
});

describe("a statement read by OCR", () => {
  it("says so above its text, with Tesseract's mean confidence, and in its JSON", async () => {
    const { MemoryArchive } = await import("../../src/archive.ts");
    const scanned = createApp(
      MemoryArchive.fromStatements([
        {
          id: "letter",
          title: "Letter on the review",
          body: "I have been following the review.",
          meta: Object.assign(Object.create(null), {
            ocr: "pages 1–7, Tesseract eng, mean confidence 94%",
          }),
          origin: { file: "letter.pdf" },
        },
      ]),
    );
    const page = await request(scanned).get("/statements/letter").expect(200);
    expect(page.text).toContain(
      '<p class="note ocr">This text was read by OCR (pages 1–7, Tesseract eng, mean confidence 94%): it may hold misread words; the original file shows the pages as printed.</p>',
    );
    const json = await request(scanned)
      .get("/statements/letter.json")
      .expect(200);
    expect(json.body.meta.ocr).toBe(
      "pages 1–7, Tesseract eng, mean confidence 94%",
    );
    const plain = await request(await fixtureApp()).get(
      "/statements/rec-sanctions-2023",
    );
    expect(plain.text).not.toContain('class="note ocr"');
  });
});
