import request from "supertest";
import { describe, expect, it } from "vitest";
import { MemoryArchive } from "../../src/archive.ts";
import { createApp } from "../../src/web/app.ts";

// An id and a URL as the White House writes them: with a percent-encoded word joiner.
const app = createApp(
  MemoryArchive.fromStatements([
    {
      id: "wh-covid-%e2%81%a019",
      title: "Statement on the origins of COVID-\u206019",
      date: "2021-08-27",
      source: "The White House",
      url: "https://bidenwhitehouse.archives.gov/covid-%e2%81%a019/",
      body: "This week, I received the report.",
      meta: {},
      origin: { file: "wh.jsonl" },
    },
  ]),
  { env: "test" },
);

describe("the BibTeX citation of a statement", () => {
  it("holds a permalink that answers and the original URL as it was", async () => {
    const page = await request(app)
      .get("/statements/wh-covid-%25e2%2581%25a019.json")
      .expect(200);
    const bibtex = page.body.citation.bibtex as string;
    expect(bibtex).toContain(
      "url = {https://bidenwhitehouse.archives.gov/covid-%e2%81%a019/}",
    );
    const permalink = bibtex.match(/\\url\{([^}]+)\}/)![1]!;
    const res = await request(app).get(new URL(permalink).pathname).expect(200);
    expect(res.text).toContain("Statement on the origins of COVID-\u206019");
  });
});
