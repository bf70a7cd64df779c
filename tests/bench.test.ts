import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { csvRecordCounter } from "../scripts/bench/export-rate.ts";
import { loadTest } from "../scripts/bench/measure-http.ts";
import { leakVerdict } from "../scripts/bench/measurements/load.ts";
import type { MixQuery } from "../scripts/bench/mix.ts";
import { parseOptions, usage } from "../scripts/bench/options.ts";
import { copyField, plainQuery } from "../scripts/bench/pg-anchor.ts";
import { measurements } from "../scripts/bench/registry.ts";
import { loadWorkload } from "../scripts/bench/workload.ts";

const names = measurements.map((m) => m.name);

describe("parseOptions", () => {
  it("runs every measurement unless --only names some", () => {
    expect(parseOptions([], false, names).only).toEqual([]);
    expect(parseOptions(["--only", "load,http"], false, names).only).toEqual([
      "load",
      "http",
    ]);
  });

  it("names the unknown measurement and those there are", () => {
    expect(() => parseOptions(["--only", "load,lode"], false, names)).toThrow(
      'bench: --only takes build, start, http, load, got "lode"',
    );
  });
});

describe("usage", () => {
  it("lists every registered measurement with its summary", () => {
    const text = usage(measurements);
    const lines = text.split("\n").map((l) => l.trim().replace(/\s+/, " "));
    for (const m of measurements)
      expect(lines).toContain(`${m.name} ${m.summary}`);
  });
});

describe("loadWorkload", () => {
  const query = (kind: string, params: Record<string, string>): MixQuery => ({
    kind,
    params,
    stock: { q: params.q! },
  });
  const mix = [
    query("rare word", { q: "zanzibar" }),
    query("common word", { q: "peace" }),
    query("2-word AND", { q: "grain corridor" }),
    query("phrase", { q: '"black sea"' }),
    query("source filter", { q: "peace", source: "The White House" }),
    query("date filter", { q: "peace", from: "2021", to: "2023" }),
  ];
  const paths = loadWorkload(mix, [
    { id: "a/b", href: "/statements/a/b?q=peace#m1" },
  ]);

  it("asks for each query as a page, its JSON twin and a later page, never page 1", () => {
    expect(paths.slice(0, 6)).toEqual([
      "/search?q=zanzibar",
      "/search.json?q=zanzibar",
      "/search?q=zanzibar&page=2",
      "/search?q=peace",
      "/search.json?q=peace",
      "/search?q=peace&page=3",
    ]);
    expect(paths.some((p) => /[?&]page=1\b/.test(p))).toBe(false);
  });

  it("combines the mix's words with the query operators", () => {
    expect(paths).toContain("/search?q=grain+OR+corridor");
    expect(paths).toContain("/search?q=peace+-grain");
    expect(paths).toContain("/search?q=%22black+sea%22%7E5");
    expect(paths).toContain("/search?q=source%3A%22The+White+House%22+grain");
    expect(paths).toContain("/search?q=after%3A2021-01-01+grain");
  });

  it("adds statement pages with their JSON twins, an export, a feed and the plain pages", () => {
    expect(paths.slice(-8)).toEqual([
      "/statements/a/b?q=peace",
      "/statements/a/b.json?q=peace",
      "/search.csv?q=%22black+sea%22",
      "/search.atom?q=peace",
      "/suggest?q=pea",
      "/",
      "/about",
      "/help",
    ]);
  });
});

describe("leakVerdict", () => {
  const MB = 2 ** 20;

  it("calls memory that rises after every run a possible leak", () => {
    expect(leakVerdict([200 * MB, 220 * MB, 250 * MB])).toBe(
      "RSS rose after every run (200 MB → 250 MB): look for a leak.",
    );
  });

  it("does not call a warm-up rise followed by a level a leak", () => {
    expect(leakVerdict([200 * MB, 204 * MB, 203 * MB])).toBe(
      "RSS did not keep rising after the warm-up run (lowest 203 MB, last 203 MB): no sign of a leak.",
    );
  });
});

describe("plainQuery (the --anchor's plain full-text search)", () => {
  it("turns filters in the query and in the parameters into column conditions", () => {
    expect(
      plainQuery({
        q: 'source:"Office of X" energy',
        from: "2001",
        to: "2003",
      }),
    ).toEqual({
      tsquery: "websearch_to_tsquery('english', $1)",
      text: "energy",
      filters: ["source = $2", "left(date, 4) >= $3", "left(date, 4) <= $4"],
      values: ["Office of X", "2001", "2003"],
    });
  });

  it("reads a prefix as a :* prefix and a typo as the word", () => {
    expect(plainQuery({ q: "minist*" })).toMatchObject({
      tsquery: "to_tsquery('english', $1)",
      text: "minist:*",
    });
    expect(plainQuery({ q: "energi~" }).text).toBe("energi");
    expect(plainQuery({ q: '"human rights"' }).text).toBe('"human rights"');
  });
});

describe("copyField", () => {
  it("escapes what COPY's text format would read as structure", () => {
    expect(copyField("a\\b\tc\nd\re")).toBe("a\\\\b\\tc\\nd\\re");
    expect(copyField(undefined)).toBe("\\N");
  });
});

describe("csvRecordCounter", () => {
  it("counts records, not line breaks inside quoted fields, across pieces", () => {
    const counter = csvRecordCounter();
    for (const piece of [
      'id,summary\r\n1,"two\nlines ""q',
      'uoted"""\r\n2,',
      "x\r\n",
    ])
      counter.feed(piece);
    expect(counter.records).toBe(3);
  });
});

describe("the HTTP load", () => {
  it("comes from as many client addresses as it has connections", async () => {
    const seen = new Set<string>();
    const server = createServer((req, res) => {
      seen.add(String(req.headers["x-forwarded-for"]));
      res.end("ok");
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    try {
      const { port } = server.address() as AddressInfo;
      const figures = await loadTest(
        `http://127.0.0.1:${port}`,
        ["/a", "/b"],
        { duration: 1, connections: 4 },
        () => 0,
      );
      expect(figures.requests).toBeGreaterThan(8);
      expect([...seen].sort()).toEqual([
        "10.0.0.0",
        "10.0.0.1",
        "10.0.0.2",
        "10.0.0.3",
      ]);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});
