import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { QueryNode } from "../src/query/ast.ts";
import { describeQuery } from "../src/query/describe.ts";
import { parseSyntax } from "../src/query/parse.ts";

const FIELDS = ["source", "country"];
const parse = (q: string) => parseSyntax(q, FIELDS);

/** The tree without source offsets, as a compact string: what most tests compare. */
function show(node: QueryNode | undefined): string {
  if (!node) return "∅";
  switch (node.type) {
    case "term": {
      const ops = `${node.prefix ? "*" : ""}${node.fuzzy ? `~${node.fuzzy}` : ""}${node.exact ? "!" : ""}`;
      return `${node.field ? `${node.field}:` : ""}${node.term}${ops}`;
    }
    case "phrase":
      return `${node.field ? `${node.field}:` : ""}"${node.terms.join(" ")}"${node.slop === undefined ? "" : `~${node.slop}`}`;
    case "field":
      return `${node.field}=[${node.terms.join(" ")}]`;
    case "not":
      return `-${show(node.child)}`;
    case "and":
    case "or":
      return `${node.type.toUpperCase()}(${node.children.map(show).join(", ")})`;
  }
}

describe("parseSyntax: words and phrases", () => {
  it("joins words with AND", () => {
    expect(show(parse("joint statement").root)).toBe("AND(joint, statement)");
  });

  it("reads a quoted phrase in straight, curly and low quotes and guillemets alike", () => {
    for (const q of [
      '"joint statement"',
      "“joint statement”",
      "„joint statement“",
      "«joint statement»",
    ]) {
      expect(show(parse(q).root)).toBe('"joint statement"');
    }
  });

  it("mixes phrases with other terms and exclusions", () => {
    expect(show(parse('"joint statement" Karabakh -Armenia').root)).toBe(
      'AND("joint statement", karabakh, -armenia)',
    );
  });

  it("normalizes phrase words as the index does", () => {
    expect(show(parse('"AĞDAM Road"').root)).toBe('"agdam road"');
  });

  it("reads a proximity phrase", () => {
    expect(show(parse('"peace treaty"~5').root)).toBe('"peace treaty"~5');
  });

  it("takes a hyphenated word as a phrase of its parts", () => {
    expect(show(parse("Nagorno-Karabakh").root)).toBe('"nagorno karabakh"');
  });

  it("takes a quoted single word as exactly that word", () => {
    expect(show(parse('"sanction"').root)).toBe("sanction!");
  });
});

describe("parseSyntax: operators", () => {
  it("reads OR, binding closer than AND", () => {
    expect(show(parse("gas oil OR coal").root)).toBe("AND(gas, OR(oil, coal))");
  });

  it("reads explicit AND, NOT and -", () => {
    expect(show(parse("gas AND oil NOT coal -wood").root)).toBe(
      "AND(gas, oil, -coal, -wood)",
    );
  });

  it("groups with parentheses", () => {
    expect(show(parse("(gas OR oil) AND (Russia OR Ukraine)").root)).toBe(
      "AND(OR(gas, oil), OR(russia, ukraine))",
    );
    expect(show(parse("-(gas OR oil) coal").root)).toBe(
      "AND(-OR(gas, oil), coal)",
    );
  });

  it("treats lower-case and, or, not as words", () => {
    expect(show(parse("war and peace").root)).toBe("AND(war, and, peace)");
  });

  it("cancels a double negation", () => {
    expect(show(parse("NOT -coal").root)).toBe("coal");
  });

  it("reads prefix and typo-tolerant words", () => {
    expect(show(parse("negotiat* Bayramov~ kim~1 treaty~2").root)).toBe(
      "AND(negotiat*, bayramov~2, kim~1, treaty~2)",
    );
  });

  it("gives short words one typo by default", () => {
    expect(show(parse("gaza~").root)).toBe("gaza~1");
  });
});

describe("parseSyntax: fields and dates", () => {
  it("limits words and phrases to the title or the body", () => {
    expect(show(parse('title:sanctions body:"asset freeze"').root)).toBe(
      'AND(title:sanctions, body:"asset freeze")',
    );
  });

  it("matches metadata fields without regard to case", () => {
    expect(
      show(parse('source:"The White House" Country:Azerbaijan').root),
    ).toBe("AND(source=[the white house], country=[azerbaijan])");
  });

  it("reads an unknown field as words, and says so", () => {
    const parsed = parse("colour:red");
    expect(show(parsed.root)).toBe('"colour red"');
    expect(parsed.notes).toEqual([
      "There is no field “colour”; searched for “colour:red” as words. Fields: title, body, source, country, date, after, before.",
    ]);
  });

  it("reads dates at every precision into a range of days", () => {
    expect(parse("after:2023-01-01").dates).toEqual({ from: "2023-01-01" });
    expect(parse("before:2023-12").dates).toEqual({ to: "2023-12-31" });
    expect(parse("date:2023").dates).toEqual({
      from: "2023-01-01",
      to: "2023-12-31",
    });
    expect(parse("date:2024-02 talks").dates).toEqual({
      from: "2024-02-01",
      to: "2024-02-29",
    });
  });

  it("leaves out an impossible date, and says so", () => {
    const parsed = parse("talks after:2023-02-30");
    expect(parsed.dates).toEqual({});
    expect(parsed.notes).toEqual([
      "“after:2023-02-30” is not a date (use YYYY, YYYY-MM or YYYY-MM-DD), so it was left out.",
    ]);
  });

  it("notes a date range that nothing can match", () => {
    expect(parse("after:2024 before:2023").notes).toEqual([
      "No date is both after the start and before the end asked for, so nothing can match.",
    ]);
  });
});

describe("parseSyntax: malformed input is read leniently", () => {
  const cases: [string, string, string[]][] = [
    [
      '"joint statement',
      '"joint statement"',
      ["A quote was not closed; it was closed at the end of the query."],
    ],
    [
      "(gas OR oil",
      "OR(gas, oil)",
      ["A “(” was not closed; it was closed at the end of the query."],
    ],
    ["gas) oil", "AND(gas, oil)", ["A “)” without its “(” was left out."]],
    ["gas OR", "gas", ["“OR” needs a word on each side, so it was left out."]],
    ["OR gas", "gas", ["“OR” needs a word on each side, so it was left out."]],
    [
      "AND gas",
      "gas",
      ["“AND” needs a word on each side, so it was left out."],
    ],
    ["gas NOT", "gas", ["A “NOT” or “-” with nothing after it was left out."]],
    ['gas ""', "gas", ["Empty quotes were left out."]],
    [
      "a* gas",
      "AND(a, gas)",
      ["“a*” needs at least 2 letters before “*”; searched for “a” alone."],
    ],
    ["gas~7", "gas~2", ["At most 2 typos are allowed; “gas~7” allows 2."]],
    ["()", "∅", []],
    ["— ? !", "∅", []],
  ];
  for (const [q, tree, notes] of cases) {
    it(`reads ${JSON.stringify(q)}`, () => {
      const parsed = parse(q);
      expect(show(parsed.root)).toBe(tree);
      expect(parsed.notes).toEqual(notes);
    });
  }

  it("searches at most 64 words, and says so", () => {
    const parsed = parse(
      Array.from({ length: 70 }, (_, i) => `w${i}`).join(" "),
    );
    expect(parsed.root?.type === "and" && parsed.root.children.length).toBe(64);
    expect(parsed.notes).toEqual([
      "Only the first 64 words are searched; the rest were left out.",
    ]);
  });

  it("parses any string without throwing, into a tree of well-formed nodes", () => {
    const wellFormed = (node: QueryNode): boolean => {
      switch (node.type) {
        case "term":
          return node.term.length > 0 && (!node.fuzzy || node.fuzzy <= 2);
        case "phrase":
        case "field":
          return node.terms.length > 0 && node.terms.every((t) => t.length > 0);
        case "not":
          return wellFormed(node.child);
        default:
          return node.children.length >= 2 && node.children.every(wellFormed);
      }
    };
    const alphabet = fc.constantFrom(
      ...'ab "“”«»()-*~:ORANDNOT title: source: date:2023 after: 5'.split(""),
      "OR",
      "AND",
      "NOT",
      "title:",
      "date:",
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.array(alphabet, { maxLength: 40 }).map((a) => a.join("")),
        ),
        (q) => {
          const parsed = parse(q);
          expect(parsed.root === undefined || wellFormed(parsed.root)).toBe(
            true,
          );
          expect(typeof describeQuery(parsed.root, parsed.dates)).toBe(
            "string",
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("describeQuery", () => {
  const describeQ = (q: string, sort?: string) => {
    const parsed = parse(q);
    return describeQuery(parsed.root, parsed.dates, sort);
  };

  it("says how the query was understood", () => {
    expect(
      describeQ('"joint statement" Karabakh -Armenia after:2023-01-01'),
    ).toBe(
      "“joint statement” AND Karabakh, not Armenia, on or after 1 January 2023",
    );
  });

  it("brackets groups and names fields, operators and periods", () => {
    expect(
      describeQ(
        '(gas OR oil) title:Russia source:"White House" negotiat* kim~1 date:2023-09',
        "newest",
      ),
    ).toBe(
      "(gas OR oil) AND Russia in the title AND source “White House” AND negotiat* AND kim (or within 1 typo), in September 2023, newest first",
    );
  });

  it("describes a proximity phrase and a query of exclusions only", () => {
    expect(describeQ('"peace treaty"~5')).toBe("“peace treaty” within 5 words");
    expect(describeQ("-Armenia")).toBe("everything but Armenia");
    expect(describeQ("date:2023")).toBe("all statements, in 2023");
  });
});
