import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/web/app.ts";
import { archiveOn, ENGINES } from "../engines.ts";
import { fixtureData } from "../helpers.ts";

describe.each(ENGINES)("%s engine", (engine) => {
  const archive = archiveOn(engine, fixtureData);
  let app: ReturnType<typeof createApp>;
  beforeAll(() => {
    app = createApp(archive(), { env: "test" });
  });

  type Facet = {
    field: string;
    values: { value: string; count: number; selected: boolean }[];
  };
  const json = async (url: string) =>
    (await request(app).get(url).expect(200)).body;

  describe("facets", () => {
    it("count the matches by source, year and metadata field", async () => {
      const body = await json("/search.json?q=the&size=100");
      const facets = Object.fromEntries(
        body.facets.map((f: Facet) => [
          f.field,
          f.values.map((v) => [v.value, v.count]),
        ]),
      );
      expect(facets.source).toEqual([
        ["Council of the EU", 2],
        ["Port Authority", 2],
        ["Azerbaijan MFA", 1],
        ["Government of Ukraine", 1],
        ["Ministry of Culture", 1],
      ]);
      expect(facets.year).toEqual([
        ["2024", 4],
        ["2023", 2],
        ["2022", 2],
        ["2021", 1],
      ]);
      expect(facets.category).toEqual([
        ["culture", 1],
        ["foreign-affairs", 1],
      ]);
      expect(facets.country).toEqual([
        ["Belgium", 1],
        ["Türkiye", 1],
      ]);
    });

    it("give counts that equal the number of hits once selected", async () => {
      const all = await json("/search.json?q=the&size=100");
      for (const facet of all.facets as Facet[]) {
        for (const { value, count } of facet.values) {
          const narrowed = await json(
            `/search.json?q=the&size=100&${facet.field}=${encodeURIComponent(value)}`,
          );
          expect(narrowed.total).toBe(count);
          expect(narrowed.hits).toHaveLength(count);
        }
      }
    });

    it("take several values of one facet as any of them, and facets together as all", async () => {
      expect(
        (
          await json(
            "/search.json?q=the&source=Port+Authority&source=Council+of+the+EU",
          )
        ).total,
      ).toBe(4);
      expect(
        (await json("/search.json?q=the&source=Port+Authority&year=2024"))
          .total,
      ).toBe(1);
    });

    it("offer no selected value that no statement has", async () => {
      const body = await json("/search.json?q=the&source=Nobody+At+All");
      expect(body.total).toBe(0);
      const source = body.facets.find((f: Facet) => f.field === "source");
      // The other sources stay offered (a facet ignores its own selection); the unknown one not.
      expect(source.values.map((v: { value: string }) => v.value)).toEqual([
        "Council of the EU",
        "Port Authority",
        "Azerbaijan MFA",
        "Government of Ukraine",
        "Ministry of Culture",
      ]);
    });

    it("take a filter alone, echoes=1 too, as a search", async () => {
      for (const params of ["echoes=1", "source=Port+Authority", "year=2024"])
        expect((await json(`/search.json?${params}`)).searched).toBe(true);
      expect((await json("/search.json?q=")).searched).toBe(false);
    });

    it("keep the other values of a facet visible when one is selected", async () => {
      const body = await json("/search.json?q=the&source=Port+Authority");
      const source = body.facets.find((f: Facet) => f.field === "source");
      expect(source.values.length).toBe(5);
      expect(
        source.values
          .filter((v: { selected: boolean }) => v.selected)
          .map((v: { value: string }) => v.value),
      ).toEqual(["Port Authority"]);
    });

    it("render as a form of labelled checkboxes in fieldsets, with removable chips", async () => {
      const res = await request(app)
        .get("/search?q=the&source=Port+Authority")
        .expect(200);
      expect(res.text).toMatch(/<fieldset>\s*<legend>Source<\/legend>/);
      expect(res.text).toMatch(
        /<input type="checkbox" id="f0-\d+" name="source" value="Port Authority" checked>\s*<label for="f0-\d+">Port Authority <span class="count">\(2\)<\/span><\/label>/,
      );
      expect(res.text).toContain(
        'Source: Port Authority <a href="/search?q=the" aria-label="Remove filter Source: Port Authority">×</a>',
      );
    });
  });

  describe("timeline", () => {
    it("counts matches per month when they span less than three years, every month between included", async () => {
      const body = await json("/search.json?q=the");
      expect(body.timeline.unit).toBe("month");
      expect(body.timeline.bars).toHaveLength(31);
      expect(body.timeline.bars[0]).toMatchObject({
        label: "Nov 2021",
        from: "2021-11",
        to: "2021-11",
        count: 1,
      });
      expect(body.timeline.bars[1]).toMatchObject({
        label: "Dec 2021",
        count: 0,
      });
      // rec-zeugma-2022 is dated only "2022": it counts in each month of 2022.
      expect(body.timeline.spread).toBe(1);
      expect(body.timeline.bars.at(-1)).toMatchObject({
        label: "May 2024",
        from: "2024-05",
        count: 3,
      });
    });

    it("has bars whose links narrow the date range to their period", async () => {
      const body = await json("/search.json?q=the");
      for (const bar of body.timeline.bars) {
        expect(bar.href).toBe(`/search?q=the&from=${bar.from}&to=${bar.to}`);
        const narrowed = await json(
          bar.href.replace("/search", "/search.json"),
        );
        expect(narrowed.total).toBe(bar.count);
      }
    });

    it("is drawn as SVG with a link and a label per bar, and a table", async () => {
      const res = await request(app).get("/search?q=the").expect(200);
      expect(res.text).toContain(
        '<a href="/search?q=the&amp;from=2024-05&amp;to=2024-05" aria-label="May 2024: 3 statements">',
      );
      expect(res.text).toContain("<summary>The timeline as a table</summary>");
    });
  });
});

// Fifty statements: `ref` names nearly each one (the last three share one), `desk` groups them in pairs (25 values), `topic` in
// tens. An identifier is no facet; a field of many shared values is.
const refs = Array.from({ length: 50 }, (_, i) => ({
  id: `ref-${i}`,
  title: `Briefing ${i}`,
  body: `A briefing on harbour dues, number ${i}.`,
  meta: {
    ref: `REF/${1000 + Math.min(i, 47)}`,
    desk: `desk ${Math.floor(i / 2)}`,
    topic: `topic ${i % 5}`,
  },
  origin: { file: `refs.jsonl`, line: i + 1 },
}));

describe.each(ENGINES)("%s engine, a field of identifiers", (engine) => {
  const archive = archiveOn(engine, refs);
  it("is no facet; fields whose values statements share are", async () => {
    const app = createApp(archive(), { env: "test" });
    const body = (
      await request(app).get("/search.json?q=harbour&size=5").expect(200)
    ).body;
    const fields = body.facets.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(["desk", "topic"]));
    expect(fields).not.toContain("ref");
  });
});
