import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadStatements, type LoadResult } from "../../src/ingest/load.ts";
import { hostileDir, hostileFiles, hostileLoad } from "./hostile.ts";
import { payloads } from "./payloads.ts";

let result: LoadResult;
beforeAll(async () => {
  result = (await hostileLoad()).result;
}, 60_000);
afterAll(async () => (await hostileLoad()).cleanup());

// Titles and sources are one line: runs of white space become one space.
const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

describe("the hostile fixtures", () => {
  it("hold at least 50 payloads, each once", () => {
    expect(payloads.length).toBeGreaterThanOrEqual(50);
    expect(new Set(payloads.map((p) => p.text)).size).toBe(payloads.length);
  });

  it("are the files generated from payloads.ts (npx tsx tests/security/hostile.ts)", async () => {
    const expected = hostileFiles();
    const onDisk = (
      await readdir(hostileDir, { recursive: true, withFileTypes: true })
    )
      .filter((e) => e.isFile())
      .map((e) =>
        path
          .relative(hostileDir, path.join(e.parentPath, e.name))
          .split(path.sep)
          .join("/"),
      )
      .sort();
    expect(onDisk).toEqual([...expected.keys()].sort());
    for (const [file, content] of expected)
      expect(await readFile(path.join(hostileDir, file), "utf8"), file).toBe(
        content,
      );
  });

  it("carry every payload in every field a statement has", () => {
    const { statements, problems } = result;
    const missing: string[] = [];
    for (const { name, text } of payloads) {
      const line = oneLine(text);
      const has = (field: string, found: boolean) => {
        if (!found) missing.push(`${name}: ${field}`);
      };
      has(
        "title",
        statements.some((s) => s.title.includes(line)),
      );
      has(
        "body",
        statements.some((s) => s.body.includes(text)),
      );
      has(
        "source",
        statements.some((s) => s.source === line),
      );
      has(
        "url",
        statements.some((s) => s.url === text.trim()),
      );
      has(
        "metadata value",
        statements.some((s) => s.meta.kind === text.trim()),
      );
      has(
        "id",
        statements.some((s) => s.id === text.trim()),
      );
      has(
        "problem",
        problems.some((p) => p.message.includes(text.trim())),
      );
      // Assigning "__proto__" sets an object's prototype (a string is ignored): it cannot be a key.
      if (text !== "__proto__")
        has(
          "metadata key",
          statements.some((s) => Object.hasOwn(s.meta, text)),
        );
    }
    expect(missing).toEqual([]);
  });

  it("include files and folders named by payloads, reported or used by name", () => {
    const named = payloads.filter((p) => !/[/\u0000]/.test(p.text));
    for (const { text } of named.slice(0, 10)) {
      const name = text.trim();
      expect(result.statements.some((s) => s.source === name)).toBe(true);
      expect(result.problems.some((p) => p.file === `named/${name}.pdf`)).toBe(
        true,
      );
    }
  });
});

describe("hostile data files", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "readout-yaml-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("refuse a YAML alias bomb quickly instead of expanding it", async () => {
    const lines = [
      'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ];
    for (let i = 1; i < 10; i++)
      lines.push(
        `a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(",")}]`,
      );
    await writeFile(
      path.join(dir, "bomb.md"),
      `---\n${lines.join("\n")}\ntitle: bomb\n---\n\nbody\n`,
    );
    const started = performance.now();
    const { statements, problems } = await loadStatements(dir);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(statements).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({
        file: "bomb.md",
        kept: false,
        message: expect.stringMatching(/alias/),
      }),
    ]);
  });
});
