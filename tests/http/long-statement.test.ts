import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { MemoryArchive } from "../../src/archive.ts";
import type { Statement } from "../../src/ingest/statement.ts";
import { PART_CHARS } from "../../src/text/parts.ts";
import { createApp } from "../../src/web/app.ts";

// About 2.5 parts: 250 paragraphs of ~1,000 characters; those numbered 0–2, 100–102 and
// 200–202 mention the mongoose.
const paragraph = (n: number) =>
  `Paragraph ${n}${n % 100 < 3 ? " mentions the mongoose" : ""}. ` +
  "lorem ipsum dolor sit amet ".repeat(36);
const body = Array.from({ length: 250 }, (_, n) => paragraph(n)).join("\n\n");
const long: Statement = {
  id: "transcript",
  title: "A very long transcript",
  body,
  meta: {},
  origin: { file: "transcript.txt" },
};

let app: ReturnType<typeof createApp>;
beforeAll(() => {
  app = createApp(MemoryArchive.fromStatements([long]), { env: "test" });
});

describe("a statement longer than one part", () => {
  it("shows one part at a time, so the page stays bounded", async () => {
    const page = await request(app)
      .get("/statements/transcript?q=mongoose+abcdefghij")
      .expect(200);
    expect(body.length).toBeGreaterThan(2 * PART_CHARS);
    expect(page.text.length).toBeLessThan(1.2 * PART_CHARS);
    expect(page.text).toContain("part 1 of 3");
    expect(page.text).toContain(
      'href="/statements/transcript?q=mongoose+abcdefghij&amp;part=2">next part</a>',
    );
    expect(page.text).not.toContain("Paragraph 150.");
  });

  it("marks and numbers the matches of the part shown, and links them within it", async () => {
    const json = await request(app)
      .get("/statements/transcript.json?q=mongoose&part=2&m=2")
      .expect(200);
    // Paragraphs of ~1,000 characters: part 2 holds 101 to 201, of which 101, 102, 200 and
    // 201 mention the mongoose.
    expect(json.body).toMatchObject({ part: 2, parts: 3, matches: 4 });
    expect(json.body.paragraphs[0]).toMatch(/^Paragraph 101 /);
    expect(json.body.paragraphs.at(-1)).toMatch(/^Paragraph 201 /);
    expect(json.body.links).toMatchObject({
      prevPart: "/statements/transcript?q=mongoose",
      nextPart: "/statements/transcript?q=mongoose&part=3",
      prev: "/statements/transcript?q=mongoose&part=2#m1",
      next: "/statements/transcript?q=mongoose&part=2&m=3#m3",
    });
    // The JSON twin keeps the whole text as data.
    expect(json.body.body).toBe(body);
  });

  it("shows the first part for a part out of range", async () => {
    const json = await request(app)
      .get("/statements/transcript.json?part=99")
      .expect(200);
    expect(json.body).toMatchObject({ part: 1, parts: 3 });
  });
});
