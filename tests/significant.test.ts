import { describe, expect, it } from "vitest";
import {
  candidateGrams,
  logLikelihood,
  standOut,
  statementGrams,
  tallyGrams,
} from "../src/search/significant.ts";
import { Boilerplate, boilerplateWords } from "../src/versions/boilerplate.ts";
import { features, wordHashes } from "../src/versions/shingles.ts";
import { MemoryArchive } from "../src/archive.ts";
import { parseQuery } from "../src/query/params.ts";
import { runNow } from "../src/runtime/deadline.ts";
import { termsSteps, TERMS_LIMITS } from "../src/search/terms-view.ts";
import { standoutStatements } from "./standout-fixture.ts";

// Forty statements on ordinary matters, each worded a little differently; the closing
// formula of the first twelve is the archive's boilerplate.
const CLOSING =
  "For further information please contact the press office of the ministry, which answers questions from journalists on working days between nine and six, by telephone or by electronic mail.";
const TOPICS = ["roads", "schools", "water", "harvest", "railways", "ports"];
const archive = Array.from({ length: 40 }, (_, i) => {
  const topic = TOPICS[i % TOPICS.length]!;
  const planted = i < 10 ? " It was Zanzibar." : "";
  const closing = i < 10 || (i >= 20 && i < 23) ? ` ${CLOSING}` : "";
  return `Statement number ${i} on ${topic}.${planted} The government discussed ${topic} with regional officials in meeting ${i}.${closing}`;
});
// The matches: the first ten, where both the planted word and the closing are.
const SET = 10;

function counts(skipBoilerplate: boolean) {
  const hashes = archive.map(wordHashes);
  const boiler = Boilerplate.count(hashes.map(features), 8);
  const grams = archive.map((text, i) =>
    statementGrams(
      text,
      "en",
      skipBoilerplate ? boilerplateWords(hashes[i]!, boiler) : undefined,
    ),
  );
  const inSet = new Map<string, number>();
  const inArchive = new Map<string, number>();
  grams.forEach((g, i) => {
    if (i < SET) tallyGrams(inSet, g);
    tallyGrams(inArchive, g);
  });
  return candidateGrams(inSet, 500, 2).map((gram) => ({
    gram,
    inSet: inSet.get(gram)!,
    inArchive: inArchive.get(gram)!,
  }));
}

describe("standOut", () => {
  it("puts first a word planted in the matches only", () => {
    const top = standOut(counts(true), SET, archive.length);
    expect(top[0]!.gram).toBe("zanzibar");
    expect(top[0]).toMatchObject({ inSet: 10, inArchive: 10 });
  });

  it("leaves out the archive's boilerplate, which stands out when it is counted", () => {
    const boilerplate = (grams: { gram: string }[]) =>
      grams.filter((g) => /press office|journalists|working days/.test(g.gram));
    expect(
      boilerplate(standOut(counts(false), SET, archive.length)),
    ).not.toEqual([]);
    expect(boilerplate(standOut(counts(true), SET, archive.length))).toEqual(
      [],
    );
  });

  it("scores with Dunning's G² and keeps only what the set has more of", () => {
    expect(logLikelihood(10, 90, 10, 890)).toBeCloseTo(21.177, 3);
    const grams = [
      { gram: "more", inSet: 10, inArchive: 20 },
      { gram: "fewer", inSet: 1, inArchive: 200 },
      { gram: "weak", inSet: 2, inArchive: 11 },
    ];
    expect(standOut(grams, 100, 1000)).toEqual([
      {
        gram: "more",
        inSet: 10,
        inArchive: 20,
        score: expect.closeTo(21.177, 3),
      },
    ]);
    expect(
      standOut(grams, 100, 1000, { minScore: 0 }).map((g) => g.gram),
    ).toEqual(["more", "weak"]);
  });

  it("finds nothing standing out when the matches are the whole archive", () => {
    expect(standOut([{ gram: "all", inSet: 5, inArchive: 5 }], 10, 10)).toEqual(
      [],
    );
  });

  it("names counts that cannot be right", () => {
    expect(() =>
      standOut([{ gram: "odd", inSet: 5, inArchive: 4 }], 10, 100),
    ).toThrow('significant: counts for "odd" do not fit');
    expect(() => standOut([], 20, 10)).toThrow(
      "significant: the set (20) must be part of the archive (10)",
    );
  });
});

describe("statementGrams", () => {
  it("takes words and phrases of up to three words without stop words at their ends", () => {
    expect([
      ...statementGrams("The Ministry of Defence said it.", "en"),
    ]).toEqual(["ministry", "ministry of defence", "defence"]);
  });

  it("does not run a phrase over a sentence break or a skipped word", () => {
    expect([...statementGrams("Peace talks. Border crossings", "en")]).toEqual([
      "peace",
      "peace talks",
      "talks",
      "border",
      "border crossings",
      "crossings",
    ]);
    const skip = Uint8Array.from([0, 1, 0]);
    expect([...statementGrams("grain export corridor", "en", skip)]).toEqual([
      "grain",
      "corridor",
    ]);
  });

  it("uses the statement's language's stop words, and no numbers at the ends", () => {
    expect([...statementGrams("Заявление по Украине 2022", "ru")]).toEqual([
      "заявление",
      "заявление по украине",
      "украине",
    ]);
  });
});

describe("what stands out through the pipeline", () => {
  it("reads a bounded sample of the matches and counts its candidates in all of them", async () => {
    const archive = MemoryArchive.fromStatements(standoutStatements());
    await archive.open();
    const query = parseQuery({ q: "harbour" });
    // Time enough on a loaded machine: counting stops early once half the time is spent.
    const whole = runNow(termsSteps(archive.store, query), 60);
    expect([whole.sampled, whole.matches]).toEqual([12, 12]);
    const sampled = runNow(
      termsSteps(archive.store, query, undefined, {
        ...TERMS_LIMITS,
        sample: 4,
      }),
      60,
    );
    expect([sampled.sampled, sampled.matches]).toEqual([4, 12]);
    expect(sampled.terms[0]).toEqual(whole.terms[0]);
  });
});
