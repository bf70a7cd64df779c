import { describe, expect, it } from "vitest";
import type { Statement } from "../../src/ingest/statement.ts";
import { parseQuery } from "../../src/query/params.ts";
import { archiveOn, ENGINES } from "../engines.ts";

const statement = (id: string, date?: string): Statement => ({
  id,
  title: id,
  body: "text",
  meta: {},
  origin: { file: id },
  ...(date ? { date } : {}),
});

// Every statement's timeline: a search that lists them all (`-zzz` excludes a word none has).
describe.each(ENGINES)("timeline, %s engine", (engine) => {
  describe("over three years or more", () => {
    const archive = archiveOn(engine, [
      statement("a", "2019-03-01"),
      statement("b", "2021"),
      statement("c", "2022-12-31"),
      statement("d"),
    ]);
    it("counts per year, every year between included", async () => {
      const line = (await archive().search(parseQuery({ q: "-zzz" })))
        .timeline!;
      expect(line.unit).toBe("year");
      expect(line.bars.map((b) => [b.label, b.from, b.count])).toEqual([
        ["2019", "2019", 1],
        ["2020", "2020", 0],
        ["2021", "2021", 1],
        ["2022", "2022", 1],
      ]);
      expect(line.max).toBe(1);
    });
  });

  describe("with no statement dated", () => {
    const archive = archiveOn(engine, [statement("a"), statement("b")]);
    it("has nothing to draw", async () => {
      const page = await archive().search(parseQuery({ q: "-zzz" }));
      expect(page.total).toBe(2);
      expect(page.timeline).toBeUndefined();
    });
  });
});
