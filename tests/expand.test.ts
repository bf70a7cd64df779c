import { describe, expect, it } from "vitest";
import { buildCorpus } from "../src/engines/memory/corpus.ts";
import { searchCorpus as search } from "./helpers.ts";
import type { Statement } from "../src/ingest/statement.ts";
import type { TermNode } from "../src/query/ast.ts";
import { parseQuery } from "../src/query/params.ts";
import { expand } from "../src/search/expand.ts";

const statement = (id: string, body: string, language?: string): Statement => ({
  id,
  title: "Statement",
  body,
  meta: language ? { language } : {},
  origin: { file: "literal" },
});

const corpus = buildCorpus([
  statement("zh", "外交部发言人毛宁主持例行记者会，中方坚决反对制裁。", "zh"),
  statement("ru", "Россия не признает санкций Евросоюза.", "ru"),
  statement("ru-name", "Министр Лавров встретился с Байрамовым.", "ru"),
  statement("ru-bayramov", "Джейхун Байрамов прибыл в Москву.", "ru"),
  statement("ru-zelensky", "Зеленский заявил о переговорах.", "ru"),
  statement("uk-zelensky", "Зеленський звернувся до нації.", "uk"),
  statement("uk", "Президент Зеленського відвідав Київ.", "uk"),
  statement("ar", "أكد الوزير أهمية والمفاوضات الجارية.", "ar"),
  statement("az", "Nazir Ceyhun Bayramov Bakıda görüşdü.", "az"),
  statement("en-united", "The United Nations met in session.", "en"),
  statement("en-unite", "They unite for peace.", "en"),
  statement("en-units", "Two army units moved north.", "en"),
  statement("en-zelensky", "President Zelensky spoke tonight.", "en"),
  statement("en-zelenskyy", "President Zelenskyy thanked the allies.", "en"),
  statement("en-mir", "The word more is common in English.", "en"),
]);

const ids = (q: string) =>
  search(corpus, parseQuery({ q }, corpus.fields.keys())).hits.map((h) => h.id);

describe("search in every script", () => {
  it("finds a Chinese word inside a sentence", () => {
    expect(ids("制裁")).toEqual(["zh"]);
  });

  it("finds a Russian word in another case", () => {
    expect(ids("санкции")).toEqual(["ru"]);
  });

  it("finds an Arabic word with the conjunction attached", () => {
    expect(ids("المفاوضات")).toEqual(["ar"]);
  });

  it("finds Spanish forms with the Spanish stemmer, chosen by the statements' language", () => {
    const spanish = buildCorpus([
      statement("es", "Las elecciones presidenciales fueron tranquilas.", "es"),
    ]);
    const query = parseQuery({ q: "eleccion" }, spanish.fields.keys());
    expect(search(spanish, query).hits.map((h) => h.id)).toEqual(["es"]);
  });

  it("does not take united for a form of unit", () => {
    expect(ids("unit")).toEqual(["en-units"]);
  });
});

describe("names across scripts", () => {
  it("finds the name in Latin, Cyrillic in both spellings, and its forms, the typed spelling first", () => {
    const found = ids("Zelensky");
    expect(found[0]).toBe("en-zelensky");
    expect(new Set(found)).toEqual(
      new Set([
        "en-zelensky",
        "en-zelenskyy",
        "ru-zelensky",
        "uk-zelensky",
        "uk",
      ]),
    );
  });

  it("finds Лавров for Lavrov and Байрамовым for Bayramov", () => {
    expect(ids("Lavrov")).toEqual(["ru-name"]);
    const found = ids("Bayramov");
    expect(found[0]).toBe("az");
    expect(new Set(found)).toEqual(new Set(["az", "ru-bayramov", "ru-name"]));
  });

  it("keeps a quoted word exact", () => {
    expect(ids('"Zelensky"')).toEqual(["en-zelensky"]);
  });

  it("can be switched off on the query word", () => {
    const node: TermNode = {
      type: "term",
      text: "Lavrov",
      term: "lavrov",
      translit: false,
      at: { start: 0, end: 6 },
    };
    expect(expand(corpus.index, node, []).map((v) => v.term)).toEqual([
      "lavrov",
    ]);
  });

  it("lists each variant with its kind and a lower weight", () => {
    const node: TermNode = {
      type: "term",
      text: "Lavrov",
      term: "lavrov",
      at: { start: 0, end: 6 },
    };
    expect(expand(corpus.index, node, [])).toEqual([
      { term: "lavrov", weight: 1, kind: "self" },
      { term: "лавров", weight: 0.6, kind: "name" },
    ]);
  });

  it("does not give a common word a look-alike in another script", () => {
    // Russian море (sea) spells "more".
    const withSea = buildCorpus([
      statement("a", "The sea, море, is calm.", "en"),
      statement("b", "We need more time.", "en"),
    ]);
    const found = search(
      withSea,
      parseQuery({ q: "more" }, withSea.fields.keys()),
    ).hits.map((h) => h.id);
    expect(found).toEqual(["b"]);
  });
});
