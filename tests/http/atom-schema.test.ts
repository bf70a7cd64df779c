import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { atomFeed } from "../../src/out/feed.ts";
import { fixtures, workspaceFixture } from "../helpers.ts";

// RFC 4287 checked by an outside validator: Debian's jing (`.ci/run` installs it) over the
// grammar in tests/fixtures/atom. Without jing here, the test says so and is skipped.
const jing = spawnSync("jing", [], { stdio: "ignore" }).error
  ? undefined
  : "jing";
const grammar = path.join(fixtures, "atom", "atom.rnc");

describe.skipIf(!jing)("Atom feeds against RFC 4287's grammar (jing)", () => {
  let fx: Awaited<ReturnType<typeof workspaceFixture>>;
  let dir: string;
  beforeAll(async () => {
    fx = await workspaceFixture();
    dir = await mkdtemp(path.join(os.tmpdir(), "readout-atom-"));
  });
  afterAll(async () => {
    await fx?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("finds no error in the feed of everything, a search's feed, a saved search's feed and a partial feed", async () => {
    const feeds: Record<string, string> = {};
    for (const [name, url] of [
      ["everything", "/feed.atom"],
      ["search", "/search.atom?q=the"],
      ["filtered", "/search.atom?q=statement&source=Council+of+the+EU"],
      ["saved", `/saved/${fx.saved}.atom`],
    ] as const)
      feeds[name] = (await request(fx.app).get(url).expect(200)).text;
    feeds.partial = atomFeed({
      title: "Readout: t",
      self: "http://127.0.0.1:3000/search.atom?q=t",
      alternate: "http://127.0.0.1:3000/search?q=t",
      now: new Date("2026-01-01T00:00:00Z"),
      partial: {
        parts: ["shard 2"],
        note: "Part of the archive did not answer.",
      },
      entries: [],
    });
    // The control: what the validator must refuse (no id, a date without a time).
    feeds.control = feeds
      .everything!.replace(/<id>[^<]*<\/id>/, "")
      .replace(
        /<updated>(\d{4}-\d\d-\d\d)T[^<]*<\/updated>/,
        "<updated>$1</updated>",
      );
    const files = await Promise.all(
      Object.entries(feeds).map(async ([name, xml]) => {
        const file = path.join(dir, `${name}.xml`);
        await writeFile(file, xml);
        return file;
      }),
    );
    const run = spawnSync(jing!, ["-c", grammar, ...files], {
      encoding: "utf8",
    });
    // jing names each error `file:line:column: error: …`; its warnings are about its classpath.
    const errors = `${run.stdout}${run.stderr}`
      .split("\n")
      .filter((line) => line.includes(": error: "))
      .map((line) => line.slice(dir.length + 1));
    expect(errors.filter((e) => !e.startsWith("control.xml"))).toEqual([]);
    expect(errors.length).toBe(2);
    expect(feeds.everything).toContain("<entry>");
    expect(feeds.saved).toContain("<entry>");
  });
});
