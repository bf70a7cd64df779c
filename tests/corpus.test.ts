import { describe, expect, it } from "vitest";
import { fixtureCorpus } from "./helpers.ts";

describe("TermIndex", () => {
  it("reads the same documents for a term as MiniSearch's own search finds", async () => {
    const corpus = await fixtureCorpus();
    for (const term of [
      "the",
      "zeugma",
      "ceasefire",
      "agdam",
      "u.s",
      "harbour",
      "sanctions",
    ]) {
      const ours = new Set<string>();
      for (const docs of corpus.index.postings(term)?.values() ?? []) {
        for (const doc of docs.keys()) ours.add(corpus.statements[doc]!.id);
      }
      const theirs = corpus.index.miniSearch
        .search(term, { prefix: false, fuzzy: false })
        .map((r) => r.id);
      expect([...ours].sort()).toEqual(theirs.sort());
      expect(ours.size).toBeGreaterThan(0);
    }
  });

  it("expands prefixes and near spellings from MiniSearch's tree", async () => {
    const { index } = await fixtureCorpus();
    expect([...index.withPrefix("sanction")].map(([t]) => t).sort()).toEqual([
      "sanctions",
    ]);
    expect(index.near("zeugmo", 1).map(([t, , d]) => [t, d])).toEqual([
      ["zeugma", 1],
    ]);
  });
});

describe("TermIndex shortcuts", () => {
  const docs = [
    {
      id: "a",
      title: ["peace", "talks"],
      body: ["the", "peace", "talks", "resume", "peace"],
    },
    { id: "b", title: ["trade"], body: ["trade", "and", "peace"] },
    { id: "c", title: [], body: ["empty", "title"] },
  ];

  it("adds documents exactly as MiniSearch's own add does", async () => {
    const { TermIndex } =
      await import("../src/engines/memory/minisearch/term-index.ts");
    const ours = TermIndex.create();
    const theirs = TermIndex.create();
    for (const doc of docs) {
      ours.add(doc.id, [doc.title, doc.body]);
      theirs.miniSearch.add(doc);
    }
    expect(JSON.stringify(ours.miniSearch)).toBe(
      JSON.stringify(theirs.miniSearch),
    );
  });

  it("restores from its parts to the same index", async () => {
    const { TermIndex } =
      await import("../src/engines/memory/minisearch/term-index.ts");
    const index = TermIndex.create();
    for (const doc of docs) index.add(doc.id, [doc.title, doc.body]);
    index.remove("b");
    const restored = TermIndex.restore(index.meta(), index.entries());
    // The radix tree lists terms in insertion order; the content is what must match.
    const plain = (ms: unknown) => {
      const json = JSON.parse(JSON.stringify(ms)) as {
        index: [string, unknown][];
      };
      json.index.sort((a, b) => (a[0] < b[0] ? -1 : 1));
      return json;
    };
    expect(plain(restored.miniSearch)).toEqual(plain(index.miniSearch));
    expect(restored.miniSearch.search("peace").map((r) => r.id)).toEqual(["a"]);
  });
});

describe("buildCorpus", () => {
  it("indexes as MiniSearch would, counting terms through the corpus's own path", async () => {
    const { TermIndex } =
      await import("../src/engines/memory/minisearch/term-index.ts");
    const { terms } = await import("../src/text/terms.ts");
    const corpus = await fixtureCorpus();
    const plain = TermIndex.create();
    for (const statement of corpus.byId.values()) {
      plain.miniSearch.add({
        id: statement.id,
        title: terms(statement.title),
        body: terms(statement.body),
      });
    }
    const normalized = (ms: unknown) => {
      const json = JSON.parse(JSON.stringify(ms)) as {
        index: [string, unknown][];
      };
      json.index.sort((a, b) => (a[0] < b[0] ? -1 : 1));
      return json;
    };
    expect(normalized(corpus.index.miniSearch)).toEqual(
      normalized(plain.miniSearch),
    );
  });
});

describe("the corpus's overview", () => {
  it("counts the statements of each source and language, and those without a source", async () => {
    const { buildCorpus } = await import("../src/engines/memory/corpus.ts");
    const { fixtureStatements } = await import("./helpers.ts");
    const statements = [
      ...(await fixtureStatements()),
      {
        id: "no-source-ru",
        title: "Заявление",
        body: "Текст заявления.",
        lang: "ru",
        meta: {},
        origin: { file: "x.jsonl" },
      },
    ];
    const { overview } = buildCorpus(statements);
    const tally = (values: (string | undefined)[]) => {
      const out = new Map<string, number>();
      for (const v of values) if (v) out.set(v, (out.get(v) ?? 0) + 1);
      return out;
    };
    expect(overview.withoutSource).toBe(
      statements.filter((s) => !s.source).length,
    );
    expect(overview.withoutSource).toBeGreaterThan(0);
    expect(new Map(overview.sources.map((s) => [s.name, s.count]))).toEqual(
      tally(statements.map((s) => s.source)),
    );
    expect(new Map(overview.languages.map((l) => [l.code, l.count]))).toEqual(
      tally(statements.map((s) => s.lang)),
    );
  });
});

describe("packed postings", () => {
  it("count a word's statements without being decoded, as MiniSearch counts them", async () => {
    const { buildCorpus } = await import("../src/engines/memory/corpus.ts");
    const statement = (id: string, title: string, body: string) => ({
      id,
      title,
      body,
      meta: {},
      origin: { file: `${id}.txt` },
    });
    // `harbour` in a title only, a body only, and both; `harbours` in one body.
    const { index } = buildCorpus([
      statement("a", "Harbour dues", "Dues rise in spring."),
      statement("b", "Spring report", "The harbour was dredged."),
      statement(
        "c",
        "Harbour works",
        "The harbour reopened, harbour fees fell.",
      ),
      statement("d", "Trade", "Harbours and ports."),
    ]);
    const packed = (term: string) =>
      (index.postings(term) as { record?(): unknown }).record?.();
    const counts = {
      frequency: index.frequency("harbour"),
      prefix: Object.fromEntries(index.withPrefix("harbo")),
      near: index.near("harbor", 1).map(([t, n]) => [t, n]),
    };
    // Asked for how many statements hold them, every list is still as packed.
    for (const term of ["harbour", "harbours", "spring", "dues"])
      expect(packed(term), term).toBeDefined();
    index.frequency("spring");
    expect(packed("spring")).toBeDefined();
    // The oracle decodes them: MiniSearch's own search.
    const found = (term: string) =>
      index.miniSearch.search(term, { prefix: false, fuzzy: false }).length;
    expect(counts).toEqual({
      frequency: found("harbour"),
      prefix: { harbour: found("harbour"), harbours: found("harbours") },
      near: [["harbour", found("harbour")]],
    });
    expect(counts.frequency).toBe(3);
    // Decoded, the same count.
    expect(packed("harbour")).toBeUndefined();
    expect(index.frequency("harbour")).toBe(3);
  });
});
