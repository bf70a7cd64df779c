import { describe, expect, it } from "vitest";
import type {
  Store,
  TermCounts,
  VocabularyAnswer,
  VocabularyRequest,
} from "../src/engines/store.ts";
import { parseQuery } from "../src/query/params.ts";
import { runNow } from "../src/runtime/deadline.ts";
import { expand } from "../src/search/expand.ts";
import { withWords } from "../src/search/words.ts";

/**
 * A store that reads its vocabulary ahead, as the PostgreSQL engine does, over a list of
 * words with their statement counts; it records what each round asked for.
 */
function readingAhead(words: Record<string, number>) {
  const asked: VocabularyRequest[] = [];
  const counts = (term: string): TermCounts => ({
    df: words[term] ?? 0,
    title: 0,
    body: words[term] ?? 0,
  });
  const known = Object.keys(words).sort();
  const store = {
    vocabulary: () => undefined,
    *lookup(request: VocabularyRequest) {
      asked.push(request);
      const answer: VocabularyAnswer = {
        counts: new Map(),
        prefixes: new Map(),
        near: new Map(),
        soundKeys: new Map(request.soundKeys.map((k) => [k, []])),
        unavailable: [],
      };
      for (const t of request.terms)
        if (t in words) answer.counts.set(t, counts(t));
      for (const [prefix, limit] of request.prefixes) {
        const under = known
          .filter((t) => t.startsWith(prefix))
          .sort((a, b) => words[b]! - words[a]!)
          .slice(0, limit)
          .sort();
        answer.prefixes.set(
          prefix,
          under.map((t) => [t, words[t]!]),
        );
        for (const t of under) answer.counts.set(t, counts(t));
      }
      return answer;
    },
  } as unknown as Store;
  return { store, asked };
}

describe("withWords, for a store that reads its vocabulary ahead", () => {
  it("reads what expansion asks for in one request, then expands as a whole vocabulary would", () => {
    const { store, asked } = readingAhead({
      sanction: 5,
      sanctions: 9,
      sanctioned: 2,
      trade: 4,
    });
    const root = parseQuery({ q: "sanction" }).parsed.root;
    if (root?.type !== "term") throw new Error("expected one word");
    const { value } = runNow(
      withWords(store, function* (words) {
        return expand(words, root, []).map((v) => v.term);
      }),
    );
    expect(value).toEqual(["sanction", "sanctioned", "sanctions"]);
    // One round trip: the beginning its forms share (the 2,001 most frequent terms under
    // it, the word among them) and its sound keys for names in other scripts.
    expect(asked).toEqual([
      {
        terms: [],
        prefixes: [["sanction", 2001]],
        near: [],
        soundKeys: ["SNGDN", "SNSDN"],
      },
    ]);
  });

  it("reads the 5,000 most frequent terms under a `word*`", () => {
    const { store, asked } = readingAhead({ negotiate: 3, negotiations: 7 });
    const root = parseQuery({ q: "negotiat*" }).parsed.root;
    if (root?.type !== "term") throw new Error("expected one word");
    const { value } = runNow(
      withWords(store, function* (words) {
        return expand(words, root, []).map((v) => v.term);
      }),
    );
    expect(value).toEqual(["negotiat", "negotiate", "negotiations"]);
    expect(asked[0]!.prefixes).toEqual([["negotiat", 5000]]);
  });
});
