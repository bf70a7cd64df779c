import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  parseHistory,
  versionsToAppend,
  type KeptText,
} from "../../src/versions/history.ts";
import { History, HISTORY_FILE } from "../../src/versions/history-file.ts";

const v1 = {
  title: "Readout",
  text: "The talks began.",
  seenAt: "2024-05-01T10:00:00.000Z",
};
const v2 = {
  title: "Readout",
  text: "The talks began today.",
  seenAt: "2024-05-02T10:00:00.000Z",
};
const v3 = {
  title: "Readout (corrected)",
  text: "The talks began today.",
  seenAt: "2024-05-03T10:00:00.000Z",
};

describe("versionsToAppend", () => {
  it("keeps the old and the new text the first time a statement changes", () => {
    expect(versionsToAppend("r", [], v1, v2)).toEqual([
      { id: "r", ...v1 },
      { id: "r", ...v2 },
    ]);
  });

  it("keeps only the new text when the old one is already the last kept", () => {
    const known: KeptText[] = [
      { id: "r", ...v1 },
      { id: "r", ...v2 },
    ];
    expect(versionsToAppend("r", known, v2, v3)).toEqual([{ id: "r", ...v3 }]);
  });

  it("after a crash between the history and the saved index, keeps nothing twice and shows no revert", () => {
    const known: KeptText[] = [
      { id: "r", ...v1 },
      { id: "r", ...v2 },
    ];
    // The saved index still had v1 (seen before v2 was); the file is v2: kept already.
    expect(versionsToAppend("r", known, v1, v2)).toEqual([]);
    // The file has changed again since: only the new text, not v1 once more.
    expect(versionsToAppend("r", known, v1, v3)).toEqual([{ id: "r", ...v3 }]);
  });

  it("keeps a text the history never saw, though an earlier one is the same", () => {
    // Kept v1, v2; then v1 again while the history was off, and v3 now.
    const known: KeptText[] = [
      { id: "r", ...v1 },
      { id: "r", ...v2 },
    ];
    const again = { ...v1, seenAt: "2024-05-02T18:00:00.000Z" };
    expect(versionsToAppend("r", known, again, v3)).toEqual([
      { id: "r", ...again },
      { id: "r", ...v3 },
    ]);
  });

  it("keeps nothing when only the spacing changed", () => {
    expect(
      versionsToAppend("r", [], v1, { ...v1, text: "The  talks\nbegan." }),
    ).toEqual([]);
  });
});

describe("parseHistory", () => {
  it("reads records per statement, oldest first, and reports lines it cannot read", () => {
    const { versions, problems } = parseHistory(
      [
        JSON.stringify({ id: "a", ...v1 }),
        "not json",
        JSON.stringify({ id: "a", title: "x" }),
        JSON.stringify({ id: "a", ...v2 }),
        '{"id": "a", "ti',
      ].join("\n"),
    );
    expect(versions.get("a")!.map((v) => v.text)).toEqual([v1.text, v2.text]);
    expect(problems).toEqual([
      { line: 2, message: "not valid JSON" },
      {
        line: 3,
        message: "not a version record: needs id, title, text and seenAt",
      },
      { line: 5, message: "last line cut short" },
    ]);
  });
});

describe("History", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "readout-history-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("starts empty without a file, and keeps what it records across openings", async () => {
    const cache = join(dir, "cache");
    const { history, problems } = await History.open(cache);
    expect(problems).toEqual([]);
    expect(history.list("r")).toEqual([]);
    await history.record("r", v1, v2);
    await history.record("r", v2, v3);
    await history.record("r", v3, v3);
    const again = (await History.open(cache)).history;
    expect(again.list("r").map((v) => v.seenAt)).toEqual([
      v1.seenAt,
      v2.seenAt,
      v3.seenAt,
    ]);
    expect(again.list("other")).toEqual([]);
  });

  it("writes after a line a crash cut short without losing the new record", async () => {
    await writeFile(
      join(dir, HISTORY_FILE),
      `${JSON.stringify({ id: "r", ...v1 })}\n{"id": "r", "tit`,
    );
    const { history, problems } = await History.open(dir);
    expect(problems).toEqual([{ line: 2, message: "last line cut short" }]);
    await history.record("r", v1, v2);
    const content = await readFile(join(dir, HISTORY_FILE), "utf8");
    expect(
      parseHistory(content)
        .versions.get("r")!
        .map((v) => v.text),
    ).toEqual([v1.text, v2.text]);
  });
});
