import { describe, expect, it } from "vitest";
import { csvCell, csvLine, plainText } from "../src/out/export.ts";
import type { Html } from "../src/search/highlight.ts";

describe("csvCell", () => {
  it("quotes cells with commas, quotes or line breaks", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('a "quoted", word')).toBe('"a ""quoted"", word"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
  });

  it("neutralizes cells a spreadsheet would run as formulas", () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(
      '"\'=HYPERLINK(""http://x"")"',
    );
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tx")).toBe("'\tx");
  });

  it("leaves numbers as numbers", () => {
    expect(csvCell(-1.5)).toBe("-1.5");
  });
});

describe("csvLine and plainText", () => {
  it("writes the columns in order, ending in CRLF", () => {
    const line = csvLine({
      id: "a",
      title: "T",
      date: "2024",
      source: "S",
      url: "",
      permalink: "/statements/a",
      score: 1,
      snippet: "x",
      group: "g",
    });
    expect(line).toBe("a,T,2024,S,,/statements/a,1,x,g\r\n");
  });

  it("turns highlighted HTML back into the text it came from", () => {
    expect(
      plainText(
        "&lt;b&gt; <mark>AT&amp;T</mark> &quot;q&quot; it&#39;s" as Html,
      ),
    ).toBe('<b> AT&T "q" it\'s');
  });
});
