import { describe, expect, it } from "vitest";
import { findNear, findPhrase } from "../src/search/positions.ts";

const words = "the joint statement was a statement of joint intent".split(" ");

describe("findPhrase", () => {
  it("finds words side by side and in order", () => {
    expect(findPhrase(words, ["joint", "statement"])).toEqual([1]);
    expect(findPhrase(words, ["statement", "joint"])).toEqual([]);
    expect(findPhrase(words, ["joint", "intent"])).toEqual([7]);
  });

  it("stays inside the range it is given", () => {
    expect(findPhrase(words, ["joint", "statement"], 2)).toEqual([]);
    expect(findPhrase(words, ["joint", "intent"], 0, 8)).toEqual([]);
  });
});

describe("findNear", () => {
  it("finds the words with at most slop words between them, in any order", () => {
    expect(findNear(words, ["intent", "statement"], 2)).toEqual([[5, 8]]);
    expect(findNear(words, ["intent", "statement"], 1)).toEqual([]);
  });

  it("finds only adjacent words with slop 0", () => {
    expect(findNear(words, ["statement", "joint"], 0)).toEqual([[1, 2]]);
    expect(findNear(words, ["statement", "joint"], 1)).toEqual([
      [1, 2],
      [5, 7],
    ]);
  });

  it("needs every word of the phrase in the window", () => {
    expect(findNear(words, ["joint", "statement", "intent"], 1)).toEqual([
      [5, 8],
    ]);
    expect(findNear(words, ["joint", "statement", "intent"], 0)).toEqual([]);
    expect(findNear(words, ["joint", "missing"], 50)).toEqual([]);
  });
});
