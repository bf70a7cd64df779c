import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocx } from "../src/ingest/docx.ts";
import { findDate } from "../src/ingest/find-date.ts";
import { formatOf, FORMATS } from "../src/ingest/formats.ts";
import { decodeHtml, parseHtml, stripSiteName } from "../src/ingest/html.ts";
import { capElements } from "../src/ingest/html-caps.ts";
import { parseMarkdown } from "../src/ingest/markdown.ts";
import { parsePdf } from "../src/ingest/pdf.ts";
import { pageAt } from "../src/ingest/statement.ts";
import { detectLanguage, primaryLanguage } from "../src/text/language.ts";
import { fixtures } from "./helpers.ts";

const formats = path.join(fixtures, "formats");
const bytes = (name: string) =>
  new Uint8Array(readFileSync(path.join(formats, name)));
const only = async (
  parsed: ReturnType<typeof parseHtml> | Promise<ReturnType<typeof parseHtml>>,
) => {
  const { records, problems } = await parsed;
  expect(problems).toEqual([]);
  expect(records).toHaveLength(1);
  return records[0]!;
};

describe("the format table", () => {
  it("gives every extension one format, each with a content type", () => {
    const extensions = FORMATS.flatMap((f) => f.extensions);
    expect(new Set(extensions).size).toBe(extensions.length);
    expect(formatOf("a/B.PDF")?.name).toBe("PDF");
    expect(formatOf("x.htm")?.contentType).toBe("text/html");
    expect(formatOf("notes.pages")).toBeUndefined();
  });
});

describe("parseHtml", () => {
  it("takes the statement's headline, date, source, address and language, and only its text", async () => {
    const { record } = await only(parseHtml(bytes("page-chrome.html")));
    expect(record).toEqual({
      title: "Ministry welcomes the fisheries accord",
      date: "2024-04-18T09:30:00+02:00",
      source: "Ministry of the Sea",
      url: "https://sea.example.org/news/fisheries-accord",
      lang: "en",
      body: [
        "18 April 2024",
        "The Ministry of the Sea welcomes the accord on fishing quotas signed today by the coastal states, which sets the catch of cod and haddock for the next three seasons.",
        "The accord keeps the spawning grounds closed from January to March and funds a joint patrol vessel, so that every boat in the shared waters follows the same rules.",
        "“Fishing communities on both shores gain certainty,” the minister said at the signing in the port of Kirkwall, thanking the negotiators for two years of work.",
      ].join("\n\n"),
    });
  });

  it("keeps menus, cookie banners, share buttons, related news and footers out of the body", async () => {
    const { record } = await only(parseHtml(bytes("page-chrome.html")));
    for (const chrome of [
      "cookies",
      "Newsroom",
      "Share on",
      "Related news",
      "lighthouse",
      "All rights reserved",
      "Privacy",
      "Home",
    ])
      expect(record.body).not.toContain(chrome);
  });

  it("reads the date printed under the headline when the metadata has none", async () => {
    const html = new TextDecoder()
      .decode(bytes("page-chrome.html"))
      .replace(/<script type="application\/ld\+json">.*<\/script>/, "");
    const { record } = await only(parseHtml(new TextEncoder().encode(html)));
    expect(record.date).toBe("2024-04-18");
  });

  it("decodes a page in windows-1251 as its meta tag says, and leaves the language to detection", async () => {
    const { record } = await only(parseHtml(bytes("page-1251.html")));
    expect(record.title).toBe("Заявление министерства о судоходстве на реке");
    expect(String(record.body)).toContain(
      "Министерство приветствует договорённость",
    );
    expect(String(record.body)).not.toContain("Пресс-служба");
    expect(record.lang).toBeUndefined();
    expect(detectLanguage(String(record.body))).toBe("ru");
  });

  it("refuses a page with no text", async () => {
    await expect(async () =>
      parseHtml(
        new TextEncoder().encode(
          "<html><body><nav><a href='/'>Home</a></nav></body></html>",
        ),
      ),
    ).rejects.toThrow("no text found in the page");
  });
});

describe("decodeHtml", () => {
  it("follows a BOM first, then the declared charset, then UTF-8, else windows-1252", () => {
    const utf16 = new Uint8Array([0xff, 0xfe, 0x41, 0x00, 0x42, 0x00]);
    expect(decodeHtml(utf16)).toBe("AB");
    const declared = new Uint8Array([
      ...new TextEncoder().encode('<meta charset="koi8-r">'),
      0xf0,
      0xd2,
    ]);
    expect(decodeHtml(declared)).toBe('<meta charset="koi8-r">Пр');
    expect(decodeHtml(new Uint8Array([0x63, 0x61, 0x66, 0xe9]))).toBe("café");
    expect(decodeHtml(new TextEncoder().encode("café"))).toBe("café");
  });
});

describe("stripSiteName", () => {
  it("drops the site's name and section labels, and keeps a title whose parts are all short", () => {
    expect(stripSiteName("EP TODAY | News | European Parliament", [])).toBe(
      "EP TODAY | News | European Parliament",
    );
    expect(
      stripSiteName(
        "Bundespolizei - Aktuelles - Illegale Migration über Polen nach Deutschland",
        ["bundespolizei.de"],
      ),
    ).toBe("Illegale Migration über Polen nach Deutschland");
    expect(
      stripSiteName("发言人表态_中华人民共和国外交部", [
        "中华人民共和国外交部",
      ]),
    ).toBe("发言人表态");
    expect(stripSiteName("Joint statement - EU and Japan", [])).toBe(
      "Joint statement - EU and Japan",
    );
  });
});

describe("parsePdf", () => {
  it("reads the text in paragraphs, the title, the date from the text and where each page starts", async () => {
    const found = await only(parsePdf(bytes("text.pdf")));
    expect(found.record).toEqual({
      title: "Joint communique on river navigation",
      date: "2024-03-14",
      lang: "en",
      body: [
        "Geneva, 14 March 2024",
        "The two delegations met to agree on the rules for shipping along the shared river, and on the dredging of its channel.",
        "They agreed that pilots from both banks will guide every barge through the narrows.",
        "A joint commission will meet each spring to review the sandbanks and publish a chart of the fairway.",
        "The communique enters into force on signature.",
      ].join("\n\n"),
    });
    const body = String(found.record.body);
    expect(found.pages).toHaveLength(2);
    expect(body.slice(found.pages![1]!)).toMatch(/^A joint commission/);
    expect(pageAt(found.pages!, body.indexOf("narrows"))).toBe(1);
    expect(pageAt(found.pages!, body.indexOf("sandbanks"))).toBe(2);
  });

  it("says why it skips an encrypted, a damaged and a textless PDF", async () => {
    await expect(parsePdf(bytes("encrypted.pdf"))).rejects.toThrow(
      "encrypted PDF (it needs a password to open)",
    );
    await expect(parsePdf(bytes("damaged.pdf"))).rejects.toThrow(
      /^damaged PDF \(/,
    );
    await expect(parsePdf(bytes("no-text.pdf"))).rejects.toThrow(
      "no text layer (a scanned image?) in 1 page",
    );
  });
});

describe("parseDocx", () => {
  it("keeps paragraphs, headings and table rows; the title is the first heading, the date the text's", async () => {
    const { record } = await only(parseDocx(bytes("speech.docx")));
    expect(record).toEqual({
      title: "Minister’s remarks at the harbour opening",
      date: "2024-06-03",
      lang: "en",
      body: [
        "Delivered on 3 June 2024 in Valletta.",
        "The new quay gives fishing boats shelter from the winter storms.",
        "What the harbour offers",
        "Berths | 48",
        "Depth | 6 m",
        "We thank the engineers and the divers who built it.",
      ].join("\n\n"),
    });
  });

  it("refuses a zip bomb from what it declares, and a file that is no Word file", async () => {
    await expect(parseDocx(bytes("bomb.docx"))).rejects.toThrow(
      "a zip bomb: its 335 B would unpack to 1024.0 MiB",
    );
    await expect(parseDocx(bytes("text.pdf"))).rejects.toThrow(
      /^damaged Word file \(not a zip archive/,
    );
  });
});

describe("parseMarkdown", () => {
  it("decodes every HTML entity, and only with its semicolon", () => {
    expect(
      parseMarkdown(
        "# T\n\nCaf&eacute; l&rsquo;accord &amp; AT&T &frac12; &notanentity;",
      ).body,
    ).toBe("Café l’accord & AT&T ½ &notanentity;");
  });
});

describe("a web page nested too deep", () => {
  it("is read with its tags past depth 128 dropped, its text kept, and says so", () => {
    const deep = `<html><head><title>Deep page statement</title></head><body>${"<div><span>".repeat(15_000)}<p>The text at the bottom of a deep page.</p></body></html>`;
    const { records, problems } = parseHtml(new TextEncoder().encode(deep));
    expect(records[0]!.record).toMatchObject({
      title: "Deep page statement",
      body: "The text at the bottom of a deep page.",
    });
    expect(problems).toEqual([
      {
        message:
          "the page nests its elements 30003 deep in 30,005 elements: 29,878 tags past depth 128 or element 50,000 were dropped, their text kept",
        kept: true,
      },
    ]);
  });

  it("leaves a page of usual depth as it is, unclosed paragraphs and list items too", () => {
    const page = new TextDecoder().decode(bytes("page-chrome.html"));
    expect(capElements(page).html).toBe(page);
    const loose = `<ul>${"<li><p>item".repeat(500)}</ul>`;
    expect(capElements(loose)).toMatchObject({ html: loose, dropped: 0 });
  });
});

describe("findDate", () => {
  it("finds the first date written in a text, whatever its shape", () => {
    expect(
      findDate("Issued in Geneva on 14 March 2024, after talks."),
    ).toMatchObject({
      iso: "2024-03-14",
      text: "14 March 2024",
    });
    expect(findDate("Washington, September 7, 2023 — The")?.iso).toBe(
      "2023-09-07",
    );
    expect(findDate("Updated 2023-09-07T20:51:00+04:00")?.iso).toBe(
      "2023-09-07T20:51:00+04:00",
    );
  });

  it("reads Greek dates with an ordinal day or after a place", () => {
    expect(findDate("10η Δεκεμβρίου 1948", "el")?.iso).toBe("1948-12-10");
    expect(findDate("Αθήνα, 10 Δεκεμβρίου 1948", "el")?.iso).toBe("1948-12-10");
    expect(findDate("Ψηφίστηκε την 1ης Μαΐου 2001.", "el")?.iso).toBe(
      "2001-05-01",
    );
  });

  it("passes over the end of a date range, impossible dates and years out of range", () => {
    expect(
      findDate(
        "Session of 24 February–20 March 2020. Distr.: General 19 February 2020",
      )?.iso,
    ).toBe("2020-02-19");
    expect(
      findDate("from 4 to 15 November 2019; issued 2 December 2019")?.iso,
    ).toBe("2019-12-02");
    expect(findDate("31 February 2023, then 1 March 2023")?.iso).toBe(
      "2023-03-01",
    );
    expect(findDate("In 12 May 1066 nothing; 3 May 2001 something")?.iso).toBe(
      "2001-05-03",
    );
    expect(findDate("no date here at all")).toBeUndefined();
  });

  it("does linear work on 100 KB of digits, spaces and letters", () => {
    const hostile = `${"1 ".repeat(20_000)}${"a".repeat(30_000)} ${"12.".repeat(10_000)}`;
    expect(findDate(hostile, undefined, hostile.length)).toBeUndefined();
  });
});

describe("detectLanguage", () => {
  it("tells languages apart from a title or a paragraph, and scripts ELD does not know", () => {
    expect(
      detectLanguage(
        "Azərbaycan Respublikasının Xarici İşlər Naziri telefon danışığı aparıb",
      ),
    ).toBe("az");
    expect(detectLanguage("Путин провёл переговоры с Лукашенко")).toBe("ru");
    expect(detectLanguage("Зеленський провів телефонну розмову")).toBe("uk");
    expect(detectLanguage("世界人权宣言")).toBe("zh");
    expect(detectLanguage("ශ්‍රී ලංකා ජනාධිපති කාර්යාලය නිවේදනය")).toBe("si");
    expect(detectLanguage("12 …")).toBeUndefined();
  });
});

describe("primaryLanguage", () => {
  it("reduces a language tag to its lower-case primary subtag", () => {
    expect(primaryLanguage("en-US")).toBe("en");
    expect(primaryLanguage("zh_Hans_CN")).toBe("zh");
    expect(primaryLanguage("RU")).toBe("ru");
    expect(primaryLanguage("english")).toBeUndefined();
  });
});
