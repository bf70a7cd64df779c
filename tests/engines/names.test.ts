import path from "node:path";
import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/web/app.ts";
import { archiveOn, ENGINES } from "../engines.ts";

// People, places and organisations (issue 26) as facets and filters, on each engine, over six
// statements in English, Ukrainian and Russian read with `entities` on.
const names = path.join(import.meta.dirname, "../fixtures/names");

describe.each(ENGINES)("names, %s engine", (engine) => {
  const archive = archiveOn(engine, names, { entities: true });
  let app: ReturnType<typeof createApp>;
  beforeAll(() => {
    app = createApp(archive(), { env: "test" });
  });
  type Facet = { field: string; values: { value: string; count: number }[] };
  const json = async (url: string) =>
    (await request(app).get(url).expect(200)).body;
  const ids = (page: { hits: { id: string }[] }) =>
    page.hits.map((h) => h.id).sort();
  const facetsOf = (page: {
    facets: Facet[];
  }): Record<string, Record<string, number>> =>
    Object.fromEntries(
      page.facets.map((f) => [
        f.field,
        Object.fromEntries(f.values.map((v) => [v.value, v.count])),
      ]),
    );

  it("lists a person once across scripts, counting each statement once", async () => {
    const { person, place } = facetsOf(await json("/search.json?q=president"));
    expect(person!["Volodymyr Zelenskyy"]).toBe(3);
    expect(Object.keys(person!)).not.toContain("Володимир Зеленський");
    expect(place!.Ukraine).toBe(4);
  });

  it("gives counts that equal the search with the value chosen", async () => {
    const all = await json("/search.json?from=2000-01-01");
    let checked = 0;
    for (const facet of all.facets as Facet[]) {
      if (!["person", "place", "org"].includes(facet.field)) continue;
      // The three most named of each: a request each, on PostgreSQL a few tenths of a second.
      for (const { value, count } of facet.values.slice(0, 3)) {
        const narrowed = await json(
          `/search.json?from=2000-01-01&${facet.field}=${encodeURIComponent(value)}`,
        );
        expect([facet.field, value, narrowed.total]).toEqual([
          facet.field,
          value,
          count,
        ]);
        checked++;
      }
    }
    expect(checked).toBe(7);
  });

  it("finds a name's forms in every script with person:, and leaves them out with -person:", async () => {
    expect(ids(await json("/search.json?q=person:Zelensky"))).toEqual([
      "en-1",
      "en-2",
      "uk-1",
    ]);
    expect(ids(await json("/search.json?q=person:Зеленский"))).toEqual([
      "en-1",
      "en-2",
      "uk-1",
    ]);
    expect(ids(await json("/search.json?q=ukraine -person:Zelensky"))).toEqual([
      "en-3",
      "ru-1",
    ]);
    expect(ids(await json("/search.json?q=place:France person:Biden"))).toEqual(
      ["en-3"],
    );
    expect((await json("/search.json?q=person:Nobody")).total).toBe(0);
  });

  it("lists the names of every statement, and who is named together with a person, as a page, JSON and CSV", async () => {
    // Nothing asked: every statement is read, in one count.
    const all = await json("/names.json");
    expect(all.matches).toBe(6);
    const people = all.fields.find(
      (f: { field: string }) => f.field === "person",
    );
    expect(people.names[0]).toMatchObject({
      name: "Volodymyr Zelenskyy",
      count: 3,
    });
    const together = await json(
      `/names.json?person=${encodeURIComponent("Volodymyr Zelenskyy")}`,
    );
    expect(together.matches).toBe(3);
    const named = together.fields.find(
      (f: { field: string }) => f.field === "person",
    ).names;
    expect(named.map((n: { name: string }) => n.name).sort()).toEqual([
      "Jens Stoltenberg",
      "Joe Biden",
    ]);
    expect(named.every((n: { count: number }) => n.count === 1)).toBe(true);
    // Another form of the person, typed by hand, stands for the person, who is then not
    // named together with himself.
    const typed = await json(
      `/names.json?person=${encodeURIComponent("Володимир Зеленський")}`,
    );
    expect(typed.matches).toBe(3);
    expect(
      typed.fields
        .find((f: { field: string }) => f.field === "person")
        .names.map((n: { name: string }) => n.name)
        .sort(),
    ).toEqual(["Jens Stoltenberg", "Joe Biden"]);
    const page = await request(app)
      .get(`/names?person=${encodeURIComponent("Volodymyr Zelenskyy")}`)
      .expect(200);
    expect(page.text).toContain("Named together with Volodymyr Zelenskyy");
    expect(page.text).toContain(
      `href="/search?person=Volodymyr+Zelenskyy&amp;person=Joe+Biden"`,
    );
    const csv = await request(app)
      .get(`/names.csv?person=${encodeURIComponent("Volodymyr Zelenskyy")}`)
      .expect(200);
    expect(csv.text).toContain("person,Joe Biden,1");
  });

  it("says a concordance of names or fields alone has no words to centre on, not that nothing matches", async () => {
    const page = await request(app)
      .get("/concordance?q=person:Biden")
      .expect(200);
    expect(page.text).toContain("A concordance needs words to centre on");
    expect(page.text).not.toContain("nothing matches");
  });
});

describe.each(ENGINES)("names not read, %s engine", (engine) => {
  const archive = archiveOn(engine, names, { entities: false });
  it("says how to read them, on the page and in its JSON twin", async () => {
    const app = createApp(archive(), { env: "test" });
    const page = await request(app).get("/names").expect(200);
    expect(page.text).toContain("read without its names");
    expect(page.text).toContain("--no-entities");
    const twin = (await request(app).get("/names.json").expect(200)).body;
    expect(twin.indexed).toBe(false);
  });
});
