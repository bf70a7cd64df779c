import { appendFileSync } from "node:fs";
import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fileId, loadStatements } from "../src/ingest/load.ts";
import { parseMarkdown } from "../src/ingest/markdown.ts";
import { parseTxt } from "../src/ingest/txt.ts";
import { fixtureData, fixtures } from "./helpers.ts";

const byId = async (dir: string) => {
  const result = await loadStatements(dir);
  return {
    ...result,
    get: (id: string) => result.statements.find((s) => s.id === id),
  };
};

describe("parseTxt", () => {
  it("reads the seed format: title, repeated title, date line, body", () => {
    const record = parseTxt(
      "Title\n\nTitle\n# 07 September 2023 20:51 (UTC +04:00)\n\nFirst.\n\nSecond.\n",
    );
    expect(record).toEqual({
      title: "Title",
      date: "07 September 2023 20:51 (UTC +04:00)",
      body: "\nFirst.\n\nSecond.\n",
    });
  });

  it("takes the body straight after the title when there is no repeat and no date", () => {
    expect(parseTxt("Title\n\nBody line.")).toEqual({
      title: "Title",
      date: undefined,
      body: "Body line.",
    });
  });
});

describe("parseMarkdown", () => {
  it("keeps front-matter keys and turns the Markdown into plain paragraphs", () => {
    const record = parseMarkdown(
      "---\ntitle: T\ncountry: [A, B]\n---\nSome *em* &amp; [a link](http://x).\n\n- one\n- two\n",
    );
    expect(record).toEqual({
      title: "T",
      country: ["A", "B"],
      body: "Some em & a link.\n\none\n\ntwo",
    });
  });

  it("reads a value with an unknown YAML tag as plain text, printing no warning", async () => {
    const warnings: string[] = [];
    const warned = (w: Error) => warnings.push(w.message);
    process.on("warning", warned);
    try {
      const record = parseMarkdown("---\ntitle: !note A title\n---\nText.");
      expect(record).toEqual({ title: "A title", body: "Text." });
      // Node emits warnings on a later tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", warned);
    }
    expect(warnings).toEqual([]);
  });

  it("takes the first heading as the title when the front matter has none", () => {
    expect(parseMarkdown("# Heading\n\nText.")).toEqual({
      title: "Heading",
      body: "Text.",
    });
  });
});

describe("fileId", () => {
  it("derives a URL-safe id from the path, keeping folders", () => {
    expect(fileId("Azerbaijan MFA/000_a158c26eda2d7fc2.txt")).toBe(
      "Azerbaijan-MFA/000_a158c26eda2d7fc2",
    );
    expect(fileId("Заявления/Заявление №1.txt")).toBe("Заявления/Заявление-1");
  });
});

describe("loadStatements on good data", () => {
  it("reads every format in the folder, recursively", async () => {
    const { statements, problems, files } = await loadStatements(fixtureData);
    expect(problems).toEqual([]);
    expect(files).toBe(8);
    expect(statements.map((s) => s.id).sort()).toEqual([
      "Azerbaijan-MFA/accents-agdam",
      "arr-flood-relief",
      "arr-harbour",
      "crlf-bom",
      "long-body",
      "markup-lt-amp",
      "press-release",
      "rec-sanctions-2023",
      "rec-zeugma-2022",
      "records/3",
      "seed-format-ceasefire",
    ]);
  });

  it("turns a seed-format date into ISO-8601 with its offset and takes the folder as source", async () => {
    const { get } = await byId(fixtureData);
    expect(get("Azerbaijan-MFA/accents-agdam")).toMatchObject({
      title: "Foreign Ministry comments on the Ağdam road",
      date: "2024-03-12T10:00:00+04:00",
      source: "Azerbaijan MFA",
    });
  });

  it("accepts a BOM, CRLF line ends, extra blank lines and no final newline", async () => {
    const { get } = await byId(fixtureData);
    expect(get("crlf-bom")).toMatchObject({
      title: "Statement with Windows line ends",
      date: "2022-01-03T08:00:00+01:00",
      body: "This file has a byte order mark and CRLF line ends.\n\nIt ends without a final newline about harbour dredging.",
    });
  });

  it("keeps markup in a text file as text", async () => {
    const { get } = await byId(fixtureData);
    expect(get("markup-lt-amp")?.title).toBe(
      "Statement on <script> tags & entities",
    );
    expect(get("markup-lt-amp")?.body).toContain('<script>alert("x")</script>');
    expect(get("markup-lt-amp")?.body).toContain("AT&amp;T");
  });

  it("keeps the extra fields of records and front matter as metadata", async () => {
    const { get } = await byId(fixtureData);
    expect(get("rec-sanctions-2023")).toMatchObject({
      source: "Council of the EU",
      url: "https://example.org/sanctions",
      meta: { country: "Belgium", category: "foreign-affairs" },
      origin: { file: "records.jsonl", line: 1 },
    });
    expect(get("press-release")).toMatchObject({
      date: "2024-05-10",
      source: "Ministry of Culture",
      meta: { category: "culture" },
    });
  });

  it("gives a record without an id one derived from its file and line", async () => {
    const { get } = await byId(fixtureData);
    expect(get("records/3")?.title).toBe("Briefing without an id");
  });

  it("gives the same ids when another file is added", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "readout-ingest-"));
    await writeFile(path.join(dir, "b.txt"), "B\n\nBody b.");
    const before = (await loadStatements(dir)).statements.map((s) => s.id);
    await writeFile(path.join(dir, "a.txt"), "A\n\nBody a.");
    const after = (await loadStatements(dir)).statements.map((s) => s.id);
    expect(before).toEqual(["b"]);
    expect(after).toEqual(["a", "b"]);
  });
});

describe("loadStatements on bad data", () => {
  it("reports each bad file or line with its reason and keeps the rest", async () => {
    const { statements, problems } = await loadStatements(
      path.join(fixtures, "bad-data"),
    );
    expect(statements.map((s) => s.id)).toEqual([
      "bad-date",
      "good-1",
      "good-2",
    ]);
    expect(problems.map((p) => [p.file, p.line, p.message, p.kept])).toEqual([
      [
        "bad-date.txt",
        undefined,
        'date not understood: "31 February 2023 10:00 (UTC +04:00)"',
        true,
      ],
      [
        "bad-front-matter.md",
        3,
        "front matter is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
        false,
      ],
      [
        "binary.txt",
        undefined,
        "binary data (contains NUL bytes), not text",
        false,
      ],
      ["empty.txt", undefined, "file is empty", false],
      [
        "invalid-utf8.txt",
        3,
        "not valid UTF-8: bad byte at offset 30 of the file",
        false,
      ],
      ["no-body.txt", undefined, "no body", false],
      [
        "records.jsonl",
        2,
        "not valid JSON: Expected ',' or '}' after property value in JSON at position 54",
        false,
      ],
      ["records.jsonl", 3, "no title", false],
      [
        "records.jsonl",
        4,
        'duplicate id "good-1", first used by records.jsonl:1',
        false,
      ],
      ["records.jsonl", 6, 'date not understood: "yesterday"', true],
      [
        "records.jsonl",
        7,
        "not valid UTF-8: bad byte at offset 35 of the line",
        false,
      ],
      ["report.pdf", undefined, "damaged PDF (Invalid PDF structure.)", false],
    ]);
  }, 60_000);

  it("keeps a statement whose date cannot be read, without the date", async () => {
    const { get } = await byId(path.join(fixtures, "bad-data"));
    expect(get("bad-date")).toMatchObject({
      title: "A statement with an impossible date",
    });
    expect(get("bad-date")?.date).toBeUndefined();
  }, 60_000);

  it("skips a file over the size limit, and a JSON Lines line over it", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "readout-ingest-"));
    await writeFile(path.join(dir, "big.txt"), `Big\n\n${"word ".repeat(400)}`);
    await writeFile(path.join(dir, "small.txt"), "Small\n\nA short body.");
    const long = JSON.stringify({ title: "Long", body: "x".repeat(3000) });
    await writeFile(
      path.join(dir, "lines.jsonl"),
      `${long}\n{"title": "Short", "body": "ok"}\n`,
    );
    const { statements, problems } = await loadStatements(dir, {
      maxFileBytes: 1024,
    });
    expect(statements.map((s) => s.title)).toEqual(["Short", "Small"]);
    expect(problems.map((p) => [p.file, p.line, p.message])).toEqual([
      ["big.txt", undefined, "file is 2.0 KiB, over the limit of 1.0 KiB"],
      ["lines.jsonl", 1, "line is 3026 bytes, over the limit of 1024"],
    ]);
  });

  it("names a .json file's bad record by its position", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "readout-ingest-"));
    await writeFile(
      path.join(dir, "list.json"),
      '[{"title": "Fine", "body": "ok"}, {"title": "No body"}]',
    );
    await mkdir(path.join(dir, "sub"));
    await writeFile(
      path.join(dir, "sub", "broken.json"),
      '[{"title": "x",\n "body": "y"},\n {"title" "z"}]',
    );
    const { statements, problems } = await loadStatements(dir);
    expect(statements.map((s) => s.id)).toEqual(["list/1"]);
    expect(
      problems.map((p) => [p.file, p.line, p.message.slice(0, 40)]),
    ).toEqual([
      ["list.json", undefined, "record 2: no body"],
      ["sub/broken.json", 3, "not valid JSON: Expected ':' after prope"],
    ]);
  });

  it("fails with the folder's name when the data folder does not exist", async () => {
    await expect(loadStatements("/nonexistent/readout-data")).rejects.toThrow(
      'ingest: data folder "/nonexistent/readout-data" does not exist',
    );
  });
});

describe("loadStatements on files that change while read", () => {
  const records = (n: number, from = 0) =>
    Array.from({ length: n }, (_, i) =>
      JSON.stringify({
        id: `r${from + i}`,
        title: `Record ${from + i}`,
        body: "Text.",
      }),
    ).join("\n") + "\n";

  it("reads a file again when it changed during the read, and keeps the whole of it", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "readout-ingest-"));
    const file = path.join(dir, "growing.jsonl");
    await writeFile(file, records(2500));
    let appended = false;
    const { statements, problems } = await loadStatements(dir, {
      // Called in the middle of the file: the writer is still at work during the first read.
      onProgress: (p) => {
        if (!appended && p.statements > 0 && p.statements < 2500) {
          appended = true;
          appendFileSync(file, records(10, 2500));
        }
      },
    });
    expect(problems).toEqual([]);
    expect(statements).toHaveLength(2510);
  });

  it("skips a file that keeps changing, and says it will be read again", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "readout-ingest-"));
    const file = path.join(dir, "busy.jsonl");
    await writeFile(file, records(2500));
    await writeFile(path.join(dir, "calm.txt"), "Calm\n\nA steady file.");
    let n = 10_000;
    const { statements, problems } = await loadStatements(dir, {
      onProgress: (p) => {
        if (p.file === "busy.jsonl" && p.statements % 1000 === 0)
          appendFileSync(file, records(1, n++));
      },
    });
    expect(statements.map((s) => s.id)).toEqual(["calm"]);
    expect(problems).toEqual([
      {
        file: "busy.jsonl",
        message:
          "the file kept changing while it was being read (still being written?); skipped — Readout reads it again once it stops changing",
        kept: false,
      },
    ]);
  });
});
