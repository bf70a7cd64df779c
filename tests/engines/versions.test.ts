import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import {
  addStatements,
  buildCorpus,
  removeStatements,
} from "../../src/engines/memory/corpus.ts";
import type { Statement } from "../../src/ingest/statement.ts";
import { MemoryArchive } from "../../src/archive.ts";
import { createApp } from "../../src/web/app.ts";
import { archiveOn, ENGINES } from "../engines.ts";

// A joint statement published by two sources a day apart, then corrected by one of them a
// few days later (one sentence changed); and an unrelated statement on the same subject.
const sentences = [
  "The leaders of the five nuclear-weapon states consider the avoidance of war between them a foremost responsibility.",
  "They affirm that a nuclear war cannot be won and must never be fought.",
  "As nuclear use would have far-reaching consequences, they affirm that nuclear weapons should serve defensive purposes, deter aggression and prevent war.",
  "They believe strongly that the further spread of such weapons must be prevented.",
  "They reaffirm the importance of addressing nuclear threats and emphasize preserving their bilateral and multilateral agreements.",
  "They remain committed to their obligations under the treaty, including the obligation to pursue negotiations in good faith.",
];
const joint = sentences.join(" ");
const corrected = joint.replace(
  "They believe strongly that",
  "They believe firmly that",
);
const statement = (id: string, extra: Partial<Statement>): Statement => ({
  id,
  title: "Joint statement on preventing nuclear war",
  body: joint,
  meta: {},
  origin: { file: `${id}.txt` },
  ...extra,
});
const statements = [
  statement("wh", { source: "The White House", date: "2022-01-03" }),
  statement("kremlin", { source: "Kremlin", date: "2022-01-04" }),
  statement("wh-corrected", {
    source: "The White House",
    date: "2022-01-07",
    body: corrected,
  }),
  statement("other", {
    title: "Remarks on arms control",
    body: "Arms control talks on nuclear weapons resume next month in Geneva, with experts from both delegations meeting for three days of consultations.",
    source: "Kremlin",
    date: "2022-02-01",
  }),
];

describe.each(ENGINES)("%s engine", (engine) => {
  const archive = archiveOn(engine, statements);
  let app: ReturnType<typeof createApp>;
  beforeAll(() => {
    app = createApp(archive(), { env: "test" });
  });

  const json = async (url: string) =>
    (await request(app).get(url).expect(200)).body;

  describe("results with versions", () => {
    it("show a group once, as its best-ranked member, with its other versions earliest first", async () => {
      const page = await json("/search.json?q=nuclear");
      expect([page.total, page.groups]).toEqual([4, 2]);
      expect(page.hits).toHaveLength(2);
      const grouped = page.hits.find((h: { group?: string }) => h.group);
      expect(grouped.group).toBe("wh");
      const others = statements
        .filter((s) => s.id !== grouped.id && s.id !== "other")
        .sort((a, b) => a.date!.localeCompare(b.date!))
        .map((s) => s.id);
      expect(grouped.versions.map((v: { id: string }) => v.id)).toEqual(others);
      expect(grouped.versions[0]).toMatchObject({
        source: expect.any(String),
        date: expect.stringMatching(/^2022-01-0\d$/),
        href: expect.stringMatching(/^\/statements\//),
      });
      const html = await request(app).get("/search?q=nuclear").expect(200);
      expect(html.text).toContain(
        "in 2 results, versions of one text together",
      );
      expect(html.text).toContain("<summary>and 2 other versions</summary>");
    });

    it("show every statement with versions=all, and say how to group them again", async () => {
      const page = await json("/search.json?q=nuclear&versions=all");
      expect([page.total, page.groups, page.hits.length]).toEqual([4, 4, 4]);
      expect(page.hits.every((h: { versions?: unknown }) => !h.versions)).toBe(
        true,
      );
      const html = await request(app)
        .get("/search?q=nuclear&versions=all")
        .expect(200);
      expect(html.text).toContain(
        'href="/search?q=nuclear">show versions of one text together</a>',
      );
    });

    it("carry the group id in exports", async () => {
      const csv = await request(app).get("/search.csv?q=nuclear").expect(200);
      const lines = csv.text.trim().split("\r\n");
      expect(lines[0]).toMatch(/,group$/);
      expect(lines.filter((l) => l.endsWith(",wh"))).toHaveLength(3);
      expect(lines.filter((l) => l.startsWith("other,"))[0]).toMatch(/,$/);
    });

    it("filter to texts published by more than one source", async () => {
      const page = await json("/search.json?q=nuclear&echoes=1&versions=all");
      expect(page.echoed).toBe(3);
      expect(page.hits.map((h: { id: string }) => h.id).sort()).toEqual([
        "kremlin",
        "wh",
        "wh-corrected",
      ]);
      expect(page.chips).toEqual([
        {
          label: "Published by more than one source",
          removeHref: "/search?q=nuclear&versions=all",
        },
      ]);
    });
  });

  describe("a statement's versions", () => {
    it("are listed on its page and by id in its JSON twin, with who published first", async () => {
      const body = await json("/statements/wh-corrected.json");
      expect(body.versions).toEqual(["wh", "kremlin"]);
      expect(body.echoes).toMatchObject({
        first: ["The White House"],
        sources: [
          { source: "The White House", date: "2022-01-03", count: 2 },
          { source: "Kremlin", date: "2022-01-04", count: 1 },
        ],
      });
      expect(body.otherVersions[0].diffHref).toBe(
        "/statements/wh/diff/wh-corrected",
      );
      const page = await request(app)
        .get("/statements/wh-corrected")
        .expect(200);
      expect(page.text).toContain("Other versions");
      expect(page.text).toContain("first by The White House");
    });

    it("differ word by word at a URL of their own, with a JSON twin", async () => {
      const page = await request(app)
        .get("/statements/wh/diff/wh-corrected")
        .expect(200);
      expect(page.text).toContain(
        "They believe <del>strongly</del><ins>firmly</ins> that",
      );
      const data = await json("/statements/wh/diff/wh-corrected.json");
      expect(data.body.parts).toContainEqual({ op: "del", text: "strongly" });
      expect(data.body.parts).toContainEqual({ op: "ins", text: "firmly" });
      expect([data.body.removed, data.body.added]).toEqual([1, 1]);
      await request(app).get("/statements/wh/diff/nobody").expect(404);
    });
  });
});

describe("groups under live updates", () => {
  it("join a statement that arrives and leave one that goes", () => {
    const corpus = buildCorpus(statements.filter((s) => s.id !== "kremlin"));
    expect(corpus.versions.groupOf("wh")?.members.map((m) => m.id)).toEqual([
      "wh",
      "wh-corrected",
    ]);
    addStatements(corpus, [statements[1]!]);
    expect(corpus.versions.groupOf("kremlin")?.id).toBe("wh");
    removeStatements(corpus, ["wh"]);
    expect(
      corpus.versions.groupOf("kremlin")?.members.map((m) => m.id),
    ).toEqual(["kremlin", "wh-corrected"]);
    removeStatements(corpus, ["wh-corrected"]);
    expect(corpus.versions.groupOf("kremlin")).toBeUndefined();
  });
});

// The diff is the pipeline's, whichever engine holds the texts: one engine is enough.
describe("a diff of texts in paragraphs", () => {
  it("says once that paragraph breaks differ, marks none of them, and counts the body's words", async () => {
    // The same text in paragraphs, its title spelled another way, as a second site has it.
    const split = createApp(
      MemoryArchive.fromStatements([
        statements[0]!,
        statement("wh-paragraphs", {
          title: "Joint statement on the prevention of nuclear war",
          body: sentences.join("\n\n").replace("strongly", "firmly"),
        }),
      ]),
      { env: "test" },
    );
    const page = await request(split)
      .get("/statements/wh/diff/wh-paragraphs")
      .expect(200);
    expect(page.text.match(/Paragraph breaks differ/g)).toHaveLength(1);
    expect(page.text).toContain(
      "In the body, 1 word removed and 1 added.\n    Paragraph breaks differ (in 5 places)",
    );
    expect(page.text).toContain("In the title, 1 word removed and 3 added.");
    // The legend's, the title's word and the body's word.
    expect(page.text.match(/<del>/g)).toHaveLength(3);
    expect(page.text).toContain(
      "<p>They affirm that a nuclear war cannot be won",
    );
  });
});
