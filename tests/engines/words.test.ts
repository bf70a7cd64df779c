import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import type { Statement } from "../../src/archive.ts";
import { createApp } from "../../src/web/app.ts";
import { archiveOn, ENGINES } from "../engines.ts";

const statement = (id: string, title: string, body: string): Statement => ({
  id,
  title,
  body,
  meta: Object.create(null) as Record<string, string>,
  origin: { file: `${id}.md` },
});

const statements = [
  statement("en", "Lavrov meets envoy", "Minister Lavrov discussed sanctions."),
  statement("ru", "Встреча", "Министр Лавров обсудил санкции с посланником."),
  statement("other", "Trade talks", "A sanction was lifted on trade."),
  statement("zel-en", "Address", "President Zelensky addressed parliament."),
  statement("zel-yy", "Visit", "President Zelenskyy visited the front."),
  statement(
    "zel-ru",
    "Обращение",
    "Президент Зеленский обратился к парламенту.",
  ),
  statement(
    "zel-uk",
    "Звернення",
    "Президент Зеленський звернувся до парламенту.",
  ),
];

const ids = (body: { hits: { id: string }[] }) =>
  body.hits.map((h) => h.id).sort();

describe.each(ENGINES)(
  "what else a word finds (words=…), %s engine",
  (engine) => {
    const archive = archiveOn(engine, statements);
    let app: ReturnType<typeof createApp>;
    beforeAll(() => {
      app = createApp(archive(), { env: "test" });
    });

    it("finds a name in every script it is written in: Zelensky = Зеленский = Зеленський", async () => {
      const latin = await request(app)
        .get("/search.json?q=zelensky")
        .expect(200);
      expect(ids(latin.body)).toEqual(["zel-en", "zel-ru", "zel-uk", "zel-yy"]);
      const ukrainian = await request(app)
        .get("/search.json?q=Зеленський")
        .expect(200);
      expect(ids(ukrainian.body)).toEqual(["zel-en", "zel-uk", "zel-yy"]);
    });

    it("finds a name in another script and lists it under “Searching for”", async () => {
      const res = await request(app).get("/search.json?q=lavrov").expect(200);
      expect(ids(res.body)).toEqual(["en", "ru"]);
      expect(res.body.variants).toEqual([
        { word: "lavrov", also: ["лавров"], more: 0 },
      ]);
      const page = await request(app).get("/search?q=lavrov").expect(200);
      expect(page.text).toMatch(
        /Also finding\s*<b dir="auto">lavrov<\/b>: <span dir="auto">лавров<\/span>/,
      );
      expect(page.text).toContain('href="/search?q=lavrov&amp;words=exact"');
    });

    it("keeps other forms but not other scripts with words=forms", async () => {
      const names = await request(app)
        .get("/search.json?q=lavrov&words=forms")
        .expect(200);
      expect(ids(names.body)).toEqual(["en"]);
      const forms = await request(app)
        .get("/search.json?q=sanction&words=forms")
        .expect(200);
      expect(ids(forms.body)).toEqual(["en", "other"]);
    });

    it("finds each word only as typed with words=exact, and says how to widen it", async () => {
      const res = await request(app)
        .get("/search.json?q=sanction&words=exact")
        .expect(200);
      expect(ids(res.body)).toEqual(["other"]);
      expect(res.body.variants).toEqual([]);
      const page = await request(app)
        .get("/search?q=sanction&words=exact")
        .expect(200);
      expect(page.text).toContain("Only the words as typed are searched.");
      expect(page.text).toContain('href="/search?q=sanction"');
      expect(page.text).toMatch(/<option value="exact" selected>/);
    });

    it("reports an unknown choice and searches as by default", async () => {
      const res = await request(app)
        .get("/search.json?q=lavrov&words=loose")
        .expect(200);
      expect(ids(res.body)).toEqual(["en", "ru"]);
      expect(res.body.notes).toContain(
        'Unknown words "loose" ignored; choose "variants", "forms", "exact".',
      );
    });
  },
);
