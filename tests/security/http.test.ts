import type { Server } from "node:http";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Statement } from "../../src/ingest/statement.ts";
import { escapeHtml } from "../../src/search/highlight.ts";
import { urls } from "../../src/web/urls.ts";
import { responseProblems } from "./check.ts";
import { hostileApp, hostileLoad } from "./hostile.ts";
import { marker, payloads } from "./payloads.ts";

// Served once for the file: a few thousand requests, each of which would otherwise start
// and stop a server of its own (supertest's way with an app).
let server: Server;
let statements: Statement[];
beforeAll(async () => {
  server = (await hostileApp()).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  statements = (await hostileLoad()).result.statements;
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await (await hostileLoad()).cleanup();
});

const qs = (params: Record<string, string>) =>
  new URLSearchParams(params).toString();

// Words the payloads share, so highlights land inside them; `lt`, `quot`, `amp` and `mark`
// would corrupt the output if marking ran over already-escaped text.
const MARKED = "script alert onerror img svg href lt quot amp mark current m1";

/** A page of 100 results with the payloads' words marked; five list every statement. */
const resultsPage = (page: number) =>
  `/search?${qs({ q: MARKED, mode: "any", size: "100", ...(page > 1 ? { page: String(page) } : {}) })}`;

/** Pages whose content comes from the documents. */
const documentPages = [
  "/",
  "/about",
  "/about.json",
  "/help",
  "/batch",
  "/opensearch.xml",
  ...[1, 2, 3, 4, 5].map(resultsPage),
  `/search.json?${qs({ q: MARKED, mode: "any", size: "100" })}`,
  `/search.json?${qs({ q: MARKED, mode: "any", all: "1" })}`,
  `/search.csv?${qs({ q: MARKED, mode: "any" })}`,
  `/search.jsonl?${qs({ q: MARKED, mode: "any" })}`,
  `/search.atom?${qs({ q: MARKED, mode: "any" })}`,
  `/suggest?${qs({ q: "scr" })}`,
];

/** A GET, or a POST of a form. */
type Request = string | { post: string; form: Record<string, string> };

/** Pages that print what the visitor sent: each is requested with every payload. */
const queryPages: [string, (p: string, i: number) => Request][] = [
  ["results", (p) => `/search?${qs({ q: p })}`],
  [
    "results, any word",
    (p) => `/search?${qs({ q: `${p} ${MARKED}`, mode: "any" })}`,
  ],
  // Default parameters are tidied away by a redirect that carries the rest.
  [
    "tidied address",
    (p) => `/search?${qs({ q: p, page: "1", mode: "all", from: "" })}`,
  ],
  ["results JSON", (p) => `/search.json?${qs({ q: p })}`],
  ["all results JSON", (p) => `/search.json?${qs({ q: p, all: "1" })}`],
  ["CSV export", (p) => `/search.csv?${qs({ q: p })}`],
  ["JSON Lines export", (p) => `/search.jsonl?${qs({ q: p })}`],
  ["Atom feed", (p) => `/search.atom?${qs({ q: p })}`],
  ["suggestions", (p) => `/suggest?${qs({ q: p })}`],
  [
    "every parameter",
    (p, i) =>
      `/search?${qs({ q: marker(i), from: p, to: p, page: p, size: p, mode: p, sort: p, year: p })}`,
  ],
  // The payload is also a metadata field of the hostile archive, so it is a facet parameter.
  [
    "facet selections",
    (p, i) =>
      `/search?${qs({ q: marker(i), source: p, kind: p, [p]: `${marker(i)} ${p}` })}`,
  ],
  [
    "facets in JSON",
    (p, i) => `/search.json?${qs({ q: marker(i), kind: p, [p]: p })}`,
  ],
  [
    "feed of a facet",
    (p, i) => `/search.atom?${qs({ q: marker(i), kind: p })}`,
  ],
  [
    "statement",
    (p, i) => `/statements/${marker(i)}-jsonl?${qs({ q: p, m: p })}`,
  ],
  [
    "statement JSON",
    (p, i) => `/statements/${marker(i)}-jsonl.json?${qs({ q: p })}`,
  ],
  ["statement by id", (p) => urls.statement(p, { q: p })],
  ["statement JSON by id", (p) => urls.statement(p, {}, "json")],
  ["unknown page", (p) => `/${encodeURIComponent(p)}?${qs({ q: p })}`],
  ["unknown JSON", (p) => `/${encodeURIComponent(p)}.json`],
  ["malformed address", (p) => `/statements/%E0%A4%A?${qs({ q: p })}`],
  ["batch form", (p) => `/batch?${qs({ kind: p, from: p, [p]: p })}`],
  [
    "batch search",
    (p, i) => ({
      post: "/batch",
      form: { lines: `${p}\n${marker(i)}\n${MARKED}`, kind: p, mode: "any" },
    }),
  ],
  ["batch CSV", (p) => ({ post: "/batch.csv", form: { lines: p, kind: p } })],
];

async function problemsAt(req: Request): Promise<string[]> {
  const res =
    typeof req === "string"
      ? await request(server).get(req)
      : await request(server).post(req.post).type("form").send(req.form);
  const name = typeof req === "string" ? req : `POST ${req.post}`;
  return responseProblems(res).map((p) => `${name} (${res.status}): ${p}`);
}

describe("no markup injection from documents", () => {
  it("prints every field of every hostile document as text, on every page", async () => {
    const problems: string[] = [];
    for (const url of documentPages) problems.push(...(await problemsAt(url)));
    expect(problems).toEqual([]);
  }, 120_000);

  it("are tested with the payloads in them, escaped", async () => {
    const escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
    const about = await request(server).get("/about").expect(200);
    expect(about.text).toContain(escaped);
    const results = await request(server).get(resultsPage(1)).expect(200);
    expect(results.text).toContain("&lt;<mark>script</mark>&gt;");
  });

  it("prints every hostile statement as text, highlighted and as JSON, at its own link", async () => {
    const problems: string[] = [];
    for (const s of statements) {
      // As a browser would follow the link: `.` and `..` segments resolved first.
      const link = new URL(
        urls.statement(s.id, { q: MARKED, mode: "any" }),
        "http://readout.test",
      );
      const page = await request(server).get(link.pathname + link.search);
      const at = `${s.id} → ${link.pathname}`;
      problems.push(
        ...responseProblems(page).map((p) => `${at} (${page.status}): ${p}`),
        ...(await problemsAt(urls.statement(s.id, {}, "json"))),
      );
      // The page's <title> holds the title as text, unmarked.
      if (page.status !== 200 || !page.text.includes(escapeHtml(s.title)))
        problems.push(`${at}: not its page (${page.status})`);
      // An original is linked only when its address is http or https.
      const linked = page.text.includes('<a class="original"');
      if (linked !== (s.url !== undefined && /^https?:\/\//i.test(s.url)))
        problems.push(`${at}: original ${s.url} ${linked ? "" : "not "}linked`);
    }
    expect(problems).toEqual([]);
  }, 120_000);
});

describe("no markup injection from requests", () => {
  for (const [name, url] of queryPages) {
    it(`prints every payload as text: ${name}`, async () => {
      const problems: string[] = [];
      for (const [i, { text }] of payloads.entries())
        problems.push(...(await problemsAt(url(text, i))));
      expect(problems).toEqual([]);
    }, 60_000);
  }
});

describe("no markup injection from the Host header", () => {
  // Feeds, exports, permalinks and citations are absolute URLs built from the Host header,
  // which the client writes.
  it("prints a hostile Host as text in every absolute URL", async () => {
    // Served beyond loopback (--host 0.0.0.0) any Host is answered: it must still be harmless.
    const open = await hostileApp({ env: "test", anyHost: true });
    const problems: string[] = [];
    const printable = payloads.filter((p) => /^[\t\x20-\x7e]+$/.test(p.text));
    for (const { text } of printable) {
      for (const url of [
        "/statements/hostile001-jsonl",
        "/statements/hostile001-jsonl.json",
        "/search.atom?q=hostile001",
        "/search.csv?q=hostile001",
        "/search.jsonl?q=hostile001",
        "/opensearch.xml",
      ]) {
        const res = await request(open).get(url).set("Host", text);
        problems.push(
          ...responseProblems(res).map((p) => `Host ${text}: ${url}: ${p}`),
        );
      }
    }
    expect(problems).toEqual([]);
  }, 60_000);
});

describe("security headers", () => {
  it("come with every kind of response", async () => {
    const problems: string[] = [];
    for (const url of [
      "/",
      "/style.css",
      "/suggest.js",
      "/about.json",
      "/search.json?q=hostile001",
      "/statements/hostile001-jsonl.json",
      "/no-such-page",
      "/no-such-page.json",
      "/statements/%E0%A4%A",
      "/search?q=hostile001",
    ]) {
      const res = await request(server).get(url);
      problems.push(...responseProblems(res).map((p) => `${url}: ${p}`));
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it("forbid framing, inline script and sending the address elsewhere", async () => {
    const res = await request(server).get("/").expect(200);
    expect(res.headers["content-security-policy"]).toBe(
      "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;object-src 'none';base-uri 'none';form-action 'self';frame-ancestors 'none'",
    );
    expect(res.headers["x-frame-options"]).toBe("DENY");
    expect(res.headers["referrer-policy"]).toBe("no-referrer");
    expect(res.headers).not.toHaveProperty("strict-transport-security");
  });
});

describe("the checks themselves", () => {
  it("catch an injected tag, handler, link and unescaped payload", async () => {
    const page = (body: string) =>
      ({
        status: 200,
        headers: { "content-type": "text/html; charset=utf-8" },
        text: `<!doctype html><html><body>${body}</body></html>`,
      }) as never;
    const clean = responseProblems(page('<a href="/about">About</a>')).filter(
      (p) => !/CSP|X-Content|Referrer/.test(p),
    );
    expect(clean).toEqual([]);
    for (const body of [
      "<img src=x onerror=alert(1)>",
      '<a href="/" onclick="alert(1)">x</a>',
      '<a href="javascript:alert(1)">x</a>',
      '<a href=" jav&#x09;ascript:alert(1)">x</a>',
      '<a class="original" href="data:text/html,x">x</a>',
      "<script>alert(1)</script>",
      '<script src="/suggest.js">alert(1)</script>',
      '<input value="" autofocus onfocus="alert(1)">',
      "a < b",
      '<mark id="m1" class="current">forged</mark>',
    ]) {
      const found = responseProblems(page(body)).filter(
        (p) => !/CSP|X-Content|Referrer/.test(p),
      );
      expect(found, body).not.toEqual([]);
    }
  });
});
