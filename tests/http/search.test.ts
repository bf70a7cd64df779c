import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { fixtureApp } from "../helpers.ts";

let app: Awaited<ReturnType<typeof fixtureApp>>;
beforeAll(async () => {
  app = await fixtureApp();
});

describe("GET /", () => {
  it("shows the search form and what is in the archive", async () => {
    const res = await request(app)
      .get("/")
      .expect(200)
      .expect("content-type", /html/);
    expect(res.text).toContain(
      '<form class="search" action="/search" method="get" role="search">',
    );
    expect(res.text).toContain("Search 11 statements");
    expect(res.text).toContain(
      'From <time datetime="2021-11-15">15 November 2021</time>',
    );
    expect(res.text).toContain(
      '<a href="/search?source=Council+of+the+EU">Council of the EU</a> <span class="count">2</span>',
    );
  });

  it("offers example queries that each find something", async () => {
    const res = await request(app).get("/").expect(200);
    const examples = [
      ...res.text.matchAll(/<li><a href="(\/search\?q=[^"]+)">/g),
    ].map((m) => m[1]!);
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const href of examples) {
      const json = await request(app)
        .get(href.replace("/search", "/search.json").replace(/&amp;/g, "&"))
        .expect(200);
      expect(json.body.total).toBeGreaterThan(0);
    }
  });
});

describe("GET /search", () => {
  it("lists ranked results with marked words, dates and sources", async () => {
    const res = await request(app).get("/search?q=zeugma").expect(200);
    expect(res.text).toContain("<strong>2</strong> statements");
    expect(res.text).toContain(
      '<a href="/statements/press-release?q=zeugma">Press release on the <mark>zeugma</mark> exhibition</a>',
    );
    expect(res.text).toContain(
      '<time datetime="2024-05-10">10 May 2024</time>',
    );
    expect(res.text).toContain(
      '<span class="source">Ministry of Culture</span>',
    );
    expect(res.text.indexOf("press-release")).toBeLessThan(
      res.text.indexOf("rec-zeugma-2022"),
    );
  });

  it("keeps the query in the search box, escaped", async () => {
    const res = await request(app)
      .get('/search?q="><script>alert(1)</script>')
      .expect(200);
    expect(res.text).toContain(
      'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"',
    );
    expect(res.text).not.toContain("<script>alert(1)</script>");
  });

  it("says when nothing matches and suggests what to try", async () => {
    const res = await request(app).get("/search?q=xylophone").expect(200);
    expect(res.text).toContain("<h1>No statements match</h1>");
    expect(res.text).toContain("checking the spelling");
  });

  it("says when the results hold only some of the words", async () => {
    const res = await request(app)
      .get("/search?q=zeugma+ceasefire")
      .expect(200);
    expect(res.text).toContain("No statement contains every word");
  });

  it("links the pages of a long result list", async () => {
    const res = await request(app)
      .get("/search?q=the&size=4&page=2")
      .expect(200);
    expect(res.text).toContain(
      '<a rel="prev" href="/search?q=the&amp;size=4">← Previous</a>',
    );
    expect(res.text).toContain(
      '<a rel="next" href="/search?q=the&amp;size=4&amp;page=3">Next →</a>',
    );
    expect(res.text).toContain('<span aria-current="page">2</span>');
  });

  it("answers bad parameters with results and a note, never an error", async () => {
    const res = await request(app)
      .get("/search?q=zeugma&page=abc&size=-1&mode=x&q=other")
      .expect(200);
    expect(res.text).toContain("&quot;abc&quot; is not a valid page; using 1.");
    expect(res.text).toContain("<strong>2</strong> statements");
  });
});

describe("how the query was understood", () => {
  it("says it in words on the page", async () => {
    const res = await request(app)
      .get("/search")
      .query({ q: '"asset freeze" sanctions -Gaziantep after:2023-01-01' })
      .expect(200);
    expect(res.text).toContain(
      'Searching for: <span class="description">“asset freeze” AND sanctions, not Gaziantep, on or after 1 January 2023</span>',
    );
    expect(res.text).toContain("<strong>1</strong> statement");
  });

  it("says what it left out and why, escaped", async () => {
    const res = await request(app)
      .get("/search")
      .query({ q: 'sanctions <b>:x "unclosed' })
      .expect(200);
    expect(res.text).toContain(
      "A quote was not closed; it was closed at the end of the query.",
    );
    expect(res.text).not.toContain("<b>");
  });

  it("puts the parsed query in the JSON twin", async () => {
    const res = await request(app)
      .get("/search.json")
      .query({ q: "zeugma OR harbour date:2022" })
      .expect(200);
    expect(res.body.description).toBe("zeugma OR harbour, in 2022");
    expect(res.body.parsed).toEqual({
      root: {
        type: "or",
        children: [
          {
            type: "term",
            text: "zeugma",
            term: "zeugma",
            at: { start: 0, end: 6 },
          },
          {
            type: "term",
            text: "harbour",
            term: "harbour",
            at: { start: 10, end: 17 },
          },
        ],
      },
      dates: { from: "2022-01-01", to: "2022-12-31" },
    });
    expect(res.body.hits.map((h: { id: string }) => h.id).sort()).toEqual([
      "arr-harbour",
      "crlf-bom",
      "rec-zeugma-2022",
    ]);
  });

  it("offers a corrected query when one finds more", async () => {
    const res = await request(app)
      .get("/search")
      .query({ q: "ceasfire" })
      .expect(200);
    expect(res.text).toContain(
      'Did you mean <a href="/search?q=ceasefire">ceasefire</a>?',
    );
  });
});

describe("GET /help", () => {
  it("documents the query language, with the archive's own fields", async () => {
    const res = await request(app).get("/help").expect(200);
    expect(res.text).toContain("<h1>How to search</h1>");
    // Each example is a link to its search.
    expect(res.text).toContain(
      '<a class="example" href="/search?q=%22peace+treaty%22%7E5"><code>&quot;peace treaty&quot;~5</code></a>',
    );
    expect(res.text).toContain(
      "<code>category:…</code>, <code>country:…</code>",
    );
  });

  it("is linked from the search form", async () => {
    const res = await request(app).get("/").expect(200);
    expect(res.text).toContain('<a href="/help">Search tips</a>');
  });
});

describe("GET /search.json", () => {
  it("returns the same results as data", async () => {
    const res = await request(app)
      .get("/search.json?q=zeugma")
      .expect(200)
      .expect("content-type", /json/);
    expect(res.body).toMatchObject({
      q: "zeugma",
      total: 2,
      page: 1,
      size: 20,
      pageCount: 1,
      relaxed: false,
    });
    expect(res.body.hits[0]).toEqual({
      id: "press-release",
      title: "Press release on the zeugma exhibition",
      titleHtml: "Press release on the <mark>zeugma</mark> exhibition",
      date: "2024-05-10",
      dateLabel: "10 May 2024",
      source: "Ministry of Culture",
      url: "https://example.org/releases/zeugma",
      score: expect.any(Number),
      snippet:
        "The ministry opens an exhibition of mosaics from <mark>Zeugma</mark>, the ancient city on the Euphrates. Opening hours are 10:00 to 18:00. Entry is free. See the catalogue for details.",
      lang: "en",
      href: "/statements/press-release?q=zeugma",
    });
  });

  it("carries the paging parameters into each statement link", async () => {
    const res = await request(app)
      .get("/search.json?q=the&size=4&page=2&mode=any")
      .expect(200);
    expect(res.body.hits).toHaveLength(4);
    for (const hit of res.body.hits)
      expect(hit.href).toMatch(/\?q=the&mode=any&size=4&page=2$/);
  });
});

describe("search permalinks", () => {
  it("drop the empty and default fields the form submits", async () => {
    const res = await request(app)
      .get("/search?q=zeugma&mode=all&from=&to=&sort=relevance&page=1")
      .expect(302);
    expect(res.headers.location).toBe("/search?q=zeugma");
  });

  it("keep every field that says something", async () => {
    await request(app)
      .get("/search?q=zeugma&mode=any&from=2020&sort=newest")
      .expect(200);
  });
});
