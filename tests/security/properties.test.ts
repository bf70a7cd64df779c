import fc from "fast-check";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Corpus } from "../../src/engines/memory/corpus.ts";
import { highlight, snippet, wordMarker } from "../../src/search/highlight.ts";
import { loadStatements } from "../../src/ingest/load.ts";
import { limits, parseQuery } from "../../src/query/params.ts";
import { searchCorpus as search, specOf } from "../helpers.ts";
import { tokenize } from "../../src/text/terms.ts";
import { hostileLoad } from "./hostile.ts";
import { payloads } from "./payloads.ts";

// Pieces that stress escaping, tokenizing and query parsing more than uniform code points do.
const PIECES = [
  ...payloads.map((p) => p.text),
  ..."<>&\"'/=;:#` \t\n\r\u00a0\u200b\u200d\u202e\u0301\ufeff\u0000\ud800\udc00".split(
    "",
  ),
  "&amp;",
  "&lt;",
  "&#39;",
  "<mark>",
  "</mark>",
  "mark",
  "lt",
  "amp",
  "quot",
  "script",
  "Ağdam",
  "U.S.",
  "don’t",
  "1,000",
  "é",
  "\u{1f600}",
];

const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.string({ unit: fc.constantFrom(...PIECES), maxLength: 40 }),
  // Lone surrogates and other code units that are not whole characters.
  fc.string({
    unit: fc
      .integer({ min: 0, max: 0xffff })
      .map((c) => String.fromCharCode(c)),
    maxLength: 100,
  }),
);

/** A text and terms to mark in it: some of its own words, and some arbitrary strings. */
const textAndTerms = text.chain((t) => {
  const own = tokenize(t).map((token) => token.term);
  return fc.tuple(
    fc.constant(t),
    fc
      .tuple(
        own.length ? fc.subarray(own) : fc.constant([]),
        fc.array(fc.oneof(fc.string(), fc.constantFrom(...PIECES)), {
          maxLength: 4,
        }),
      )
      .map(([a, b]) => [...a, ...b]),
  );
});

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
};
const MARK_TAG = /<mark(?: id="m\d+")?>|<\/mark>/g;

/** The text a browser would show for highlighted HTML, or the reason it is not plain. */
function shownText(html: string): string {
  const bare = html.replace(MARK_TAG, "");
  if (/[<>"']/.test(bare))
    throw new Error(`unescaped markup in ${JSON.stringify(html)}`);
  const loose = bare.replace(/&(amp|lt|gt|quot|#39);/g, "");
  if (loose.includes("&"))
    throw new Error(`bare "&" in ${JSON.stringify(html)}`);
  return bare.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!);
}

// What snippet does to whitespace: line breaks and the space around them fold to one space.
const fold = (s: string) => s.replace(/\s+/g, " ").trim();
// What a page may show of a text: HTML forbids control characters and noncharacters.
const shown = (s: string) =>
  s.replace(
    /[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f\ufdd0-\ufdef\ufffe\uffff]/g,
    "",
  );

describe("highlighting any text with any terms", () => {
  it("shows exactly the text, with no tag but <mark>", () => {
    fc.assert(
      fc.property(textAndTerms, fc.boolean(), ([t, terms], counted) => {
        const html = highlight(
          t,
          wordMarker(terms),
          counted ? { count: 0 } : undefined,
        );
        expect(shownText(html)).toBe(shown(t));
        // Marks open and close in turn, never nested.
        const marks = html.match(MARK_TAG) ?? [];
        marks.forEach((tag, i) =>
          expect(tag.startsWith("</")).toBe(i % 2 === 1),
        );
        expect(marks.length % 2).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  it("gives a snippet that is a passage of the text", () => {
    fc.assert(
      fc.property(
        textAndTerms,
        fc.integer({ min: 1, max: 40 }),
        ([t, terms], words) => {
          const html = snippet(t, wordMarker(terms), words);
          const passage = shownText(html.replace(/^… /, "").replace(/ …$/, ""));
          expect(fold(shown(t))).toContain(fold(passage));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("any string as a query", () => {
  let corpus: Corpus;
  beforeAll(async () => {
    corpus = (await hostileLoad()).corpus;
  }, 60_000);
  afterAll(async () => (await hostileLoad()).cleanup());

  const SYNTAX = [
    ...PIECES,
    '"',
    "(",
    ")",
    "*",
    "~",
    "~5",
    "-",
    "OR",
    "AND",
    "NOT",
    "title:",
    "body:",
    "source:",
    "kind:",
    "after:",
    "before:",
    "date:",
    "2023",
    "2023-13-45",
    "a",
    "ab",
    "hostile",
    "hostile001",
    "onerror",
  ];
  const query = fc.oneof(
    fc.string({ unit: "binary", maxLength: 200 }),
    fc.string({ unit: fc.constantFrom(...SYNTAX, " "), maxLength: 60 }),
    fc.string({
      unit: fc.constantFrom("(", '"', "*", "~", "a*", "ab~", " OR ", "-"),
      maxLength: 400,
    }),
  );
  const params = fc.record(
    {
      q: fc.oneof(query, fc.array(query, { maxLength: 3 })),
      mode: fc.oneof(fc.constantFrom("all", "any"), fc.string()),
      sort: fc.oneof(
        fc.constantFrom("relevance", "newest", "oldest"),
        fc.string(),
      ),
      page: fc.oneof(fc.integer().map(String), fc.string()),
      size: fc.oneof(fc.integer().map(String), fc.string()),
      from: fc.oneof(
        fc.constantFrom("2001", "2010-05", "2024-02-30"),
        fc.string(),
      ),
      to: fc.oneof(fc.constantFrom("2001", "2010-05"), fc.string()),
      year: fc.array(fc.oneof(fc.constantFrom("2001", "2010"), fc.string()), {
        maxLength: 3,
      }),
      kind: fc.array(fc.constantFrom(...payloads.map((p) => p.text)), {
        maxLength: 3,
      }),
    },
    { requiredKeys: ["q"] },
  );

  it("never throws, and bounds its work whatever the query", () => {
    fc.assert(
      fc.property(params, (p) => {
        const query = parseQuery(p, corpus.fields.keys());
        const page = search(corpus, query);
        expect(page.total).toBeGreaterThanOrEqual(0);
        // Work, not time: at most 64 words and phrases, each word standing for itself and
        // at most 64 indexed words (the README's and /help's promise).
        const spec = specOf(corpus, query);
        const perWord = new Map<string, number>();
        for (const { key } of spec.words)
          perWord.set(key, (perWord.get(key) ?? 0) + 1);
        expect(Math.max(0, ...perWord.values())).toBeLessThanOrEqual(1 + 64);
        expect(perWord.size + spec.phrases.length).toBeLessThanOrEqual(64);
        expect(page.hits.length).toBeLessThanOrEqual(limits.maxSize);
      }),
      {
        numRuns: 500,
        // Queries that reach the bounds: ~88 words begin "hostile0", and 100 distinct words.
        examples: [
          [{ q: "hostile0*" }],
          // One word quoted and with a star: its own form is listed once, not once per node.
          [{ q: '"hostile" hostile*' }],
          [{ q: Array.from({ length: 100 }, (_, i) => `w${i}`).join(" ") }],
        ],
      },
    );
  }, 120_000);
});

describe("ingesting random bytes", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "readout-bytes-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const utf8 = (s: string) => new TextEncoder().encode(s);
  // Random bytes, and random text shaped like each format so the parsers get past the first check.
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 2000 }),
    fc.string({ unit: "binary", maxLength: 500 }).map(utf8),
    fc
      .tuple(
        fc.string({
          unit: fc.constantFrom(
            ...PIECES,
            "\n",
            ":",
            "---",
            "#",
            "{",
            "}",
            "[",
            "]",
            ",",
          ),
          maxLength: 80,
        }),
      )
      .map(([s]) => utf8(s)),
    fc
      .tuple(fc.string(), fc.string(), fc.string())
      .map(([a, b, c]) => utf8(`---\n${a}: ${b}\n---\n\n${c}`)),
    fc
      .tuple(fc.string(), fc.string())
      .map(([a, b]) => utf8(`${a}\n\n# ${b}\n\n${a}${b}`)),
    fc.jsonValue().map((v) => utf8(JSON.stringify(v))),
    fc
      .array(fc.jsonValue(), { maxLength: 5 })
      .map((vs) => utf8(vs.map((v) => JSON.stringify(v)).join("\n"))),
    fc
      .array(
        fc.record(
          {
            title: fc.jsonValue(),
            body: fc.jsonValue(),
            id: fc.jsonValue(),
            date: fc.jsonValue(),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 4 },
      )
      .map((rs) => utf8(JSON.stringify(rs))),
  );

  for (const ext of [".txt", ".md", ".json", ".jsonl"]) {
    it(`gives statements or problems with a message for a ${ext} file`, async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(bytes, async (content) => {
          const sub = path.join(dir, String(++n) + ext.replace(".", "-"));
          await mkdir(sub);
          await writeFile(path.join(sub, `random${ext}`), content);
          const { statements, problems } = await loadStatements(sub);
          for (const s of statements) {
            expect(s.id).toBeTruthy();
            expect(s.title.trim()).toBeTruthy();
            expect(s.body.trim()).toBeTruthy();
          }
          for (const p of problems) {
            expect(typeof p.message).toBe("string");
            expect(p.message.trim()).not.toBe("");
          }
          expect(statements.length + problems.length).toBeGreaterThan(0);
        }),
        { numRuns: 150 },
      );
    }, 120_000);
  }
});
