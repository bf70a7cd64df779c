/**
 * The shape of src/: no import cycle, type-only imports and dynamic ones included, and arrows
 * pointing down (web/, cli/ → archive.ts, the seam → search/, the pipeline → engines/, the
 * stores → the shared cores). Read from the import statements themselves, so a drift shows
 * here, not in a comment.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const src = path.resolve(import.meta.dirname, "..", "src");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

// `import … from "./x.ts"`, `import type …`, `export … from`, and `import("./x.ts")`.
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?["'](\.{1,2}\/[^"']+)["']|import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;

/** Every module of src/ (relative path) and the modules of src/ it imports. */
function graph(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of sources(src)) {
    const text = readFileSync(file, "utf8");
    const targets = [...text.matchAll(IMPORT)].map((m) =>
      path.relative(src, path.resolve(path.dirname(file), (m[1] ?? m[2])!)),
    );
    out.set(path.relative(src, file), [...new Set(targets)]);
  }
  return out;
}

/** The groups of modules that import each other round (Tarjan's strongly connected components). */
function cycles(g: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of g.get(v) ?? []) {
      if (!g.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w))
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const part: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        part.push(w);
      } while (w !== v);
      if (part.length > 1 || (g.get(v) ?? []).includes(v))
        found.push(part.sort());
    }
  };
  for (const v of g.keys()) if (!index.has(v)) visit(v);
  return found;
}

const layer = (module: string) =>
  module.includes("/") ? module.split("/")[0]! : module.replace(/\.ts$/, "");

/** What each layer must not import: the layers above it. */
const NEVER: Record<string, string[]> = {
  text: [
    "query",
    "ingest",
    "versions",
    "out",
    "runtime",
    "workspace",
    "engines",
    "search",
    "archive",
    "web",
    "cli",
  ],
  query: [
    "ingest",
    "versions",
    "out",
    "workspace",
    "engines",
    "search",
    "archive",
    "web",
    "cli",
  ],
  ingest: [
    "versions",
    "out",
    "workspace",
    "engines",
    "search",
    "archive",
    "web",
    "cli",
  ],
  versions: ["out", "workspace", "engines", "search", "archive", "web", "cli"],
  runtime: [
    "ingest",
    "versions",
    "out",
    "workspace",
    "engines",
    "search",
    "archive",
    "web",
    "cli",
  ],
  out: ["engines", "archive", "web", "cli"],
  engines: ["search", "archive", "web", "cli"],
  search: ["archive", "web", "cli"],
  archive: ["web", "cli"],
  web: ["cli"],
};

describe("the shape of src/", () => {
  const g = graph();

  it("reads every module's imports (the reader itself is checked)", () => {
    expect(g.size).toBeGreaterThan(150);
    expect(g.get("archive.ts")).toContain("search/archive.ts");
    // A type-only import and a dynamic one are read as well.
    expect(g.get("search/compare.ts")).toContain("search/pages.ts");
    expect(g.get("ingest/formats.ts")).toContain("ingest/pdf.ts");
  });

  it("has no import cycle, type-only imports included", () => {
    expect(cycles(g)).toEqual([]);
    // The check finds one when there is one.
    expect(
      cycles(
        new Map([
          ["a.ts", ["b.ts"]],
          ["b.ts", ["a.ts"]],
        ]),
      ),
    ).toEqual([["a.ts", "b.ts"]]);
  });

  it("points its arrows down: no layer imports one above it", () => {
    const upward = [...g].flatMap(([from, targets]) =>
      targets
        .filter((to) => NEVER[layer(from)]?.includes(layer(to)))
        .map((to) => `${from} → ${to}`),
    );
    expect(upward).toEqual([]);
  });

  it("keeps the format parsers apart from the registry that loads them", () => {
    const parsers = [...g.keys()].filter(
      (m) =>
        m.startsWith("ingest/") &&
        (g.get("ingest/formats.ts") ?? []).includes(m) &&
        m !== "ingest/format-contract.ts",
    );
    expect(parsers.length).toBeGreaterThan(8);
    for (const parser of parsers)
      expect(g.get(parser), parser).not.toContain("ingest/formats.ts");
  });

  it("lets the command line reach the web only to serve it", () => {
    const reaching = [...g]
      .filter(
        ([from, targets]) =>
          from.startsWith("cli/") && targets.some((t) => layer(t) === "web"),
      )
      .map(([from]) => from);
    // `readout serve` starts the app; what else the command line prints (results, links)
    // comes from the layers below both.
    expect(reaching).toEqual(["cli/serve.ts"]);
  });

  it("gives the command line one entry to PostgreSQL's tools", () => {
    const reached = [...g]
      .filter(([from]) => from.startsWith("cli/"))
      .flatMap(([, targets]) =>
        targets.filter((t) => t.startsWith("engines/postgres/")),
      );
    expect([...new Set(reached)]).toEqual(["engines/postgres/admin.ts"]);
  });
});
