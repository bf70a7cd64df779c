import { describe, expect, it } from "vitest";
import type { Vocabulary } from "../src/engines/store.ts";
import { crossScript } from "../src/search/names.ts";

/** A vocabulary over a map of word → frequency, changing its size as words come and go. */
function vocabulary(words: Record<string, number>): Vocabulary & {
  set(word: string, frequency: number): void;
} {
  const map = new Map(Object.entries(words));
  let changes = 0;
  return {
    get size() {
      return map.size;
    },
    get capacity() {
      return changes;
    },
    set(word, frequency) {
      map.set(word, frequency);
      changes++;
    },
    frequency: (term) => map.get(term) ?? 0,
    *withPrefix(prefix) {
      for (const entry of [...map].sort(([a], [b]) => (a < b ? -1 : 1)))
        if (entry[0].startsWith(prefix) && entry[1] > 0) yield entry;
    },
    near: () => [],
  };
}

describe("crossScript", () => {
  it("finds a name in another script", () => {
    const vocab = vocabulary({ лавров: 3, министр: 5, lavrov: 2 });
    expect(crossScript(vocab, "lavrov")).toEqual(["лавров"]);
  });

  it("files the words an index gains after its first search, and skips words it lost", () => {
    const vocab = vocabulary({ министр: 5 });
    expect(crossScript(vocab, "lavrov")).toEqual([]);
    vocab.set("лавров", 1);
    expect(crossScript(vocab, "lavrov")).toEqual(["лавров"]);
    vocab.set("лавров", 0);
    expect(crossScript(vocab, "lavrov")).toEqual([]);
  });
});
