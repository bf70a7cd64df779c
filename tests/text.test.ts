import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  forEachWord,
  normalizeTerm,
  terms,
  tokenize,
} from "../src/text/terms.ts";
import { sameInflection, stem } from "../src/text/stem/english.ts";

describe("terms", () => {
  it("lower-cases and drops punctuation", () => {
    expect(terms("The Ministry, on Friday: “Peace!”")).toEqual([
      "the",
      "ministry",
      "on",
      "friday",
      "peace",
    ]);
  });

  it("folds diacritics, so Ağdam, Agdam and AĞDAM are one word", () => {
    expect(terms("Ağdam Agdam AĞDAM")).toEqual(["agdam", "agdam", "agdam"]);
  });

  it("folds the Azerbaijani letters ə ğ ı ş ç ö ü", () => {
    expect(terms("Xankəndi Şuşa Gəncə Kürdəmir İsmayıllı Göyçay")).toEqual([
      "xankendi",
      "susa",
      "gence",
      "kurdemir",
      "ismayilli",
      "goycay",
    ]);
  });

  it("keeps Cyrillic words, folding ё but not й", () => {
    expect(terms("Министр Лавров, ёлка, Йошкар-Ола")).toEqual([
      "министр",
      "лавров",
      "елка",
      "йошкар",
      "ола",
    ]);
  });

  it("splits hyphenated words into their parts", () => {
    expect(terms("Nagorno-Karabakh")).toEqual(["nagorno", "karabakh"]);
    expect(terms("COVID-19")).toEqual(["covid", "19"]);
  });

  it("ignores invisible joiners inside a word", () => {
    expect(terms("COVID-\u206019 inter\u00adnational")).toEqual([
      "covid",
      "19",
      "international",
    ]);
  });

  it("keeps abbreviations with dots apart from plain words", () => {
    expect(terms("U.S. u.s. U.S us")).toEqual(["u.s", "u.s", "u.s", "us"]);
  });

  it("treats curly and straight apostrophes alike and drops a possessive s", () => {
    expect(terms("Azerbaijan’s Azerbaijan's don't O’Brien")).toEqual([
      "azerbaijan",
      "azerbaijan",
      "dont",
      "obrien",
    ]);
  });

  it("keeps numbers whole, without digit-group commas", () => {
    expect(terms("1,000 people, 3.5 percent, in 2023.")).toEqual([
      "1000",
      "people",
      "3.5",
      "percent",
      "in",
      "2023",
    ]);
  });
});

describe("tokenize", () => {
  it("gives each word its offsets in the original text", () => {
    const text = "Ağdam–Xankəndi road";
    expect(
      tokenize(text).map((t) => [t.term, text.slice(t.start, t.end)]),
    ).toEqual([
      ["agdam", "Ağdam"],
      ["xankendi", "Xankəndi"],
      ["road", "road"],
    ]);
  });

  it("agrees with terms on every word", () => {
    const text = "U.S.-Azerbaijan talks on Nagorno-Karabakh, 12 March 2024";
    expect(tokenize(text).map((t) => t.term)).toEqual(terms(text));
  });
});

describe("normalizeTerm", () => {
  it("is idempotent, so query terms can be normalized twice", () => {
    for (const word of [
      "Ağdam",
      "U.S.",
      "Azerbaijan’s",
      "1,000",
      "İstanbul",
      "Йошкар",
    ]) {
      const once = normalizeTerm(word);
      expect(normalizeTerm(once)).toBe(once);
    }
  });
});

describe("stem and sameInflection", () => {
  it("gives plurals and -ed/-ing forms one stem", () => {
    for (const group of [
      ["sanction", "sanctions", "sanctioned", "sanctioning"],
      ["policy", "policies"],
      ["plan", "planned", "planning", "plans"],
      ["hope", "hoped", "hoping"],
      ["tax", "taxes"],
    ]) {
      expect(new Set(group.map(stem)).size).toBe(1);
    }
  });

  it("keeps derived words and invariant words apart", () => {
    expect(stem("national")).not.toBe(stem("nation"));
    expect(stem("news")).not.toBe(stem("new"));
  });

  it("relates inflections of one base, and not words that only share a stem", () => {
    expect(sameInflection("change", "changes")).toBe(true);
    expect(sameInflection("changed", "changing")).toBe(true);
    expect(sameInflection("policy", "policies")).toBe(true);
    expect(sameInflection("plan", "planning")).toBe(true);
    expect(sameInflection("change", "chang")).toBe(false);
    expect(sameInflection("changes", "chang")).toBe(false);
  });
});

describe("forEachWord", () => {
  // The oracle: the word pattern applied on its own, as the tokenizer did before its fast path.
  const WORD =
    /\p{L}(?:\.\p{L})+\.?(?![\p{L}\p{N}])|[\p{L}\p{N}][\p{L}\p{M}\p{N}\p{Cf}]*(?:(?:['’ʼ]|[.,](?=\p{N}))[\p{L}\p{M}\p{N}\p{Cf}]+)*/gu;
  const slow = (text: string) =>
    [...text.matchAll(WORD)].map((m) => [m[0], m.index]);
  const fast = (text: string) => {
    const out: (string | number)[][] = [];
    forEachWord(text, (word, start) => {
      out.push([word, start]);
    });
    return out;
  };

  it("finds exactly the words the word pattern finds", () => {
    const alphabet = fc.constantFrom(
      ..."aZk09 .,'’ʼ-_\n:ğüİıəЙй\u00ad\u2060\u0301–(\"".split(""),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(alphabet, { maxLength: 60 }).map((a) => a.join("")),
          fc.string({ maxLength: 60 }),
        ),
        (text) => {
          expect(fast(text)).toEqual(slow(text));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it("agrees on real statement text", () => {
    const text =
      "On September 7, 2023, the U.S. Department of State's Yuri Kim—and Azerbaijan’s 1,000.5 COVID-\u206019 Ağdam-Shusha e.g. U.S.-led o'clock 3.5% re-\nintegration.";
    expect(fast(text)).toEqual(slow(text));
  });
});
