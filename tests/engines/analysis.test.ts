import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { searchTimeLimit } from "../../src/runtime/deadline.ts";
import { createApp } from "../../src/web/app.ts";
import { archiveOn, ENGINES } from "../engines.ts";
import { fixtureData, parseCsv } from "../helpers.ts";
import { FORMULA, standoutStatements } from "../standout-fixture.ts";
import { tokenize } from "../../src/text/terms.ts";

type Line = {
  left: string;
  match: string;
  right: string;
  href: string;
  id: string;
};
const words = (text: string) => tokenize(text).map((t) => t.term);

// The analysis views (issue 26) over the shared fixture archive, through the seam, on each engine.
describe.each(ENGINES)("analysis views, %s engine", (engine) => {
  const archive = archiveOn(engine, fixtureData);
  let app: ReturnType<typeof createApp>;
  beforeAll(() => {
    app = createApp(archive(), { env: "test" });
  });
  const json = async (url: string) =>
    (await request(app).get(url).expect(200)).body;

  describe("compare over time", () => {
    type Period = { label: string; from: string; to: string; total: number };
    type Series = { q: string; counts: number[]; shares: (number | null)[] };

    it("counts per period what the search for that query and period finds, and shares of all its statements", async () => {
      const c = await json(
        "/compare.json?q=the&q=ceasefire&q=minister&unit=year",
      );
      expect(c.unit).toBe("year");
      expect(c.series.map((s: Series) => s.q)).toEqual([
        "the",
        "ceasefire",
        "minister",
      ]);
      const periods = c.periods as Period[];
      expect(periods.length).toBeGreaterThan(1);
      let nonzero = 0;
      for (const [i, p] of periods.entries()) {
        const all = await json(`/search.json?from=${p.from}&to=${p.to}`);
        expect(p.total).toBe(all.total);
        for (const s of c.series as Series[]) {
          const found = await json(
            `/search.json?q=${encodeURIComponent(s.q)}&from=${p.from}&to=${p.to}`,
          );
          expect([s.q, p.label, s.counts[i]]).toEqual([
            s.q,
            p.label,
            found.total,
          ]);
          if (s.counts[i]! > 0) nonzero++;
          expect(s.shares[i]).toBe(p.total ? s.counts[i]! / p.total : null);
        }
      }
      expect(nonzero).toBeGreaterThan(2);
    });

    it("keeps the filters for every query and the totals", async () => {
      const c = await json(
        "/compare.json?q=the&source=Port+Authority&unit=year",
      );
      const sum = (c.periods as Period[]).reduce((n, p) => n + p.total, 0);
      const all = await json("/search.json?source=Port+Authority");
      expect(sum).toBe(all.total);
      expect(c.series[0].sum).toBe(
        (await json("/search.json?q=the&source=Port+Authority")).total,
      );
    });

    it("draws a line per query whose points link to their searches, with a table and a CSV of the same numbers", async () => {
      const page = await request(app)
        .get("/compare?q=the&q=ceasefire&unit=year")
        .expect(200);
      expect(page.text).toContain('<svg class="line-chart"');
      expect(page.text).toContain('class="chart-table"');
      expect(page.text).toContain(
        'href="/search?q=ceasefire&amp;from=2023&amp;to=2023"',
      );
      const csv = parseCsv(
        (await request(app).get("/compare.csv?q=the&q=ceasefire&unit=year"))
          .text,
      );
      const c = await json("/compare.json?q=the&q=ceasefire&unit=year");
      expect(csv[0]).toEqual([
        "\ufeffperiod",
        "from",
        "to",
        "all statements",
        "the",
        "the (share)",
        "ceasefire",
        "ceasefire (share)",
      ]);
      expect(
        csv.slice(1).map((r) => [r[0], Number(r[3]), Number(r[6])]),
      ).toEqual(
        (c.periods as Period[]).map((p, i) => [
          p.label,
          p.total,
          c.series[1].counts[i],
        ]),
      );
    });

    it("compares at most six queries and says so", async () => {
      const qs = ["a1", "b2", "c3", "d4", "e5", "f6", "g7"];
      const c = await json(
        `/compare.json?${qs.map((q) => `q=${q}`).join("&")}`,
      );
      expect(c.queries).toEqual(qs.slice(0, 6));
      expect(c.notes.join(" ")).toContain("“g7”");
    });
  });

  describe("concordance", () => {
    const lines = async (url: string) => {
      const first = await json(url);
      const out: Line[] = [...first.lines];
      for (let p = 2; p <= first.pageCount; p++)
        out.push(...(await json(`${url}&page=${p}`)).lines);
      expect(out.length).toBe(first.total);
      return out;
    };

    it("gives lines whose match is the mark its link points to on the statement page", async () => {
      const all = await lines("/concordance.json?q=ceasefire");
      expect(all.length).toBeGreaterThan(2);
      for (const line of all) {
        expect(words(line.match)).toEqual(["ceasefire"]);
        const [path, mark] = line.href.split("#") as [string, string];
        const page = await request(app).get(path).expect(200);
        const marked = new RegExp(
          `<mark id="${mark}"[^>]*>([^<]*)</mark>([^]{0,400})`,
        );
        const found = marked.exec(page.text);
        expect(found?.[1]).toBe(line.match);
        // The words after the mark are the line's right context: the same place, not only the same word.
        const after = words(found![2]!.replace(/<[^>]*>/g, " "));
        const right = words(line.right).slice(0, 3);
        expect(after.slice(0, right.length)).toEqual(right);
      }
    });

    it("aligns a phrase on its first word", async () => {
      const all = await lines("/concordance.json?q=%22ceasefire+agreement%22");
      expect(all.length).toBeGreaterThan(0);
      for (const line of all)
        expect(words(line.match)).toEqual(["ceasefire", "agreement"]);
    });

    it("sorts by the right context, the left context read outwards, and by the commonest neighbour", async () => {
      const key = (l: Line, side: "left" | "right") =>
        side === "left" ? words(l.left).reverse() : words(l.right);
      const cmp = (a: string[], b: string[]) => {
        for (let i = 0; i < a.length && i < b.length; i++)
          if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
        return a.length - b.length;
      };
      for (const side of ["left", "right"] as const) {
        const sorted = await lines(`/concordance.json?q=the&order=${side}`);
        const oracle = [...sorted].sort((a, b) =>
          cmp(key(a, side), key(b, side)),
        );
        expect(sorted.map((l) => key(l, side))).toEqual(
          oracle.map((l) => key(l, side)),
        );
        const byCount = await lines(
          `/concordance.json?q=the&order=${side}-frequency`,
        );
        const count = new Map<string, number>();
        for (const l of byCount) {
          const w = key(l, side)[0] ?? "";
          count.set(w, (count.get(w) ?? 0) + 1);
        }
        const counts = byCount.map((l) => count.get(key(l, side)[0] ?? "")!);
        expect(counts).toEqual([...counts].sort((a, b) => b - a));
        expect(new Set(counts).size).toBeGreaterThan(1);
      }
    });

    it("exports every line as CSV with absolute links", async () => {
      const all = await lines("/concordance.json?q=ceasefire&order=right");
      const csv = parseCsv(
        (await request(app).get("/concordance.csv?q=ceasefire&order=right"))
          .text,
      );
      expect(
        csv
          .slice(1)
          .map((r) => [r[1], r[2], r[6]!.replace(/^http:\/\/[^/]+/, "")]),
      ).toEqual(all.map((l) => [l.match, l.right, l.href]));
    });
  });
});

describe.each(ENGINES)("what stands out, %s engine", (engine) => {
  const archive = archiveOn(engine, standoutStatements());
  let app: ReturnType<typeof createApp>;
  // What stands out counts fewer candidates once its time is half spent: on a loaded machine
  // that would be a different table, so these tests give it time enough.
  const limit = searchTimeLimit.seconds;
  beforeAll(() => {
    app = createApp(archive(), { env: "test" });
    searchTimeLimit.seconds = 60;
  });
  afterAll(() => {
    searchTimeLimit.seconds = limit;
  });
  const json = async (url: string) =>
    (await request(app).get(url).expect(200)).body;
  type Term = { gram: string; inSet: number; inArchive: number; href: string };

  it("puts first the word planted only in the matches, and leaves the boilerplate out", async () => {
    const t = await json("/terms.json?q=harbour");
    expect([t.matches, t.archive]).toEqual([12, 42]);
    const terms = t.terms as Term[];
    expect(terms[0]).toMatchObject({
      gram: "zebrafish",
      inSet: 12,
      inArchive: 12,
    });
    const formula = new Set(words(FORMULA));
    expect(
      terms.filter((term) => term.gram.split(" ").some((w) => formula.has(w))),
    ).toEqual([]);
    expect(terms.some((term) => term.gram === "harbour")).toBe(false);
  });

  it("counts each term as the search narrowed by it finds, in the matches and in the archive", async () => {
    const t = await json("/terms.json?q=harbour");
    for (const term of t.terms as Term[]) {
      const narrowed = await json(term.href.replace("/search", "/search.json"));
      expect(narrowed.total).toBe(term.inSet);
      const everywhere = await json(
        `/search.json?q=${encodeURIComponent(`"${term.gram}"`)}`,
      );
      expect(everywhere.total).toBe(term.inArchive);
    }
    const csv = parseCsv((await request(app).get("/terms.csv?q=harbour")).text);
    expect(csv[1]!.slice(0, 3)).toEqual(["zebrafish", "12", "0"]);
  });
});
