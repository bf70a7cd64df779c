import { describe, expect, it } from "vitest";
import { concordance, sortLines } from "../src/search/concordance.ts";
import { highlight, wordMarker, type Marker } from "../src/search/highlight.ts";
import { findPhrase } from "../src/search/positions.ts";
import { concordanceSteps } from "../src/search/concordance-view.ts";
import { parseQuery } from "../src/query/params.ts";
import { runNow } from "../src/runtime/deadline.ts";
import { fixtureCorpus, storeOf } from "./helpers.ts";

const TEXT =
  "Sovereignty matters. We defend our sovereignty and the sovereignty\nof others; full sovereignty, always. Respect state sovereignty.";

// A phrase marker as the statement page builds one: each occurrence one span.
const phrase =
  (words: string[]): Marker =>
  (seq) =>
    findPhrase(seq, words).map((i) => ({
      from: i,
      to: i + words.length - 1,
      key: words.join(" "),
    }));

describe("concordance", () => {
  it("gives every match with the words either side, the match as written", () => {
    const lines = concordance(TEXT, wordMarker(["sovereignty"]), 2);
    expect(lines).toEqual([
      { n: 1, left: "", match: "Sovereignty", right: "matters. We" },
      { n: 2, left: "defend our", match: "sovereignty", right: "and the" },
      { n: 3, left: "and the", match: "sovereignty", right: "of others" },
      {
        n: 4,
        left: "others; full",
        match: "sovereignty",
        right: ", always. Respect",
      },
      { n: 5, left: "Respect state", match: "sovereignty", right: "" },
    ]);
  });

  it("numbers the lines as the statement page numbers its marks", () => {
    const marker = wordMarker(["sovereignty"]);
    const marks = [
      ...highlight(TEXT, marker, { count: 0 }).matchAll(
        /<mark id="m(\d+)">([^<]*)/g,
      ),
    ];
    const lines = concordance(TEXT, marker);
    expect(lines.map((l) => [`${l.n}`, l.match])).toEqual(
      marks.map((m) => [m[1], m[2]]),
    );
  });

  it("aligns a phrase on its first word", () => {
    const lines = concordance(TEXT, phrase(["the", "sovereignty"]), 3);
    expect(lines).toEqual([
      {
        n: 1,
        left: "our sovereignty and",
        match: "the sovereignty",
        right: "of others; full",
      },
    ]);
  });
});

describe("sortLines", () => {
  const line = (n: number, left: string, right: string) => ({
    n,
    left,
    match: "peace",
    right,
  });
  const lines = [
    line(1, "a lasting", "in Europe"),
    line(2, "for a just", "and security"),
    line(3, "", "in the region"),
    line(4, "towards lasting", "talks"),
    line(5, "Lasting", "in Europe now"),
  ];

  it("sorts by the left context read outwards from the match", () => {
    expect(
      sortLines(lines, { side: "left", by: "words" }).map((l) => l.n),
    ).toEqual([3, 2, 5, 1, 4]);
  });

  it("sorts by the right context read from the match", () => {
    expect(
      sortLines(lines, { side: "right", by: "words" }).map((l) => l.n),
    ).toEqual([2, 1, 5, 3, 4]);
  });

  it("puts first the lines whose neighbouring word is most common", () => {
    expect(
      sortLines(lines, { side: "left", by: "frequency" }).map((l) => l.n),
    ).toEqual([5, 1, 4, 3, 2]);
    expect(
      sortLines(lines, { side: "right", by: "frequency" }).map((l) => l.n),
    ).toEqual([1, 5, 3, 2, 4]);
  });
});

describe("concordance through the pipeline", () => {
  it("stops at its bounds on a query matching everything, and says so", async () => {
    const store = storeOf(await fixtureCorpus());
    const query = parseQuery({ q: "the" });
    const whole = runNow(concordanceSteps(store, query, undefined), 60);
    expect(whole.stopped).toBe(false);
    expect(whole.read).toBeGreaterThan(2);
    const few = runNow(
      concordanceSteps(store, query, undefined, undefined, {
        statements: 2,
        lines: 1000,
      }),
      60,
    );
    expect([few.read, few.stopped]).toEqual([2, true]);
    const short = runNow(
      concordanceSteps(store, query, undefined, undefined, {
        statements: 100,
        lines: 5,
      }),
      60,
    );
    expect([short.lines.length, short.stopped]).toEqual([5, true]);
    expect(short.lines).toEqual(whole.lines.slice(0, 5));
  });
});
