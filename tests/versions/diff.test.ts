import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  diffStatements,
  diffText,
  MAX_RUN_WORDS,
  type DiffPart,
} from "../../src/versions/diff.ts";
import { statement } from "./fixtures.ts";

const text = (parts: DiffPart[], skip: DiffPart["op"]) =>
  parts
    .filter((p) => p.op !== skip)
    .map((p) => p.text)
    .join("");

describe("diffText", () => {
  it("marks a changed phrase as one removal and one addition", () => {
    const d = diffText(
      "The ministry condemned the occupied territories policy.",
      "The ministry condemned the disputed areas policy.",
    );
    expect(d.parts).toEqual([
      { op: "same", text: "The ministry condemned the " },
      { op: "del", text: "occupied territories" },
      { op: "ins", text: "disputed areas" },
      { op: "same", text: " policy." },
    ]);
    expect(d.html).toEqual([
      "The ministry condemned the <del>occupied territories</del><ins>disputed areas</ins> policy.",
    ]);
    expect([d.removed, d.added, d.coarse]).toEqual([2, 2, false]);
  });

  it("marks a removed word", () => {
    expect(
      diffText(
        "Troops withdrew from the occupied region.",
        "Troops withdrew from the region.",
      ).html,
    ).toEqual(["Troops withdrew from the <del>occupied </del>region."]);
  });

  it("keeps paragraphs, and marks whole paragraphs removed and added", () => {
    const d = diffText(
      "First paragraph.\n\nSecond paragraph here.\n\nThird one.",
      "First paragraph.\n\nThird one.\n\nA new fourth.",
    );
    expect(d.html).toEqual([
      "First paragraph.",
      "<del>Second paragraph here.</del>",
      "Third one.",
      "<ins>A new fourth.</ins>",
    ]);
    expect([d.removed, d.added]).toEqual([3, 3]);
  });

  it("marks a sentence added inside a paragraph", () => {
    expect(
      diffText(
        "The talks began. They ended at noon.",
        "The talks began. Both sides spoke. They ended at noon.",
      ).html,
    ).toEqual([
      "The talks began. <ins>Both sides spoke. </ins>They ended at noon.",
    ]);
  });

  it("escapes the text before marking it", () => {
    expect(
      diffText("Tom & Jerry <b>met</b>.", "Tom & Jerry <i>met</i> today.").html,
    ).toEqual([
      "Tom &amp; Jerry &lt;<del>b</del><ins>i</ins>&gt;met&lt;/<del>b&gt;.</del><ins>i&gt; today.</ins>",
    ]);
  });

  it("counts a change of case as a change, and a change of spacing as none", () => {
    expect(diffText("the Occupied area", "the occupied area").html).toEqual([
      "the <del>Occupied</del><ins>occupied</ins> area",
    ]);
    const spaced = diffText("one  two\nthree", "one two three");
    expect(spaced.parts).toEqual([{ op: "same", text: "one two three" }]);
  });

  it("marks no paragraph break that only one text has, and counts them", () => {
    const d = diffText(
      "One. Two.\n\nThree. Four.",
      "One.\n\nTwo. Three.\n\nFour.",
    );
    expect(d.parts.map((p) => p.op)).toEqual(["same"]);
    expect(d.html).toEqual(["One.", "Two. Three.", "Four."]);
    expect([d.removed, d.added, d.paragraphBreaks]).toEqual([0, 0, 3]);

    const heading = diffText("Heading\n\nText here.", "Heading Text here.");
    expect(heading.parts).toEqual([{ op: "same", text: "Heading Text here." }]);
    expect(heading.paragraphBreaks).toBe(1);
  });

  it("counts the words changed beside paragraph breaks that moved", () => {
    const d = diffText(
      "The talks began.\n\nThey ended at noon.",
      "The talks began. They ended at dusk.",
    );
    expect(d.html).toEqual([
      "The talks began. They ended at <del>noon</del><ins>dusk</ins>.",
    ]);
    expect([d.removed, d.added, d.paragraphBreaks]).toEqual([1, 1, 1]);
  });

  it("reports no change between equal texts", () => {
    const d = diffText("A.\n\nB.", "A.\n\nB.");
    expect(d.parts).toEqual([{ op: "same", text: "A.\n\nB." }]);
    expect(d.html).toEqual(["A.", "B."]);
  });

  it("shows a change too large to compare word by word as whole text, and says so", () => {
    const long = (word: string) =>
      Array.from({ length: MAX_RUN_WORDS + 1 }, (_, i) => `${word}${i}`).join(
        " ",
      );
    const d = diffText(long("a"), long("b"));
    expect(d.coarse).toBe(true);
    expect(d.parts.map((p) => p.op)).toEqual(["del", "ins"]);
  });

  it("rebuilds the new text from the same and added parts, and the old one but for spacing", () => {
    const sentence = fc
      .array(fc.constantFrom("peace", "War", "talks", "&", "<b>", "2024"), {
        minLength: 1,
        maxLength: 6,
      })
      .map((w) => `${w.join(" ")}.`);
    const body = fc
      .array(fc.array(sentence, { minLength: 1, maxLength: 3 }), {
        maxLength: 4,
      })
      .map((ps) => ps.map((p) => p.join(" ")).join("\n\n"));
    const squash = (s: string) => s.replace(/\s+/g, " ").trim();
    fc.assert(
      fc.property(body, body, (a, b) => {
        const d = diffText(a, b);
        expect(text(d.parts, "del")).toBe(b);
        expect(squash(text(d.parts, "ins"))).toBe(squash(a));
      }),
      { numRuns: 200 },
    );
  });
});

describe("diffStatements", () => {
  it("compares titles and bodies", () => {
    const d = diffStatements(
      statement("a", "The talks began.", { title: "Readout of the call" }),
      statement("b", "The talks began today.", {
        title: "Readout of the call",
      }),
    );
    expect(d.title.parts).toEqual([
      { op: "same", text: "Readout of the call" },
    ]);
    expect(d.body.html).toEqual(["The talks began<ins> today</ins>."]);
  });
});
