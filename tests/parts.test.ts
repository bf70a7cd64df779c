import { describe, expect, it } from "vitest";
import { bodyParts } from "../src/text/parts.ts";

describe("bodyParts", () => {
  it("keeps a body that fits in one part as its paragraphs", () => {
    expect(bodyParts("One.\n\nTwo.", 100)).toEqual([["One.", "Two."]]);
  });

  it("starts a new part when the next paragraph would not fit", () => {
    expect(bodyParts("aaaa\n\nbbbb\n\ncccc", 9)).toEqual([
      ["aaaa", "bbbb"],
      ["cccc"],
    ]);
  });

  it("cuts a paragraph longer than a part at a space, losing no character", () => {
    const long = "word ".repeat(30).trim();
    const parts = bodyParts(long, 24);
    expect(parts.flat().join("")).toBe(long);
    for (const part of parts)
      expect(part.join("").length).toBeLessThanOrEqual(24);
    expect(parts[0]).toEqual(["word word word word "]);
  });

  it("cuts a paragraph with no space anywhere at the limit", () => {
    expect(bodyParts("x".repeat(25), 10)).toEqual([
      ["xxxxxxxxxx"],
      ["xxxxxxxxxx"],
      ["xxxxx"],
    ]);
  });
});
