import { describe, expect, it } from "vitest";
import { buildCorpus } from "../src/engines/memory/corpus.ts";
import type { Statement } from "../src/ingest/statement.ts";
import { parseQuery } from "../src/query/params.ts";
import { searchCorpus as search } from "./helpers.ts";

let n = 0;
const statement = (
  title: string,
  body: string,
  extra: Partial<Statement> = {},
): Statement => ({
  id: extra.id ?? `s${++n}`,
  title,
  body,
  meta: {},
  origin: { file: "literal" },
  ...extra,
});

const corpus = buildCorpus([
  statement(
    "Joint statement on trade",
    "The joint statement on trade was signed.",
    { id: "adjacent", date: "2023-03-01" },
  ),
  statement("Trade talks", "A statement was issued; the talks were joint.", {
    id: "apart",
    date: "2023-03-02",
  }),
  statement("Sanction regime", "The sanction applies to one bank.", {
    id: "sanction",
    date: "2021",
  }),
  statement("Sanctions regime", "The sanctions apply to one bank.", {
    id: "sanctions",
    date: "2022-06-15",
  }),
  statement("Minister Bayramov", "Bayramov met the delegation.", {
    id: "bayramov",
    source: "Azerbaijan MFA",
    meta: { country: "Azerbaijan" },
  }),
  statement("Minister Bayramova", "Bayramova met the delegation.", {
    id: "bayramova",
    source: "The White House",
  }),
  statement("Peace treaty signed", "The peace treaty was signed today.", {
    id: "peace-together",
    date: "2020-01-10",
  }),
  statement("Signed today", "Peace came after the treaty was signed today.", {
    id: "peace-apart",
    date: "2020-01-11",
  }),
  statement("Negotiations resume", "The negotiators met again.", {
    id: "negotiations",
    date: "2019-05-05",
  }),
]);
const run = (params: Record<string, string>) =>
  search(corpus, parseQuery(params, corpus.fields.keys()));
const ids = (q: string, extra: Record<string, string> = {}) =>
  run({ q, ...extra }).hits.map((h) => h.id);

describe("phrases", () => {
  it("finds words side by side and in order, not apart", () => {
    expect(ids('"joint statement"')).toEqual(["adjacent"]);
    expect(ids("“joint statement”")).toEqual(["adjacent"]);
    expect(ids("joint statement").sort()).toEqual(["adjacent", "apart"]);
  });

  it("marks the whole phrase as one match", () => {
    const [hit] = run({ q: '"joint statement"' }).hits;
    expect(hit?.titleHtml).toBe("<mark>Joint statement</mark> on trade");
    expect(hit?.snippet).toBe(
      "The <mark>joint statement</mark> on trade was signed.",
    );
  });

  it("finds words near each other with ~N", () => {
    expect(ids('"peace treaty"~0')).toEqual(["peace-together"]);
    expect(ids('"peace treaty"~3').sort()).toEqual([
      "peace-apart",
      "peace-together",
    ]);
  });

  it("limits a phrase to the title", () => {
    expect(ids('title:"peace treaty"')).toEqual(["peace-together"]);
    expect(ids('title:"treaty was"')).toEqual([]);
  });
});

describe("ranking", () => {
  it("ranks the word as typed above its plural, and finds both", () => {
    expect(ids("sanction")).toEqual(["sanction", "sanctions"]);
    expect(ids("sanctions")).toEqual(["sanctions", "sanction"]);
  });

  it("marks the plural as it stands in the text", () => {
    const hits = run({ q: "sanction" }).hits;
    expect(hits[1]?.snippet).toBe(
      "The <mark>sanctions</mark> apply to one bank.",
    );
  });

  it("ranks an exact match above a typo-tolerant one", () => {
    expect(ids("bayramov~1")).toEqual(["bayramov", "bayramova"]);
    expect(ids("bayramov")).toEqual(["bayramov"]);
  });

  it("ranks a phrase found as a phrase above its words found apart", () => {
    expect(ids("peace treaty")).toEqual(["peace-together", "peace-apart"]);
  });

  it("finds words by their beginning with *", () => {
    expect(ids("negotiat*")).toEqual(["negotiations"]);
  });

  it("orders by date on request", () => {
    expect(ids("bank", { sort: "newest" })).toEqual(["sanctions", "sanction"]);
    expect(ids("bank", { sort: "oldest" })).toEqual(["sanction", "sanctions"]);
  });
});

describe("operators, fields and dates", () => {
  it("combines with OR and excludes with - and NOT", () => {
    expect(ids("bayramov OR negotiations").sort()).toEqual([
      "bayramov",
      "negotiations",
    ]);
    expect(ids("regime -sanctions")).toEqual([]);
    expect(ids('regime -"sanctions"')).toEqual(["sanction"]);
    expect(ids('regime NOT "sanction"')).toEqual(["sanctions"]);
  });

  it("matches the source and metadata fields", () => {
    expect(ids('source:"white house"')).toEqual(["bayramova"]);
    expect(ids("delegation country:azerbaijan")).toEqual(["bayramov"]);
  });

  it("filters by date, a year-only date counting as its whole year", () => {
    expect(ids("bank date:2021-06")).toEqual(["sanction"]);
    expect(ids("bank after:2022-01-01")).toEqual(["sanctions"]);
    expect(
      ids("bank", { from: "2021-12", to: "2022-06", sort: "newest" }),
    ).toEqual(["sanctions", "sanction"]);
    expect(ids("bank", { from: "2022-07", sort: "newest" })).toEqual([]);
  });

  it("lists the statements of a period with no words at all", () => {
    expect(ids("", { from: "2020", to: "2020", sort: "oldest" })).toEqual([
      "peace-together",
      "peace-apart",
    ]);
  });
});

describe("did you mean", () => {
  it("offers the nearest frequent word when a query finds nothing", () => {
    const page = run({ q: "delegatoin" });
    expect(page.total).toBe(0);
    expect(page.didYouMean).toEqual({ q: "delegation", total: 2 });
  });

  it("offers nothing when the query finds enough", () => {
    expect(run({ q: "delegation" }).didYouMean).toBeUndefined();
  });
});

describe("best", () => {
  it("selects the first k in order, as a full sort would", async () => {
    const { best } = await import("../src/search/rank.ts");
    const values = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1009);
    const compare = (a: number, b: number) => values[b]! - values[a]! || a - b;
    const sorted = Array.from({ length: 1000 }, (_, i) => i).sort(compare);
    for (const k of [0, 1, 5, 20, 100, 249, 250, 1000, 5000])
      expect(best(1000, k, compare)).toEqual(sorted.slice(0, k));
  });
});

// Each corpus below ties on everything but the feature under test, and the tie-breaker (the
// newer statement first) points the other way: switch the feature off and the order flips.
describe("each ranking feature decides an order on its own", () => {
  const rank = (statements: Statement[], q: string) => {
    const own = buildCorpus(statements);
    return search(own, parseQuery({ q }, own.fields.keys())).hits.map(
      (h) => h.id,
    );
  };

  it("ranks query words standing together above the same words apart (proximity)", () => {
    expect(
      rank(
        [
          statement("Report one", "ministers met on border trade yesterday", {
            id: "together",
            date: "2020-01-01",
          }),
          statement("Report two", "border ministers met yesterday on trade", {
            id: "apart",
            date: "2021-01-01",
          }),
        ],
        "border trade",
      ),
    ).toEqual(["together", "apart"]);
  });

  it("ranks a word in the title above the same word in the body (title weight)", () => {
    expect(
      rank(
        [
          statement("Grain exports", "talks were held on the matter", {
            id: "in-title",
            date: "2020-01-01",
          }),
          statement("Trade talks", "grain exports were held on matter", {
            id: "in-body",
            date: "2021-01-01",
          }),
        ],
        "grain",
      ),
    ).toEqual(["in-title", "in-body"]);
  });

  it("ranks the word as typed above another form of it (inflection weight)", () => {
    expect(
      rank(
        [
          statement("Notice one", "the embargo continues", {
            id: "typed",
            date: "2020-01-01",
          }),
          statement("Notice two", "the embargoes continue", {
            id: "inflected",
            date: "2021-01-01",
          }),
        ],
        "embargo",
      ),
    ).toEqual(["typed", "inflected"]);
  });

  it("scores a word by BM25F as computed by hand", () => {
    // N = 3 statements; "flood" is in one (n = 1): idf = ln(1 + (3 - 1 + 0.5) / (1 + 0.5)).
    // Its statement has it once in the title (weight 2) and once in the body: f = 3.
    // Weighted lengths (title words × 2 + body words): 2×2 + 4 = 8, 2×2 + 3 = 7, 2×1 + 3 = 5;
    // average 20 / 3. With k = 1.2 and b = 0.75:
    // score = idf × f (k + 1) / (f + k (1 − b + b × 8 / (20/3))) = 0.98083 × 6.6 / 4.38.
    const own = buildCorpus([
      statement("Flood relief", "The flood waters rose.", { id: "flood" }),
      statement("Harbour works", "Dredging begins soon.", { id: "harbour" }),
      statement("Budget", "The budget passed.", { id: "budget" }),
    ]);
    const [hit] = search(own, parseQuery({ q: "flood" })).hits;
    const idf = Math.log(1 + 2.5 / 1.5);
    expect(hit?.score).toBe(Math.round(((idf * 6.6) / 4.38) * 1000) / 1000);
    expect(hit?.score).toBe(1.478);
  });
});
