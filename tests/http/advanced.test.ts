import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { fixtureApp } from "../helpers.ts";

let app: Awaited<ReturnType<typeof fixtureApp>>;
beforeAll(async () => {
  app = await fixtureApp();
});

describe("/advanced", () => {
  it("is linked from the search box", async () => {
    const res = await request(app).get("/search?q=sanctions").expect(200);
    expect(res.text).toMatch(
      /<form class="search"[\s\S]*<a href="\/advanced">Advanced search<\/a>[\s\S]*<\/form>/,
    );
  });

  it("offers every box, the archive's sources and languages", async () => {
    const res = await request(app).get("/advanced").expect(200);
    for (const label of [
      "All these words",
      "This exact phrase",
      "Any of these words",
      "None of these words",
      "In the title only",
      "Source",
      "Language",
      "Dated from",
      "Dated to",
      "Order",
    ])
      expect(res.text).toContain(label);
    expect(res.text).toContain("<option>Council of the EU</option>");
    expect(res.text).toContain('<option value="en">English</option>');
  });

  it("sends a filled form to the results of the query it makes, which the search box shows", async () => {
    const res = await request(app)
      .get("/advanced")
      .query({ all: "sanctions", source: "Council of the EU", sort: "newest" })
      .expect(302);
    const location = String(res.headers.location);
    expect(location).toBe(
      "/search?q=sanctions+source%3A%22Council+of+the+EU%22&sort=newest",
    );
    const page = await request(app).get(location).expect(200);
    expect(page.text).toContain(
      'value="sanctions source:&quot;Council of the EU&quot;"',
    );
    const json = await request(app)
      .get(location.replace("/search?", "/search.json?"))
      .expect(200);
    expect(json.body.hits.map((h: { id: string }) => h.id)).toEqual([
      "rec-sanctions-2023",
    ]);
  });

  it("has a JSON twin that gives the query a form makes", async () => {
    const res = await request(app)
      .get("/advanced.json")
      .query({ any: "harbour relief", where: "title" })
      .expect(200);
    expect(res.body).toEqual({
      q: "(title:harbour OR title:relief)",
      sort: "relevance",
      href: "/search?q=%28title%3Aharbour+OR+title%3Arelief%29",
    });
  });
});
