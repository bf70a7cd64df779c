import { describe, expect, it } from "vitest";
import {
  escapeHtml,
  highlight,
  snippet,
  wordMarker,
  type MarkCounter,
} from "../src/search/highlight.ts";

describe("escapeHtml", () => {
  it("escapes the five characters that matter in HTML", () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;",
    );
  });

  it("drops the control characters and noncharacters HTML forbids, keeping whitespace", () => {
    expect(
      escapeHtml(
        "a\u0000b\u0001c\u001bd\u007fe\u0085f\ufffeg\th\ni\u000cj\rk é",
      ),
    ).toBe("abcdefg\th\ni\u000cj\rk é");
  });
});

describe("highlight", () => {
  it("marks every word whose normalized form matched, as it stands in the text", () => {
    expect(
      highlight("The road from Ağdam to AGDAM.", wordMarker(["agdam"])),
    ).toBe("The road from <mark>Ağdam</mark> to <mark>AGDAM</mark>.");
  });

  it("escapes the text around and inside the marks", () => {
    expect(
      highlight(
        '<script>alert("x")</script> & AT&amp;T',
        wordMarker(["script", "amp"]),
      ),
    ).toBe(
      "&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; &amp; AT&amp;<mark>amp</mark>;T",
    );
  });

  it("marks both parts of a hyphenated word and an abbreviation with its dots", () => {
    expect(
      highlight(
        "Nagorno-Karabakh and the U.S. said",
        wordMarker(["nagorno", "karabakh", "u.s"]),
      ),
    ).toBe(
      "<mark>Nagorno</mark>-<mark>Karabakh</mark> and the <mark>U.S.</mark> said",
    );
  });

  it("numbers marks across calls when given a counter", () => {
    const counter: MarkCounter = { count: 0 };
    const matcher = wordMarker(["peace"]);
    expect(highlight("Peace now.", matcher, counter)).toBe(
      '<mark id="m1">Peace</mark> now.',
    );
    expect(highlight("A peace plan for peace.", matcher, counter)).toBe(
      'A <mark id="m2">peace</mark> plan for <mark id="m3">peace</mark>.',
    );
    expect(counter.count).toBe(3);
  });
});

describe("snippet", () => {
  const text =
    "One two three four five six seven eight nine ten. Eleven twelve flood thirteen fourteen. " +
    "Fifteen sixteen seventeen relief eighteen nineteen flood relief twenty twenty-one end.";

  it("centres the window on the densest run of distinct matches", () => {
    expect(snippet(text, wordMarker(["flood", "relief"]), 8)).toBe(
      "… sixteen seventeen <mark>relief</mark> eighteen nineteen <mark>flood</mark> <mark>relief</mark> twenty …",
    );
  });

  it("opens with the first words when nothing matches, marking nothing", () => {
    expect(snippet(text, wordMarker(["absent"]), 5)).toBe(
      "One two three four five …",
    );
  });

  it("shows a short text whole, with no ellipsis", () => {
    expect(snippet("Flood relief.", wordMarker(["flood"]))).toBe(
      "<mark>Flood</mark> relief.",
    );
  });

  it("puts paragraphs of the passage on one line", () => {
    expect(snippet("First flood.\n\nSecond line.", wordMarker(["flood"]))).toBe(
      "First <mark>flood</mark>. Second line.",
    );
  });

  it("prefers a passage with the word as typed to one with only its other forms", async () => {
    const { specIdMarker, specMarker } =
      await import("../src/search/marker.ts");
    const { terms } = await import("../src/text/terms.ts");
    const spec = {
      words: [
        { term: "sanctions", key: "sanctions" },
        { term: "sanctioned", key: "sanctions" },
      ],
      phrases: [],
    };
    const body =
      "Add a prong for a sanctioned entity and for a sanctioned person, or a sanctioned firm. " +
      "Filler words follow here, more of them, and more again, to part the two passages. " +
      "The ministers discussed the sanctions at length.";
    const expected =
      "… passages. The ministers discussed the <mark>sanctions</mark> at length.";
    expect(snippet(body, specMarker(spec, "body"), 8)).toBe(expected);
    // The same from the index's term ids, as results pages make snippets.
    const words = terms(body);
    const ids = new Map([...new Set(words)].map((t, i) => [t, i]));
    expect(
      snippet(
        body,
        specIdMarker(spec, "body", (t) => ids.get(t)),
        8,
        words.map((t) => ids.get(t)!),
      ),
    ).toBe(expected);
  });

  it("never lets markup from the text through", () => {
    expect(
      snippet("<img src=x onerror=alert(1)> flood", wordMarker(["flood"])),
    ).toBe("&lt;img src=x onerror=alert(1)&gt; <mark>flood</mark>");
  });
});

describe("snippet with the text's terms given", () => {
  it("gives what tokenizing the text gives", async () => {
    const { terms } = await import("../src/text/terms.ts");
    const texts = [
      "One two three four five six seven eight nine ten. Eleven twelve flood thirteen fourteen. Fifteen sixteen seventeen relief eighteen nineteen flood relief twenty twenty-one end.",
      "Ağdam–Xankəndi road: the U.S. and the EU observed the first convoy, 1,000 trucks of flood relief.",
      "— ’ ‘ … flood",
    ];
    for (const text of texts) {
      for (const words of [5, 8, 32]) {
        const marker = wordMarker(["flood", "relief", "agdam", "u.s"]);
        expect(snippet(text, marker, words, terms(text))).toBe(
          snippet(text, marker, words),
        );
      }
    }
  });
});
