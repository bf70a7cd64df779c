import { RegExpParser } from "@eslint-community/regexpp";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { analyse } from "scslre";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { snippet, wordMarker } from "../../src/search/highlight.ts";
import { parseQuery } from "../../src/query/params.ts";
import { parseDate } from "../../src/text/dates.ts";
import { stemmerFor, STEMMED_LANGUAGES } from "../../src/text/stemmers.ts";
import { terms } from "../../src/text/terms.ts";
import { soundKeys, spells } from "../../src/text/translit.ts";

const SRC = path.join(import.meta.dirname, "..", "..", "src");

/** Every regular expression literal in src/, with where it stands. */
function regexLiterals(): { where: string; literal: string }[] {
  const out: { where: string; literal: string }[] = [];
  const files = readdirSync(SRC, { recursive: true, encoding: "utf8" }).filter(
    (f) => f.endsWith(".ts"),
  );
  for (const file of files) {
    const text = readFileSync(path.join(SRC, file), "utf8");
    const source = ts.createSourceFile(
      file,
      text,
      ts.ScriptTarget.Latest,
      true,
    );
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const line =
          source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        out.push({ where: `${file}:${line}`, literal: node.getText() });
      }
      // A pattern built at run time cannot be checked here: keep them out of src/.
      if (ts.isNewExpression(node) && node.expression.getText() === "RegExp")
        out.push({ where: file, literal: "new RegExp(…)" });
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return out;
}

// 100 KB of what makes a backtracking pattern try every split: runs of one character, and
// of two alternating, among them the separators dates, words and slugs are made of.
const ADVERSARIAL = [
  " ",
  "\t",
  "0",
  "-",
  ".",
  "/",
  ":",
  "<",
  "#",
  "a",
  "я",
  "ا",
  "中",
  " 0",
  "0:",
  "- ",
  "a.",
  "(UTC",
].flatMap((unit) => {
  const run = unit.repeat(Math.ceil(100_000 / unit.length));
  return [run, `${run}!`, `7 Sep 2023 14:00 ${run}`];
});

describe("regular expressions in src/", () => {
  const found = regexLiterals();

  it("finds the patterns it checks", () => {
    // A check over nothing cannot fail: src/ has over a hundred patterns.
    expect(found.length).toBeGreaterThan(100);
    expect(found.map((r) => r.literal)).toContain("/\\s+/g");
  });

  it("has none whose work grows faster than its input", () => {
    // scslre proves, per pattern, that no input repeating a character makes a backtracking
    // engine take super-linear time (it names the attack string when one does).
    const parser = new RegExpParser();
    const slow = found.flatMap(({ where, literal }) => {
      if (literal === "new RegExp(…)") return [`${where}: ${literal}`];
      const { reports } = analyse(parser.parseLiteral(literal), {
        reportTypes: { Move: true, Self: true, Trade: true },
      });
      return reports.map((r) => `${where}: ${literal} (${r.type})`);
    });
    expect(slow).toEqual([]);
  });

  it("catches a quadratic pattern like the old time-zone one", () => {
    const zone =
      /^\(?\s*(?:UTC|GMT)?\s*(?:([+-])\s*(\d{1,2})(?::?(\d{2}))?)?\s*\)?$/i;
    const { reports } = analyse(new RegExpParser().parseLiteral(String(zone)), {
      reportTypes: { Move: true, Self: true, Trade: true },
    });
    expect(reports.length).toBeGreaterThan(0);
  });
});

describe("text functions on 100 KB of adversarial input", () => {
  it("reads no date from an overlong field, and reads the date in a normal one", () => {
    const read = ADVERSARIAL.map((input) => parseDate(input)).filter(
      (d) => d !== undefined,
    );
    // Trailing blanks are trimmed away, leaving the date; nothing else reads as one.
    expect(read).toEqual(["2023-09-07T14:00:00", "2023-09-07T14:00:00"]);
    expect(parseDate("7 Sep 2023 14:00 (UTC +04:00)")).toBe(
      "2023-09-07T14:00:00+04:00",
    );
  });

  it("parses any of them as a query, with from and to", () => {
    for (const input of ADVERSARIAL) {
      const query = parseQuery({ q: input, from: input, to: input }, []);
      // No date is read from them, and the reason is told.
      expect(query.from + query.to).toBe("");
      if (input.trim()) expect(query.notes.join(" ")).toMatch(/date/i);
    }
  });

  it("tokenizes and snippets them", () => {
    // A quarter of the Chinese run: 25,000 characters make 24,999 overlapping pairs.
    for (const input of ADVERSARIAL) {
      const text = input.startsWith("中") ? input.slice(0, 25_000) : input;
      const words = terms(text);
      expect(words.every((w) => w.length > 0)).toBe(true);
      if (text.startsWith("中")) expect(words.length).toBe(24_999);
      expect(snippet(text, wordMarker(["a"]))).not.toContain("<mark>a</mark>a");
    }
  }, 20_000);

  it("leaves words no grammar has to the stemmers and name matching untouched", () => {
    const long = "я".repeat(100_000);
    for (const lang of STEMMED_LANGUAGES)
      expect(stemmerFor(lang)!.stem(long, () => true)).toBe(long);
    expect(soundKeys(long)).toEqual([]);
    expect(spells("zelensky", long)).toBe(false);
  });
});
