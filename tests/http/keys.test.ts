import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryArchive } from "../../src/archive.ts";
import { loadStatements } from "../../src/ingest/load.ts";
import { createApp } from "../../src/web/app.ts";

// Names an object literal already has: as metadata keys from a file, or as URL parameters,
// none may reach Object.prototype or break a page.
const KEYS = [
  "constructor",
  "toString",
  "__proto__",
  "hasOwnProperty",
  "valueOf",
  "isPrototypeOf",
];

let dir: string;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "readout-keys-"));
  // Eight statements; key j takes n mod (j + 2), so no two keys pair their values one to
  // one (a field that only renames another is not a facet) and each counts differently.
  const lines = Array.from({ length: 8 }, (_, n) => {
    const meta = KEYS.map(
      (k, j) => `${JSON.stringify(k)}:${JSON.stringify(`${k} ${n % (j + 2)}`)}`,
    );
    // Written by hand: an object literal's "__proto__" would not survive JSON.stringify.
    return `{"id":"k${n}","title":"Statement ${n} on wheat","body":"Wheat exports, part ${n}.",${meta.join(",")}}`;
  });
  await writeFile(path.join(dir, "keys.jsonl"), lines.join("\n"));
  await writeFile(
    path.join(dir, "front.md"),
    "---\ntitle: Front matter on wheat\n__proto__: from front matter\nconstructor: also\n---\n\nWheat.\n",
  );
  const { statements, problems } = await loadStatements(dir);
  app = createApp(
    MemoryArchive.fromStatements(statements, { problems, dataDir: dir }),
    { env: "test" },
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("metadata keys named like object members", () => {
  it("are kept as metadata, counted as facets and filtered on, without a 500", async () => {
    const page = await request(app).get("/search.json?q=wheat").expect(200);
    expect(page.body.total).toBe(9);
    const fields = page.body.facets.map((f: { field: string }) => f.field);
    for (const key of KEYS) expect(fields).toContain(key);
    // Statements whose n mod (j + 2) is 1, for n from 0 to 7.
    const expected = [4, 3, 2, 2, 2, 1];
    for (const [j, key] of KEYS.entries()) {
      const filtered = await request(app)
        .get(
          `/search.json?q=wheat&${encodeURIComponent(key)}=${encodeURIComponent(`${key} 1`)}`,
        )
        .expect(200);
      expect([key, filtered.body.total]).toEqual([key, expected[j]]);
      expect(filtered.body.chips).toHaveLength(1);
    }
  });

  it("show on the statement page and in its JSON twin", async () => {
    const json = await request(app).get("/statements/k2.json").expect(200);
    expect(Object.keys(json.body.meta).sort()).toEqual([...KEYS].sort());
    expect(
      Object.getOwnPropertyDescriptor(json.body.meta, "__proto__")?.value,
    ).toBe("__proto__ 2");
    const page = await request(app).get("/statements/k2").expect(200);
    expect(page.text).toContain("<dt>constructor</dt><dd>constructor 0</dd>");
  });

  it("are kept from Markdown front matter too", async () => {
    const json = await request(app).get("/statements/front.json").expect(200);
    expect(Object.entries(json.body.meta)).toEqual([
      ["__proto__", "from front matter"],
      ["constructor", "also"],
    ]);
  });

  it("as URL parameters alone, change nothing", async () => {
    const query = KEYS.map((k) => `${encodeURIComponent(k)}=x`).join("&");
    const page = await request(app)
      .get(`/search.json?q=wheat&${query}`)
      .expect(200);
    expect(page.body.total).toBe(0);
    await request(app).get(`/?${query}`).expect(200);
  });
});

describe("an id with a lone surrogate", () => {
  it("is made well-formed, so every page that links to it answers", async () => {
    const { toStatement } = await import("../../src/ingest/statement.ts");
    const { statement } = toStatement(
      { id: "lone-\ud800", title: "t", body: "zeugma" },
      { file: "x.jsonl", fallbackId: "x/1" },
    );
    expect(statement?.id).toBe("lone-\ufffd");
    const lone = createApp(MemoryArchive.fromStatements([statement!]), {
      env: "test",
    });
    const page = await request(lone).get("/search.json?q=zeugma").expect(200);
    expect(page.body.hits[0].href).toBe("/statements/lone-%EF%BF%BD?q=zeugma");
    await request(lone).get(page.body.hits[0].href).expect(200);
    await request(lone).get("/search.csv?q=zeugma").expect(200);
  });

  it("is linked as U+FFFD when the statement was made in code, not read", async () => {
    const lone = createApp(
      MemoryArchive.fromStatements([
        {
          id: "code-\udc00",
          title: "t",
          body: "zeugma",
          meta: {},
          origin: { file: "x.jsonl" },
        },
      ]),
      { env: "test" },
    );
    const page = await request(lone).get("/search.json?q=zeugma").expect(200);
    expect(page.body.hits[0].href).toBe("/statements/code-%EF%BF%BD?q=zeugma");
    await request(lone).get("/search.atom?q=zeugma").expect(200);
    await request(lone).get("/search.csv?q=zeugma").expect(200);
  });

  it("is made well-formed when the id comes from the file and a record's key", async () => {
    const { toStatement } = await import("../../src/ingest/statement.ts");
    const { statement } = toStatement(
      { title: "t", body: "zeugma" },
      { file: "x.json", fallbackId: "x/key-\udc00" },
    );
    expect(statement?.id).toBe("x/key-\ufffd");
  });
});
