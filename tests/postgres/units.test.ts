/** The PostgreSQL engine's pure parts: no server needed. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/runtime/config.ts";
import { ConfigError } from "../../src/runtime/option-values.ts";
import { compileMatch, Sql } from "../../src/engines/postgres/compile.ts";
import { ShardCounts, TermCounter } from "../../src/engines/postgres/batch.ts";
import { RowPool } from "../../src/engines/postgres/row-pool.ts";
import { ROW_COLUMNS, statementRow } from "../../src/engines/postgres/rows.ts";
import {
  occurrencesOf,
  RowSegment,
} from "../../src/engines/postgres/segment.ts";
import { SEPARATOR } from "../../src/engines/store.ts";
import {
  formatSpec,
  parseSpec,
  passwordFor,
  SpecError,
} from "../../src/engines/postgres/spec.ts";
import { levenshtein } from "../../src/engines/postgres/vocabulary.ts";
import { parseSyntax } from "../../src/query/parse.ts";

describe("statementRow", () => {
  it("writes title words at 1…T marked A, body words after a gap, metadata as field=term marked B", () => {
    const row = statementRow({
      id: "a",
      title: "Peace talks",
      body: "The talks on peace.\n\nPeace, again.",
      source: "White House",
      meta: { country: "Azerbaijan" },
      origin: { file: "a.txt" },
      date: "2023-09",
    });
    const columns = row.line.slice(0, -1).split("\t");
    expect(columns[ROW_COLUMNS.indexOf("tv")]).toBe(
      "'peace':1A,7,8 'talks':2A,5 'the':4 'on':6 'again':9 'source=white':1B 'source=house':2B 'country=azerbaijan':1B",
    );
    expect(columns.slice(5, 11)).toEqual([
      "The talks on peace.\\n\\nPeace, again.",
      "2023-09",
      "2023-09-01",
      "2023-09-30",
      "1693526400000",
      "2023",
    ]);
    expect(row.terms.map((t, i) => [t, row.where[i]])).toEqual([
      ["peace", 3],
      ["talks", 3],
      ["the", 2],
      ["on", 2],
      ["again", 2],
    ]);
  });
});

describe("TermCounter", () => {
  it("counts statements per term anywhere, in the title and in the body, and adds counts taken elsewhere", () => {
    const a = new TermCounter();
    a.add(["peace", "talks"], Uint8Array.from([3, 1]));
    a.add(["peace", "again"], Uint8Array.from([2, 2]));
    const b = new TermCounter();
    b.add(["talks", "zeugma"], Uint8Array.from([2, 1]));
    const { terms, counts } = b.export();
    a.merge(terms, counts);
    expect(
      a.lines((t, n, title, body) => `${t} ${n} ${title} ${body}`),
    ).toEqual(["peace 2 1 2", "talks 2 1 1", "again 1 0 1", "zeugma 1 1 0"]);
  });
});

describe("RowPool", () => {
  const statement = (id: string, title: string, body: string) => ({
    id,
    title,
    body,
    source: "White House",
    meta: { country: "Azerbaijan" },
    origin: { file: "a.jsonl", line: Number(id.slice(1)) },
  });
  const tasks = [
    {
      statement: statement("s1", "Peace talks", "The talks on peace."),
      hash: "h1",
      shard: 0,
    },
    {
      statement: statement("s2", "Zeugma", "Mosaics of zeugma."),
      hash: "h2",
      shard: 1,
    },
    {
      statement: statement("s3", "Peace", "Peace again."),
      hash: "h3",
      shard: 1,
    },
  ];
  const summary = (counts: ShardCounts[]) =>
    counts.map((c) => ({ ...c.data(), counts: [...c.data().counts] }));

  it("builds the same rows and counts in a worker thread as in this one", async () => {
    const here = new RowPool(2, 0);
    const there = new RowPool(2, 1);
    try {
      expect(there.size).toBe(1);
      const local = [
        ...(await here.build(tasks.slice(0, 2))),
        ...(await here.build(tasks.slice(2))),
      ];
      const remote = [
        ...(await there.build(tasks.slice(0, 2))),
        ...(await there.build(tasks.slice(2))),
      ];
      expect(remote).toEqual(local);
      expect(local[1]!.split("\n")[0]!.split("\t")[0]).toBe("s2");
      const counted = summary(await there.counts());
      expect(counted).toEqual(summary(await here.counts()));
      expect(counted[1]!.statements).toBe(2);
      expect(counted[1]!.fieldValues).toEqual([
        ['["source","White House"]', 2],
        ['["country","Azerbaijan"]', 2],
      ]);
      // Counted once: the next import starts from nothing.
      expect(summary(await there.counts())[1]!.statements).toBe(0);
    } finally {
      await here.close();
      await there.close();
    }
  });
});

describe("RowSegment", () => {
  it("reads a cut-down vector, telling title from body by position, and leaves metadata out", () => {
    expect([
      ...occurrencesOf("'peace':1C,7C 'it''s':3C 'source=white':1C"),
    ]).toEqual([
      ["peace", [1, 7]],
      ["it's", [3]],
    ]);
    const segment = new RowSegment(
      [
        {
          id: "a",
          title_words: 2,
          body_words: 5,
          date_key: null,
          group_id: null,
          occ: "'peace':1C,7C 'it''s':4C",
        },
      ],
      [0],
    );
    const peace = segment.postings("peace")!;
    expect([...peace.get(0)!]).toEqual([[0, 1]]);
    expect([...peace.get(1)!]).toEqual([[0, 1]]);
    const [p, i] = ["peace", "it's"].map((t) => segment.termId(t)!);
    const other = 0xfffffffe;
    // Title words at 1…2, the separator where the gap is, body words from 4 on.
    expect([...segment.positions(0)!]).toEqual([
      p,
      other,
      SEPARATOR,
      i,
      other,
      other,
      p,
    ]);
  });
});

describe("compileMatch", () => {
  it("ORs a word's variants, limits fields by weight and checks proximity on the row", () => {
    const { root } = parseSyntax(
      'title:peace OR "joint statement" -Baku "a b"~2',
      ["source"],
      64,
    );
    const sql = new Sql();
    const where = compileMatch(
      root,
      (node) =>
        node.term === "peace"
          ? [
              { term: "peace", weight: 1 },
              { term: "peaces", weight: 0.7 },
            ]
          : [{ term: node.term, weight: 1 }],
      sql,
    );
    // Parts that are plain tsquery stay one tsquery; the proximity check joins them in SQL.
    expect(where).toBe(
      "(tv @@ $5::tsquery AND tv @@ $6::tsquery AND (tv @@ $1::tsquery AND readout_near(tv, $2::text[], $3::int, $4::text[])))",
    );
    expect(sql.values).toEqual([
      "('a' & 'b')",
      ["a", "b"],
      3,
      null,
      "(('peace':A | 'peaces':A) | ('joint' <-> 'statement'))",
      "!'baku'",
    ]);
  });
});

describe("parseSpec", () => {
  it("reads shards and replicas, masking passwords in labels", () => {
    const spec = parseSpec(
      "postgres://u:secret@db1:5433/arch,postgres://db1r/arch;postgres://db2/arch?passfile=%2Ftmp%2Fp",
    );
    expect(
      spec.shards.map((s) => [s.primary.label, s.replicas.map((r) => r.label)]),
    ).toEqual([
      ["postgres://u:***@db1:5433/arch", ["postgres://db1r/arch"]],
      ["postgres://db2/arch?passfile=%2Ftmp%2Fp", []],
    ]);
    expect(spec.shards[1]!.primary.passfile).toBe("/tmp/p");
    expect(formatSpec(spec)).toBe(
      "postgres://u:secret@db1:5433/arch,postgres://db1r:5432/arch;postgres://db2:5432/arch?passfile=%2Ftmp%2Fp",
    );
  });

  it("refuses what is not a postgres URL, without showing its password", () => {
    expect(() => parseSpec("mysql://u:pw@h/db")).toThrow(SpecError);
    expect(() => parseSpec("mysql://u:pw@h/db")).toThrow(
      '"mysql://u:***@h/db"',
    );
    expect(() => parseSpec(" ; ")).toThrow("needs at least one");
  });

  it("finds a role's password in a pgpass file", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "readout-pgpass-"));
    const file = path.join(dir, "pgpass");
    await writeFile(file, "127.0.0.1:5432:*:reader:r\\:1\n*:*:*:writer:w2\n");
    const server = parseSpec(
      `postgres://127.0.0.1/readout?passfile=${encodeURIComponent(file)}`,
    ).shards[0]!.primary;
    expect(passwordFor(server, "reader")).toBe("r:1");
    expect(passwordFor(server, "writer")).toBe("w2");
    expect(passwordFor(server, "other")).toBeUndefined();
    await rm(dir, { recursive: true });
  });
});

describe("levenshtein", () => {
  it("counts inserts, deletes and replacements", () => {
    expect(levenshtein("bayramov", "bayramof")).toBe(1);
    expect(levenshtein("ağdam", "agdam")).toBe(1);
    expect(levenshtein("talks", "stalk")).toBe(2);
  });
});

describe("loadConfig for PostgreSQL", () => {
  it("reads pg start and its options, and --pg or READOUT_PG for import", () => {
    const pg = loadConfig(
      ["start", "--dir", "/tmp/c", "--shards", "3", "--replicas", "0"],
      {},
      "pg",
    );
    expect([pg.pgAction, pg.dir, pg.shards, pg.replicas]).toEqual([
      "start",
      "/tmp/c",
      3,
      0,
    ]);
    const imported = loadConfig(
      ["--data", "/tmp/d"],
      { READOUT_PG: "postgres://h/db" },
      "import",
    );
    expect([imported.pg, imported.data, imported.dataGiven]).toEqual([
      "postgres://h/db",
      "/tmp/d",
      true,
    ]);
    expect(loadConfig(["--pg", "postgres://h/db"], {}, "serve").dataGiven).toBe(
      false,
    );
  });

  it("refuses an import without servers and a pg without a folder or an action", () => {
    expect(() => loadConfig(["--data", "/tmp/d"], {}, "import")).toThrow(
      ConfigError,
    );
    expect(() => loadConfig(["start"], {}, "pg")).toThrow("pg needs --dir DIR");
    expect(() => loadConfig(["restart", "--dir", "/x"], {}, "pg")).toThrow(
      'config: pg takes start or stop, got "restart"',
    );
    expect(() =>
      loadConfig(["start", "--dir", "/x", "--shards", "0"], {}, "pg"),
    ).toThrow('--shards must be a whole number from 1 to 64, got "0"');
  });
});
