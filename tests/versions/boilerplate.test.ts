/**
 * Boilerplate.count against a plain count of every feature (the oracle): the sketch and the
 * parts the candidates are sorted in may only save work, never change what is counted.
 */
import { describe, expect, it } from "vitest";
import { Boilerplate } from "../../src/versions/boilerplate.ts";
import { random } from "./fixtures.ts";

// Bodies as the version index holds them: sorted, distinct features below 2^30 (the top
// bits of a sampled shingle are clear), some shared by many bodies.
function bodies(seed: number, count: number): Uint32Array[] {
  const next = random(seed);
  const common = Array.from({ length: 40 }, () => Math.floor(next() * 2 ** 30));
  return Array.from({ length: count }, () => {
    const fs = new Set<number>();
    for (let i = 0; i < 30; i++) fs.add(Math.floor(next() * 2 ** 30));
    // Each common feature in a share of the bodies that falls with its rank.
    common.forEach((f, rank) => next() < 1 / (rank + 1) && fs.add(f));
    return Uint32Array.from(fs).sort();
  });
}

function oracle(all: Uint32Array[], threshold: number): [number, number][] {
  const counts = new Map<number, number>();
  for (const fs of all)
    for (const f of fs) counts.set(f, (counts.get(f) ?? 0) + 1);
  return [...counts]
    .filter(([, n]) => n >= threshold)
    .sort((a, b) => a[0] - b[0]);
}

function counted(b: Boilerplate): [number, number][] {
  const saved = b.save();
  const out: [number, number][] = [];
  for (let i = 0; i < saved.length; i += 2)
    out.push([saved[i]!, saved[i + 1]!]);
  return out.sort((a, b) => a[0] - b[0]);
}

describe("Boilerplate.count", () => {
  it("counts exactly the features in at least `threshold` bodies, in one part or many", () => {
    const all = bodies(7, 600);
    const expected = oracle(all, 8);
    expect(expected.length).toBeGreaterThan(5);
    // One part, then parts of at most 50 candidates (dozens of parts).
    for (const partLimit of [2 ** 25, 50]) {
      const b = Boilerplate.count(all, 8, partLimit);
      expect(counted(b)).toEqual(expected);
      for (const [f, n] of expected) expect(b.get(f)).toBe(n);
    }
  });

  it("finds none in bodies that share nothing, and every one at threshold 1", () => {
    const all = bodies(11, 50).map((fs) => fs.subarray(0, 20));
    const once = oracle(all, 1);
    expect(counted(Boilerplate.count(all, 1, 64))).toEqual(once);
    expect(counted(Boilerplate.count(all, 60))).toEqual([]);
  });
});
