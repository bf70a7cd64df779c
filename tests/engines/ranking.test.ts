import { describe, expect, it } from "vitest";
import type { Archive } from "../../src/archive.ts";
import type { Statement } from "../../src/ingest/statement.ts";
import { parseQuery } from "../../src/query/params.ts";
import { best } from "../../src/search/rank.ts";
import { archiveOn, ENGINES } from "../engines.ts";

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

const statements = [
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
];

const searcher = (archive: () => Archive) => {
  const run = (params: Record<string, string>) =>
    archive().search(parseQuery(params, archive().fields()));
  const ids = async (q: string, extra: Record<string, string> = {}) =>
    (await run({ q, ...extra })).hits.map((h) => h.id);
  return { run, ids };
};

describe("best", async () => {
  it("selects the first k in order, as a full sort would", async () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1009);
    const compare = (a: number, b: number) => values[b]! - values[a]! || a - b;
    const sorted = Array.from({ length: 1000 }, (_, i) => i).sort(compare);
    for (const k of [0, 1, 5, 20, 100, 249, 250, 1000, 5000])
      expect(best(1000, k, compare)).toEqual(sorted.slice(0, k));
  });
});

describe.each(ENGINES)("%s engine", (engine) => {
  const { run, ids } = searcher(archiveOn(engine, statements));

  describe("phrases", async () => {
    it("finds words side by side and in order, not apart", async () => {
      expect(await ids('"joint statement"')).toEqual(["adjacent"]);
      expect(await ids("“joint statement”")).toEqual(["adjacent"]);
      expect((await ids("joint statement")).sort()).toEqual([
        "adjacent",
        "apart",
      ]);
    });

    it("marks the whole phrase as one match", async () => {
      const [hit] = (await run({ q: '"joint statement"' })).hits;
      expect(hit?.titleHtml).toBe("<mark>Joint statement</mark> on trade");
      expect(hit?.snippet).toBe(
        "The <mark>joint statement</mark> on trade was signed.",
      );
    });

    it("finds words near each other with ~N", async () => {
      expect(await ids('"peace treaty"~0')).toEqual(["peace-together"]);
      expect((await ids('"peace treaty"~3')).sort()).toEqual([
        "peace-apart",
        "peace-together",
      ]);
    });

    it("limits a phrase to the title", async () => {
      expect(await ids('title:"peace treaty"')).toEqual(["peace-together"]);
      expect(await ids('title:"treaty was"')).toEqual([]);
    });
  });

  describe("ranking", async () => {
    it("ranks the word as typed above its plural, and finds both", async () => {
      expect(await ids("sanction")).toEqual(["sanction", "sanctions"]);
      expect(await ids("sanctions")).toEqual(["sanctions", "sanction"]);
    });

    it("marks the plural as it stands in the text", async () => {
      const hits = (await run({ q: "sanction" })).hits;
      expect(hits[1]?.snippet).toBe(
        "The <mark>sanctions</mark> apply to one bank.",
      );
    });

    it("ranks an exact match above a typo-tolerant one", async () => {
      expect(await ids("bayramov~1")).toEqual(["bayramov", "bayramova"]);
      expect(await ids("bayramov")).toEqual(["bayramov"]);
    });

    it("ranks a phrase found as a phrase above its words found apart", async () => {
      expect(await ids("peace treaty")).toEqual([
        "peace-together",
        "peace-apart",
      ]);
    });

    it("finds words by their beginning with *", async () => {
      expect(await ids("negotiat*")).toEqual(["negotiations"]);
    });

    it("orders by date on request", async () => {
      expect(await ids("bank", { sort: "newest" })).toEqual([
        "sanctions",
        "sanction",
      ]);
      expect(await ids("bank", { sort: "oldest" })).toEqual([
        "sanction",
        "sanctions",
      ]);
    });
  });

  describe("operators, fields and dates", async () => {
    it("combines with OR and excludes with - and NOT", async () => {
      expect((await ids("bayramov OR negotiations")).sort()).toEqual([
        "bayramov",
        "negotiations",
      ]);
      expect(await ids("regime -sanctions")).toEqual([]);
      expect(await ids('regime -"sanctions"')).toEqual(["sanction"]);
      expect(await ids('regime NOT "sanction"')).toEqual(["sanctions"]);
    });

    it("matches the source and metadata fields", async () => {
      expect(await ids('source:"white house"')).toEqual(["bayramova"]);
      expect(await ids("delegation country:azerbaijan")).toEqual(["bayramov"]);
    });

    it("filters by date, a year-only date counting as its whole year", async () => {
      expect(await ids("bank date:2021-06")).toEqual(["sanction"]);
      expect(await ids("bank after:2022-01-01")).toEqual(["sanctions"]);
      expect(
        await ids("bank", { from: "2021-12", to: "2022-06", sort: "newest" }),
      ).toEqual(["sanctions", "sanction"]);
      expect(await ids("bank", { from: "2022-07", sort: "newest" })).toEqual(
        [],
      );
    });

    it("lists the statements of a period with no words at all", async () => {
      expect(
        await ids("", { from: "2020", to: "2020", sort: "oldest" }),
      ).toEqual(["peace-together", "peace-apart"]);
    });
  });

  describe("did you mean", async () => {
    it("offers the nearest frequent word when a query finds nothing", async () => {
      const page = await run({ q: "delegatoin" });
      expect(page.total).toBe(0);
      expect(page.didYouMean).toEqual({ q: "delegation", total: 2 });
    });

    it("offers nothing when the query finds enough", async () => {
      expect((await run({ q: "delegation" })).didYouMean).toBeUndefined();
    });
  });

  // Each corpus below ties on everything but the feature under test, and the tie-breaker (the
  // newer statement first) points the other way: switch the feature off and the order flips.
  const features: [string, Statement[], string, string[]][] = [
    [
      "ranks query words standing together above the same words apart (proximity)",
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
      ["together", "apart"],
    ],
    [
      "ranks a word in the title above the same word in the body (title weight)",
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
      ["in-title", "in-body"],
    ],
    [
      "ranks the word as typed above another form of it (inflection weight)",
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
      ["typed", "inflected"],
    ],
  ];

  describe("each ranking feature decides an order on its own", () => {
    for (const [name, own, q, order] of features)
      describe(name, () => {
        const { ids } = searcher(archiveOn(engine, own));
        it("in that order", async () => {
          expect(await ids(q)).toEqual(order);
        });
      });

    describe("BM25F", () => {
      const { run } = searcher(
        archiveOn(engine, [
          statement("Flood relief", "The flood waters rose.", { id: "flood" }),
          statement("Harbour works", "Dredging begins soon.", {
            id: "harbour",
          }),
          statement("Budget", "The budget passed.", { id: "budget" }),
        ]),
      );
      it("scores a word by BM25F as computed by hand", async () => {
        // N = 3 statements; "flood" is in one (n = 1): idf = ln(1 + (3 - 1 + 0.5) / (1 + 0.5)).
        // Its statement has it once in the title (weight 2) and once in the body: f = 3.
        // Weighted lengths (title words × 2 + body words): 2×2 + 4 = 8, 2×2 + 3 = 7, 2×1 + 3 = 5;
        // average 20 / 3. With k = 1.2 and b = 0.75:
        // score = idf × f (k + 1) / (f + k (1 − b + b × 8 / (20/3))) = 0.98083 × 6.6 / 4.38.
        const [hit] = (await run({ q: "flood" })).hits;
        const idf = Math.log(1 + 2.5 / 1.5);
        expect(hit?.score).toBe(Math.round(((idf * 6.6) / 4.38) * 1000) / 1000);
        expect(hit?.score).toBe(1.478);
      });
    });
  });
});
