import { isLoopback } from "../../src/runtime/loopback.ts";
import express, { type Express } from "express";
import { get, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliDecompressSync, createGunzip, gunzipSync } from "node:zlib";
import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import type { Archive, LoadState } from "../../src/archive.ts";
import { MemoryArchive } from "../../src/archive.ts";
import { createApp } from "../../src/web/app.ts";
import { cacheKind } from "../../src/web/caching.ts";
import { compress } from "../../src/web/compress.ts";
import { fixtureApp, fixtureArchive, fixtureData } from "../helpers.ts";

let app: Express;
// Exports print absolute links, made from the public address when there is one, else from
// the port each request came in on: with one, the same export is the same bytes every time.
let published: Express;
beforeAll(async () => {
  app = await fixtureApp();
  published = createApp(await fixtureArchive(), {
    env: "test",
    publicUrl: "http://localhost:3000",
  });
});

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One request over a real socket, the body as sent (supertest would decompress it): the
 * compressed bytes are decoded here with zlib, independently of the middleware.
 */
function raw(
  served: Express,
  path: string,
  headers: Record<string, string> = {},
): Promise<Raw> {
  const server = served.listen(0, "127.0.0.1");
  return new Promise<Raw>((resolve, reject) => {
    server.once("listening", () => {
      const { port } = server.address() as AddressInfo;
      const sent = { Host: "localhost:3000", ...headers };
      get({ host: "127.0.0.1", port, path, headers: sent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      }).on("error", reject);
    });
  }).finally(() => server.close());
}

const KINDS: [string, string][] = [
  ["results page", "/search?q=harbour"],
  ["JSON twin", "/search.json?q=the"],
  ["CSV export", "/search.csv?q=the"],
  ["JSON Lines export", "/search.jsonl?q=the"],
  ["Atom feed", "/search.atom?q=the"],
];

describe("compression", () => {
  it.each(KINDS)(
    "sends the %s gzipped or brotli-compressed as the client accepts, with Vary: Accept-Encoding",
    async (_kind, path) => {
      const plain = await raw(published, path, {
        "Accept-Encoding": "identity",
      });
      expect(plain.status).toBe(200);
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(plain.headers.vary).toMatch(/Accept-Encoding/);
      expect(plain.body.length).toBeGreaterThan(1024);

      const gzip = await raw(published, path, { "Accept-Encoding": "gzip" });
      expect(gzip.headers["content-encoding"]).toBe("gzip");
      expect(gzip.headers.vary).toMatch(/Accept-Encoding/);
      expect(gzip.body.length).toBeLessThan(plain.body.length);
      // Exports name their file with today's date: compare all but that header's value.
      expect(gunzipSync(gzip.body).toString()).toBe(plain.body.toString());

      const br = await raw(published, path, { "Accept-Encoding": "gzip, br" });
      expect(br.headers["content-encoding"]).toBe("br");
      expect(brotliDecompressSync(br.body).toString()).toBe(
        plain.body.toString(),
      );
    },
  );

  it("leaves bodies under 1 KB and HEAD requests as they are", async () => {
    for (const path of ["/-/health", "/opensearch.xml"]) {
      const small = await raw(app, path, { "Accept-Encoding": "gzip" });
      expect(small.body.length).toBeLessThan(1024);
      expect(small.headers["content-encoding"]).toBeUndefined();
    }
    const head = await request(app)
      .head("/search?q=harbour")
      .set("Accept-Encoding", "gzip");
    expect(head.headers["content-encoding"]).toBeUndefined();
  });

  it("keeps a streamed response streaming: rows written reach the client before the end", async () => {
    // The route ends only once the client has decoded its first rows. If the compressor held
    // them back until the end, neither side would move and the test would time out.
    let received!: () => void;
    const firstRowsArrived = new Promise<void>((r) => (received = r));
    const streaming = express();
    streaming.use(compress());
    streaming.get("/rows", async (_req, res) => {
      res.type("text/csv");
      res.write("id,title\r\n" + "1,a row of an export\r\n".repeat(100));
      await firstRowsArrived;
      res.end("2,the last row\r\n");
    });
    const server = streaming.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const { port } = server.address() as AddressInfo;
    const text = await new Promise<string>((resolve, reject) => {
      const headers = { "Accept-Encoding": "gzip" };
      get({ host: "127.0.0.1", port, path: "/rows", headers }, (res) => {
        let decoded = "";
        const gunzip = createGunzip();
        gunzip.on("data", (c: Buffer) => {
          decoded += c;
          if (decoded.includes("1,a row of an export")) received();
        });
        gunzip.on("end", () => resolve(decoded));
        res.pipe(gunzip);
      }).on("error", reject);
    });
    server.close();
    expect(text).toMatch(
      /^id,title\r\n(1,a row of an export\r\n){100}2,the last row\r\n$/,
    );
  }, 10_000);
});

describe("conditional GET", () => {
  it("answers a repeated results page with If-None-Match by 304", async () => {
    const first = await request(app).get("/search?q=harbour").expect(200);
    const second = await request(app).get("/search?q=harbour").expect(200);
    expect(first.headers.etag).toMatch(/^W\/"/);
    expect(second.headers.etag).toBe(first.headers.etag);
    const again = await request(app)
      .get("/search?q=harbour")
      .set("If-None-Match", first.headers.etag!)
      .expect(304);
    expect(again.text).toBe("");
    expect(again.headers["cache-control"]).toBe("private, no-cache");
  });

  it("puts the search time in a Server-Timing header, not in the page or its JSON", async () => {
    const page = await request(app).get("/search?q=harbour").expect(200);
    expect(page.headers["server-timing"]).toMatch(/^search;dur=\d+(\.\d+)?$/);
    expect(page.text).not.toMatch(/\d+(\.\d+)? ms\)/);
    const json = await request(app).get("/search.json?q=harbour").expect(200);
    expect(json.headers["server-timing"]).toMatch(/^search;dur=/);
    expect(Object.keys(json.body)).not.toContain("tookMs");
    const repeat = await request(app)
      .get("/search.json?q=harbour")
      .set("If-None-Match", json.headers.etag!)
      .expect(304);
    expect(repeat.body).toEqual({});
  });

  it("answers a repeated statement page by 304", async () => {
    const hit = (await request(app).get("/search.json?q=harbour")).body.hits[0];
    // The page prints its permanent link with the host it was asked for: one host throughout.
    const host = { Host: "localhost:3000" };
    const first = await request(app).get(hit.href).set(host).expect(200);
    await request(app)
      .get(hit.href)
      .set(host)
      .set("If-None-Match", first.headers.etag!)
      .expect(304);
  });
});

describe("Cache-Control", () => {
  it.each([
    ["/", "private, no-cache"],
    ["/search?q=harbour", "private, no-cache"],
    ["/search.json?q=harbour", "private, no-cache"],
    ["/about", "private, no-cache"],
    ["/search.csv?q=harbour", "private, no-store"],
    ["/search.jsonl?q=harbour", "private, no-store"],
    ["/search.json?q=harbour&all=1", "private, no-store"],
    ["/search.atom?q=harbour", "private, max-age=300"],
    ["/suggest?q=harb", "private, max-age=60"],
    ["/opensearch.xml", "public, max-age=86400"],
    ["/style.css", "public, no-cache"],
    ["/style.css?v=0123456789", "public, no-cache"],
    ["/no-such-page", "no-store"],
    ["/statements/no-such-statement", "no-store"],
    ["/-/health", "no-store"],
  ])("GET %s → %s", async (path, expected) => {
    const res = await request(app).get(path);
    expect(res.headers["cache-control"]).toBe(expected);
  });

  it("lets a statement page be reused for a minute", async () => {
    const hit = (await request(app).get("/search.json?q=harbour")).body.hits[0];
    const res = await request(app).get(hit.href).expect(200);
    expect(res.headers["cache-control"]).toBe("private, max-age=60");
  });

  it("links static files by their content's hash and lets caches keep them for a year", async () => {
    const page = await request(app).get("/").expect(200);
    const hrefs = [
      ...page.text.matchAll(
        /(?:href|src)="(\/[\w-]+\.(?:css|js|svg)\?v=[0-9a-f]{10})"/g,
      ),
    ].map((m) => m[1]!);
    expect(hrefs.map((h) => h.replace(/\?.*/, "")).sort()).toEqual([
      "/favicon.svg",
      "/keys.js",
      "/style.css",
      "/suggest.js",
    ]);
    for (const href of hrefs) {
      const res = await request(app).get(href).expect(200);
      expect(res.headers["cache-control"]).toBe(
        "public, max-age=31536000, immutable",
      );
    }
  });

  it("never lets a POST be stored", () => {
    expect(cacheKind("POST", new URL("http://x/batch"))).toBe("none");
  });
});

describe("GET /-/health", () => {
  function archiveIn(state: LoadState): Archive {
    const real = MemoryArchive.fromFolder({
      dataDir: fixtureData,
      cacheDir: null,
    });
    return Object.create(real, { state: { value: () => state } });
  }

  it("says ready with 200 once the archive answers searches", async () => {
    const res = await request(app).get("/-/health").expect(200);
    expect(res.body).toEqual({ status: "ready", done: 11 });
  });

  it("says loading with 503 while the archive loads, with its progress", async () => {
    const loading = createApp(
      archiveIn({ phase: "indexing", done: 400, total: 1000, startedAt: 0 }),
      { env: "test" },
    );
    const res = await request(loading).get("/-/health").expect(503);
    expect(res.body).toEqual({ status: "loading", done: 400, total: 1000 });
  });

  it("says failed with 503 when the archive could not be loaded", async () => {
    const failed = createApp(
      archiveIn({ phase: "failed", done: 0, startedAt: 0, error: "gone" }),
      { env: "test" },
    );
    const res = await request(failed).get("/-/health").expect(503);
    expect(res.body).toEqual({ status: "failed", done: 0 });
  });

  it("answers for any host name, where pages answer only for this computer", async () => {
    await request(app)
      .get("/-/health")
      .set("Host", "readout.example.org")
      .expect(200);
    await request(app).get("/").set("Host", "readout.example.org").expect(421);
  });
});

describe("behind a reverse proxy", () => {
  const forwarded = {
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "archive.example.org",
  };

  it("ignores X-Forwarded-* unless told to trust the proxy", async () => {
    const res = await request(app).get("/search.atom?q=harbour").set(forwarded);
    expect(res.text).not.toContain("archive.example.org");
    expect(res.text).toMatch(
      /<link rel="self" type="application\/atom\+xml" href="http:\/\/127\.0\.0\.1:\d+\/search\.atom\?q=harbour"\/>/,
    );
  });

  it("builds absolute links from --public-url, never from X-Forwarded-Host, even from a trusted proxy", async () => {
    const behind = createApp(await fixtureArchive(), {
      env: "test",
      trustProxy: "loopback",
      publicUrl: "https://archive.example.org",
    });
    for (const headers of [forwarded, { "X-Forwarded-Host": "evil.example" }]) {
      const res = await request(behind)
        .get("/search.atom?q=harbour")
        .set(headers);
      expect(res.text).toContain(
        '<link rel="self" type="application/atom+xml" href="https://archive.example.org/search.atom?q=harbour"/>',
      );
      expect(res.text).not.toContain("evil.example");
    }
  });
});

describe("isLoopback: the one test of 'this computer'", () => {
  it("takes localhost, its subdomains, 127/8 and ::1, and nothing that only looks like them", () => {
    for (const host of [
      "localhost",
      "LocalHost",
      "a.localhost",
      "127.0.0.1",
      "127.9.8.7",
      "::1",
      "[::1]",
    ])
      expect(isLoopback(host), host).toBe(true);
    for (const host of [
      "0.0.0.0",
      "::",
      "localhost.example.org",
      "127.0.0.1.nip.io",
      "128.0.0.1",
      "10.0.0.1",
      "",
    ])
      expect(isLoopback(host), host).toBe(false);
  });
});
