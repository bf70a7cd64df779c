import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import type { Statement } from "../../src/ingest/statement.ts";
import { createApp } from "../../src/web/app.ts";
import { archiveOn, ENGINES } from "../engines.ts";

const statement = (id: string, date?: string): Statement => ({
  id,
  title: `Statement ${id}`,
  body: "text of the statement",
  meta: {},
  origin: { file: id },
  ...(date ? { date } : {}),
});

/** Each entry's id, `updated` and what its `updated` means, in feed order. */
function entries(xml: string) {
  return [...xml.matchAll(/<entry>([\s\S]*?)<\/entry>/g)].map(([, e]) => ({
    id: e!.match(/<id>tag:readout\.invalid,2024:statements\/([^<]+)<\/id>/)![1],
    updated: e!.match(/<updated>([^<]+)<\/updated>/)![1]!,
    means: e!.match(/<updated-means [^>]*>([^<]+)<\/updated-means>/)?.[1],
  }));
}

// Issue 27 item 8: undated statements enter the feed of everything by when Readout first
// read them, and each entry says which time its `updated` is.
describe.each(ENGINES)("the feed of everything, %s engine", (engine) => {
  const archive = archiveOn(engine, [
    statement("old", "2020-01-01"),
    statement("new", "2024-06-01"),
    statement("loose"),
    statement("stray"),
  ]);
  let app: ReturnType<typeof createApp>;
  beforeAll(() => {
    app = createApp(archive(), { env: "test" });
  });

  it("lists undated statements by their first read, dated ones by their date, newest first", async () => {
    const read = new Map(
      (await archive().statementsById!(["loose", "stray"])).map((s) => [
        s.id,
        s.firstRead!,
      ]),
    );
    // The first-read times are now, later than any date here: the undated come first.
    const undated = [...read]
      .sort(([a, x], [b, y]) => (x === y ? (a < b ? -1 : 1) : x < y ? 1 : -1))
      .map(([id, at]) => ({
        id,
        updated: new Date(at).toISOString(),
        means: "when Readout first read it",
      }));
    for (const path of ["/feed.atom", "/search.atom"]) {
      const xml = (await request(app).get(path).expect(200)).text;
      const got = entries(xml).map((e) => ({
        ...e,
        updated: new Date(e.updated).toISOString(),
      }));
      expect(got).toEqual([
        ...undated,
        {
          id: "new",
          updated: "2024-06-01T00:00:00.000Z",
          means: "the statement's date",
        },
        {
          id: "old",
          updated: "2020-01-01T00:00:00.000Z",
          means: "the statement's date",
        },
      ]);
      expect(xml).toContain(
        "an undated one by when Readout first read it; the updated-means of each entry says which.",
      );
    }
  });

  it("of a search still lists only what it can date", async () => {
    const xml = (await request(app).get("/search.atom?q=statement").expect(200))
      .text;
    expect(entries(xml).map((e) => e.id)).toEqual(["new", "old"]);
  });
});
