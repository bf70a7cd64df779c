import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { fixtureApp } from "../helpers.ts";

let app: Awaited<ReturnType<typeof fixtureApp>>;
beforeAll(async () => {
  app = await fixtureApp();
});

/**
 * The elements of an XML document, checked for well-formedness on the way: one root, tags
 * balanced, attributes quoted, no bare `<` or `&` in text or attributes. Throws otherwise.
 * (Enough for the flat documents Readout writes; the browser test parses it for real.)
 */
function xmlElements(
  xml: string,
): { name: string; attrs: Record<string, string> }[] {
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, "");
  const TEXT = /^(?:[^<&]|&(?:amp|lt|gt|quot|apos|#\d+);)*$/;
  const TAG = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>/g;
  const stack: string[] = [];
  const elements: { name: string; attrs: Record<string, string> }[] = [];
  let at = 0;
  let roots = 0;
  for (const m of body.matchAll(TAG)) {
    const text = body.slice(at, m.index);
    if (!TEXT.test(text)) throw new Error(`bad text: ${text}`);
    if (stack.length === 0 && text.trim())
      throw new Error("text outside the root");
    at = m.index + m[0].length;
    const [, close, name, rawAttrs, selfClosing] = m;
    if (close) {
      if (stack.pop() !== name) throw new Error(`unbalanced </${name}>`);
      continue;
    }
    if (stack.length === 0) roots++;
    const attrs: Record<string, string> = {};
    for (const [, key, value] of rawAttrs!.matchAll(/([\w:.-]+)="([^"]*)"/g)) {
      if (!TEXT.test(value!)) throw new Error(`bad attribute: ${value}`);
      attrs[key!] = value!.replace(/&amp;/g, "&");
    }
    elements.push({ name: name!, attrs });
    if (!selfClosing) stack.push(name!);
  }
  if (stack.length || roots !== 1 || body.slice(at).trim())
    throw new Error("not one balanced root element");
  return elements;
}

describe("GET /opensearch.xml", () => {
  it("describes the search and suggestion URLs at the public address", async () => {
    const { createApp } = await import("../../src/web/app.ts");
    const { fixtureArchive } = await import("../helpers.ts");
    const published = createApp(await fixtureArchive(), {
      env: "test",
      publicUrl: "https://archive.example.org",
    });
    const res = await request(published)
      .get("/opensearch.xml")
      .set("Host", "127.0.0.1:4321")
      .expect(200)
      .expect("content-type", /^application\/opensearchdescription\+xml/);
    const elements = xmlElements(res.text);
    expect(elements[0]).toEqual({
      name: "OpenSearchDescription",
      attrs: { xmlns: "http://a9.com/-/spec/opensearch/1.1/" },
    });
    expect(res.text).toContain("<ShortName>Readout</ShortName>");
    expect(res.text).toContain("<InputEncoding>UTF-8</InputEncoding>");
    expect(res.text).toMatch(/<Description>[^<]+<\/Description>/);
    const templates = Object.fromEntries(
      elements
        .filter((e) => e.name === "Url")
        .map((e) => [e.attrs.type, e.attrs.template]),
    );
    expect(templates).toEqual({
      "text/html": "https://archive.example.org/search?q={searchTerms}",
      "application/x-suggestions+json":
        "https://archive.example.org/suggest?q={searchTerms}",
      "application/opensearchdescription+xml":
        "https://archive.example.org/opensearch.xml",
    });
  });

  // Issue 23, item 10: a trusted proxy passes X-Forwarded-Host on, and the description is
  // kept a day by shared caches, so a header must not choose where its searches go.
  it("is not poisoned by X-Forwarded-Host or Host, even from a trusted proxy", async () => {
    const { createApp } = await import("../../src/web/app.ts");
    const { fixtureArchive } = await import("../helpers.ts");
    const behind = createApp(await fixtureArchive(), {
      env: "test",
      trustProxy: "loopback",
      anyHost: true,
    });
    const res = await request(behind)
      .get("/opensearch.xml")
      .set("Host", "evil.example")
      .set("X-Forwarded-Host", "evil.example")
      .set("X-Forwarded-Proto", "https")
      .expect(200);
    expect(res.text).not.toContain("evil");
    expect(res.text).toMatch(
      /template="http:\/\/127\.0\.0\.1:\d+\/search\?q=\{searchTerms\}"/,
    );
  });

  it("does not print a Host header that is not a host", async () => {
    const { createApp } = await import("../../src/web/app.ts");
    const { fixtureArchive } = await import("../helpers.ts");
    // Only an app serving any host (--host 0.0.0.0) gets this far; a local one refuses it.
    const open = createApp(await fixtureArchive(), {
      env: "test",
      anyHost: true,
    });
    const res = await request(open)
      .get("/opensearch.xml")
      .set("Host", 'evil"/><x a="&')
      .expect(200);
    expect(res.text).not.toContain("evil");
    xmlElements(res.text);
    expect(res.text).toMatch(
      /template="http:\/\/127\.0\.0\.1:\d+\/search\?q=\{searchTerms\}"/,
    );
  });
});

describe("<head>", () => {
  it("links the OpenSearch description and the scripts from every page", async () => {
    for (const path of [
      "/",
      "/search?q=ceasefire",
      "/statements/seed-format-ceasefire?q=ceasefire",
      "/about",
      "/no-such-page",
    ]) {
      const res = await request(app).get(path);
      expect(res.text, path).toContain(
        '<link rel="search" type="application/opensearchdescription+xml" title="Readout" href="/opensearch.xml">',
      );
      // Static files are linked with their content's hash (caching.ts).
      expect(res.text, path).toMatch(
        /<script src="\/suggest\.js\?v=[0-9a-f]{10}" defer data-suggest-url="\/suggest\?q="><\/script>/,
      );
      expect(res.text, path).toMatch(
        /<script src="\/keys\.js\?v=[0-9a-f]{10}" defer><\/script>/,
      );
      // No inline script: every <script> loads a file.
      for (const [tag] of res.text.matchAll(/<script\b[^>]*>/g))
        expect(tag, path).toMatch(/ src="\//);
    }
  });

  it("serves the scripts", async () => {
    for (const path of ["/suggest.js", "/keys.js"])
      await request(app)
        .get(path)
        .expect(200)
        .expect("content-type", /javascript/);
  });
});

describe("GET /suggest", () => {
  it("answers in the OpenSearch suggestions format, most frequent first", async () => {
    const res = await request(app)
      .get("/suggest?q=peace+an")
      .expect(200)
      .expect("content-type", /^application\/x-suggestions\+json/);
    // `and` is in 5 statements, `an` in 4, the rest in one each.
    expect(JSON.parse(res.text)).toEqual([
      "peace an",
      [
        "peace and",
        "peace an",
        "peace ancient",
        "peace announced",
        "peace annual",
      ],
    ]);
  });

  it("keeps the case typed", async () => {
    const res = await request(app).get("/suggest?q=CEASE").expect(200);
    expect(JSON.parse(res.text)).toEqual(["CEASE", ["CEASEFIRE"]]);
  });

  it("gives none for a 1-letter word, an empty or missing query", async () => {
    for (const [path, q] of [
      ["/suggest?q=a", "a"],
      ["/suggest?q=", ""],
      ["/suggest", ""],
    ] as const) {
      const res = await request(app).get(path).expect(200);
      expect(JSON.parse(res.text), path).toEqual([q, []]);
    }
  });

  it("reads the first 200 characters of the first q", async () => {
    const long = "z".repeat(500);
    const res = await request(app).get(`/suggest?q=${long}&q=an`).expect(200);
    const [q, completions] = JSON.parse(res.text);
    expect(q).toBe("z".repeat(200));
    expect(completions).toEqual([]);
    const two = await request(app).get("/suggest?q=ceas&q=an").expect(200);
    expect(JSON.parse(two.text)).toEqual(["ceas", ["ceasefire"]]);
  });

  it("returns a hostile query as JSON data only", async () => {
    const hostile = `</script><script>alert("x")</script>&'ce`;
    const res = await request(app)
      .get("/suggest")
      .query({ q: hostile })
      .expect(200)
      .expect("x-content-type-options", "nosniff");
    expect(res.headers["content-type"]).not.toMatch(/html/);
    expect(res.text).not.toMatch(/[<>&]/);
    expect(JSON.parse(res.text)).toEqual([
      hostile,
      [`</script><script>alert("x")</script>&'ceasefire`],
    ]);
  });
});
