import { describe, expect, it } from "vitest";
import { highlight, wordMarker } from "../src/search/highlight.ts";
import { stemArabic } from "../src/text/stem/arabic.ts";
import { sameInflection } from "../src/text/stem/english.ts";
import { stemTurkic } from "../src/text/stem/turkic.ts";
import { stemmerFor, stemmersFor } from "../src/text/stemmers.ts";
import {
  normalizeTerm,
  terms,
  tokenize,
  wordOffsets,
} from "../src/text/terms.ts";
import { romanize, soundKeys, spells } from "../src/text/translit.ts";

describe("terms in scripts without spaces", () => {
  it("cuts Chinese into overlapping pairs of characters, so 制裁 is one of them", () => {
    expect(terms("外交部发言，中方反对制裁。")).toEqual([
      "外交",
      "交部",
      "部发",
      "发言",
      "中方",
      "方反",
      "反对",
      "对制",
      "制裁",
    ]);
  });

  it("cuts a run into the same pairs whatever stands around it", () => {
    const run = terms("维护香港法治");
    const inContext = terms("这是必然要求，也是维护香港法治的根本。");
    const at = inContext.indexOf(run[0]!);
    expect(inContext.slice(at, at + run.length)).toEqual(run);
  });

  it("pairs Japanese kana with Han and keeps the kana voicing marks", () => {
    expect(terms("政府は制裁を述べた")).toEqual([
      "政府",
      "府は",
      "は制",
      "制裁",
      "裁を",
      "を述",
      "述べ",
      "べた",
    ]);
  });

  it("keeps a character standing alone as a word", () => {
    expect(terms("2020年9月")).toEqual(["2020", "年", "9", "月"]);
  });

  it("still cuts Thai into words with the segmenter", () => {
    expect(terms("ภาษาไทยง่ายนิดเดียว")).toEqual([
      "ภาษา",
      "ไทย",
      "ง่าย",
      "นิด",
      "เดียว",
    ]);
  });

  it("keeps Latin letters next to Chinese as a word of their own", () => {
    expect(terms("COVID制裁")).toEqual(["covid", "制裁"]);
  });

  it("counts the same words in tokens, terms and word offsets", () => {
    const text = "COVID制裁，中方坚决反对。Зеленський і الرئيس ٢٠٢٣ 述べた";
    const tokens = tokenize(text);
    expect(tokens.map((t) => t.term)).toEqual(terms(text));
    expect(wordOffsets(text, 0, tokens.length - 1)).toEqual(
      tokens.map((t) => [t.start, t.end]),
    );
  });

  it("marks the characters of the matched word in the original text", () => {
    const text = "外交部发言人：中方坚决反对制裁。";
    expect(highlight(text, wordMarker(["制裁"]))).toBe(
      "外交部发言人：中方坚决反对<mark>制裁</mark>。",
    );
  });

  it("marks neighbouring pairs as one run, each character once", () => {
    const text = "中方坚决反对制裁。";
    expect(highlight(text, wordMarker(["坚决", "决反", "反对"]))).toBe(
      "中方<mark>坚决反对</mark>制裁。",
    );
  });
});

describe("folding what readers take for one letter", () => {
  it("keeps Ukrainian ї, й and є apart from і, и and е", () => {
    expect(terms("Їжак, йод, Європа, іній")).toEqual([
      "їжак",
      "йод",
      "європа",
      "іній",
    ]);
  });

  it("folds Russian ё and stress marks", () => {
    expect(terms("Ёлка за́мок")).toEqual(["елка", "замок"]);
  });

  it("folds Greek accents and final sigma", () => {
    expect(terms("ΟΔΟΣ οδός Ελλάδας")).toEqual(["οδοσ", "οδοσ", "ελλαδασ"]);
  });

  it("reads Turkish and Azerbaijani dotted and dotless i as i", () => {
    expect(terms("İSTANBUL Istanbul ılık İlham")).toEqual([
      "istanbul",
      "istanbul",
      "ilik",
      "ilham",
    ]);
  });

  it("keeps Tamil and Sinhala vowel signs", () => {
    expect(terms("அரசாங்கம் அரசு")).toEqual(["அரசாங்கம்", "அரசு"]);
  });

  it("writes Arabic letters in one form: alef, taa marbuta, alef maksura, no tatweel or vowel marks", () => {
    expect(
      terms("أحمد إسرائيل آمال القاهرة مستشفى والمُفاوَضاتُ عـــربي ٢٠٢٣"),
    ).toEqual([
      "احمد",
      "اسراييل",
      "امال",
      "القاهره",
      "مستشفي",
      "والمفاوضات",
      "عربي",
      "2023",
    ]);
  });

  it("marks an Arabic word with its vowel marks as written", () => {
    const text = "قال إن والمُفاوَضاتُ مستمرة";
    expect(highlight(text, wordMarker(["والمفاوضات"]))).toBe(
      "قال إن <mark>والمُفاوَضاتُ</mark> مستمرة",
    );
    const [, , word] = tokenize(text);
    expect(text.slice(word!.start, word!.end)).toBe("والمُفاوَضاتُ");
  });

  it("is idempotent in every script", () => {
    for (const word of ["Їжак", "ΟΔΟΣ", "述べた", "والمُفاوَضاتُ", "İlham"]) {
      const once = normalizeTerm(word);
      expect(normalizeTerm(once)).toBe(once);
    }
  });
});

describe("stemmers", () => {
  it("give Russian and Ukrainian case forms one stem", () => {
    const ru = stemmerFor("ru")!;
    const uk = stemmerFor("uk")!;
    const none = () => false;
    expect(ru.stem("санкции", none)).toBe(ru.stem("санкций", none));
    expect(uk.stem("санкції", none)).toBe(uk.stem("санкцій", none));
  });

  it("strip the Arabic article and the letters joined to it", () => {
    const none = () => false;
    expect(
      ["والمفاوضات", "المفاوضات", "مفاوضات", "بالمفاوضات", "للمفاوضات"].map(
        (w) => stemArabic(w, none),
      ),
    ).toEqual(["مفاوض", "مفاوض", "مفاوض", "مفاوض", "مفاوض"]);
  });

  it("strip a single Arabic prefix letter only when the rest is a word of the archive", () => {
    // وزير (minister) is not و + زير.
    expect(stemArabic("وزير", () => false)).toBe("وزير");
    expect(stemArabic("الوزير", () => false)).toBe("وزير");
    const known = (w: string) => w === "فلسطين";
    expect(stemArabic("وفلسطين", known)).toBe(stemArabic("فلسطين", known));
    expect(stemArabic("وفلسطين", () => false)).toBe("وفلسط");
  });

  it("take Turkish and Azerbaijani endings off folded words", () => {
    expect(stemTurkic("ankaradan")).toBe(stemTurkic("ankara"));
    expect(stemTurkic("turkiyenin")).toBe(stemTurkic("turkiye"));
    expect(stemTurkic("bakida")).toBe(stemTurkic("baki"));
  });

  it("do not take united for a form of unit where unite is a word", () => {
    const known = (w: string) => ["unit", "unite", "units"].includes(w);
    expect(sameInflection("unit", "united", known)).toBe(false);
    expect(sameInflection("unite", "united", known)).toBe(true);
    expect(sameInflection("unit", "units", known)).toBe(true);
    expect(sameInflection("program", "programmed", known)).toBe(true);
  });

  it("are chosen by the word's script and the archive's languages", () => {
    const langs = (term: string, l?: string[]) =>
      stemmersFor(term, l).map((s) => s.lang);
    expect(langs("sanctions")).toEqual(["en"]);
    expect(langs("sanciones", ["es", "en"])).toEqual(["es", "en"]);
    expect(langs("санкции", ["es"])).toEqual(["ru", "uk"]);
    expect(langs("санкції")).toEqual(["uk"]);
    expect(langs("санкциями")).toEqual(["ru", "uk"]);
    expect(langs("сыр")).toEqual(["ru"]);
    expect(langs("والمفاوضات")).toEqual(["ar"]);
    expect(langs("制裁")).toEqual([]);
    expect(langs("sanctions", ["und", "fr"])).toEqual(["en", "fr"]);
  });
});

describe("names across scripts", () => {
  it("gives Cyrillic words their BGN/PCGN and Ukrainian national romanizations", () => {
    expect(romanize("зеленский")).toEqual(["zelenskiy", "zelenskyi"]);
    expect(romanize("зеленський")).toEqual(["zelenskiy", "zelenskyi"]);
    expect(romanize("лавров")).toEqual(["lavrov"]);
    expect(romanize("щербина")).toEqual(["shcherbina", "shcherbyna"]);
    expect(romanize("єрмак")).toEqual(["yermak"]);
  });

  it("matches a Latin spelling to the Cyrillic and Arabic name", () => {
    expect(spells("zelensky", "зеленский")).toBe(true);
    expect(spells("zelensky", "зеленський")).toBe(true);
    expect(spells("zelenskyy", "зеленський")).toBe(true);
    expect(spells("lavrov", "лавров")).toBe(true);
    expect(spells("bayramov", "байрамов")).toBe(true);
    expect(spells("lavrov", "لافروف")).toBe(true);
    expect(spells("zelensky", "زيلينسكي")).toBe(true);
  });

  it("does not match common words to words that only look alike", () => {
    expect(spells("ukraine", "крайне")).toBe(false);
    expect(spells("prime", "прийме")).toBe(false);
    expect(spells("states", "статус")).toBe(false);
    expect(spells("staff", "став")).toBe(false);
    // An Arabic word with no vowel letter is a native word, not a spelled-out name.
    expect(spells("think", "ثنك")).toBe(false);
    expect(spells("zelensky", "зеленского")).toBe(false);
  });

  it("files a name and its spellings under one sound key", () => {
    expect(soundKeys("zelensky")).toEqual(["SLNSG"]);
    expect(soundKeys("зеленський")).toEqual(["SLNSG"]);
    expect(soundKeys("زيلينسكي")).toEqual(["SLNSG"]);
  });
});

describe("Romance word forms on folded words", () => {
  const same = (lang: string, words: string[]) =>
    new Set(
      words.map((w) => stemmerFor(lang)!.stem(normalizeTerm(w), () => false)),
    ).size;

  it("brings a Spanish singular in -ión and its plural together", () => {
    expect(same("es", ["negociación", "negociaciones", "negociar"])).toBe(1);
    expect(same("es", ["declaración", "declaraciones"])).toBe(1);
  });

  it("brings Spanish plurals in -es of singulars in a consonant together", () => {
    expect(same("es", ["joven", "jóvenes"])).toBe(1);
    expect(same("es", ["francés", "francesa", "franceses"])).toBe(1);
    expect(same("es", ["presidente", "presidenta", "presidentes"])).toBe(1);
  });

  it("reads a Spanish plural in -ces as one in -z when the archive has the -z word", () => {
    const stem = (w: string) =>
      stemmerFor("es")!.stem(w, (word) => word === "feliz");
    expect(stem("felices")).toBe(stem("feliz"));
  });

  it("brings Portuguese nasal plurals and -ais, -ns plurals together", () => {
    expect(same("pt", ["negociação", "negociações"])).toBe(1);
    expect(same("pt", ["nacional", "nacionais"])).toBe(1);
    expect(same("pt", ["jovem", "jovens"])).toBe(1);
  });

  it("brings Italian and French genders and plurals together", () => {
    expect(same("it", ["politico", "politica", "politici", "politiche"])).toBe(
      1,
    );
    expect(
      same("fr", ["international", "internationaux", "internationales"]),
    ).toBe(1);
  });
});
