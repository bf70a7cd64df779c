import { describe, expect, it } from "vitest";
import { groupNames, namedTogether } from "../src/search/entities.ts";
import { caseStats, entitiesOf, findEntities } from "../src/text/entities.ts";

describe("findEntities", () => {
  it("finds people by title and name, places, and organisations by their heads", () => {
    const text =
      "The talks took place on Monday, and President of Ukraine Volodymyr Zelenskyy met Prime Minister Mikhail Mishustin in Berlin. Later Zelenskyy thanked the Ministry of Social Policy and NATO for their help, and the Ukrainian people for patience.";
    expect(findEntities(text, "en")).toEqual([
      { type: "place", name: "Ukraine", forms: ["Ukraine"] },
      {
        type: "person",
        name: "Volodymyr Zelenskyy",
        forms: ["Volodymyr Zelenskyy", "Zelenskyy"],
      },
      {
        type: "person",
        name: "Mikhail Mishustin",
        forms: ["Mikhail Mishustin"],
      },
      { type: "place", name: "Berlin", forms: ["Berlin"] },
      {
        type: "org",
        name: "Ministry of Social Policy",
        forms: ["Ministry of Social Policy"],
      },
      { type: "org", name: "NATO", forms: ["NATO"] },
    ]);
  });

  it("names a country by its English name in every script and inflection", () => {
    expect(
      entitiesOf("Україна вдячна Польщі. Підтримка України зростає.", "uk"),
    ).toEqual({
      person: [],
      place: ["Ukraine", "Poland"],
      org: [],
    });
    expect(entitiesOf("中国和俄罗斯举行会谈。", "zh").place).toEqual([
      "China",
      "Russia",
    ]);
    expect(
      entitiesOf("переговоры с Президентом Республики Беларусь", "ru").place,
    ).toEqual(["Belarus"]);
  });

  it("leaves out what only looks like a name: offices, shouting, dates, title case, lone heads", () => {
    const text = [
      "NOW, THEREFORE, I, JOSEPH R. BIDEN JR., do hereby proclaim.",
      "IN WITNESS WHEREOF, I have set my hand this sixth day of June.",
      "The Secretary of State met the Secretary of Commerce in June.",
      "Secretary of Homeland Security Alejandro N. Mayorkas and Secretary of State Antony J. Blinken spoke in the General Debate.",
      "Member States flew to North Carolina. The Government and Congress agreed.",
      "Climate Change is real, and we act on climate change every day.",
      "Jake Sullivan's trip met Secretary-General Ban Ki-moon on the Island.",
    ].join(" ");
    expect(findEntities(text, "en")).toEqual([
      {
        type: "person",
        name: "JOSEPH R BIDEN JR",
        forms: ["JOSEPH R BIDEN JR"],
      },
      {
        type: "person",
        name: "Alejandro N Mayorkas",
        forms: ["Alejandro N Mayorkas"],
      },
      { type: "person", name: "Antony J Blinken", forms: ["Antony J Blinken"] },
      { type: "org", name: "Congress", forms: ["Congress"] },
      { type: "person", name: "Jake Sullivan", forms: ["Jake Sullivan"] },
      { type: "person", name: "Ban Ki-moon", forms: ["Ban Ki-moon"] },
    ]);
  });

  it("reads the name after an office whose field is a place, even in a headline", () => {
    expect(
      entitiesOf(
        "Address by the President of Ukraine Volodymyr Zelensky\n\nHe spoke.",
        "en",
      ),
    ).toEqual({ person: ["Volodymyr Zelensky"], place: ["Ukraine"], org: [] });
  });

  it("ends a Russian or Ukrainian organisation's name before the sentence's verb", () => {
    expect(
      entitiesOf(
        "Міністерство фінансів вже провело перший випуск. ЄС тепер виходить на рівень.",
        "uk",
      ).org,
    ).toEqual(["Міністерство фінансів", "ЄС"]);
  });

  it("gathers a Russian name's inflected forms", () => {
    const found = findEntities(
      "Сегодня Владимир Путин провёл переговоры в Москве. Гости поблагодарили Путина за приглашение.",
      "ru",
    );
    expect(found).toEqual([
      {
        type: "person",
        name: "Владимир Путин",
        forms: ["Владимир Путин", "Путина"],
      },
      { type: "place", name: "Москве", forms: ["Москве"] },
    ]);
  });

  it("takes no adjective of a country, nor the name of an event, for a name", () => {
    expect(
      findEntities(
        "The leaders discussed Russian-Chinese ties before the Olympic Winter Games opened.",
        "en",
      ),
    ).toEqual([]);
  });

  it("leaves out the archive's common words when it knows the archive's capitals", () => {
    const text =
      "Новости Темы Иван Петров выступил на заседании и ответил на вопросы журналистов.";
    const common = caseStats([
      "новости и темы",
      "новости, темы, новости",
      "темы новости",
    ]);
    expect(findEntities(text, "ru").map((e) => e.name)).toEqual([
      "Новости Темы Иван Петров",
    ]);
    expect(findEntities(text, "ru", common).map((e) => e.name)).toEqual([
      "Иван Петров",
    ]);
  });
});

describe("groupNames", () => {
  const person = (name: string, count: number) => ({
    type: "person" as const,
    name,
    count,
  });

  it("groups a name's forms across scripts and inflections, named by the most used", () => {
    const groups = groupNames([
      person("Volodymyr Zelenskyy", 10),
      person("Zelensky", 3),
      person("Зеленський", 4),
      person("Владимир Зеленский", 2),
      person("Зеленского", 1),
      person("Vladimir Putin", 20),
      person("Владимира Путина", 2),
      { type: "place", name: "Курской области", count: 2 },
      { type: "place", name: "Курская область", count: 3 },
    ]);
    expect(groups).toEqual([
      {
        type: "person",
        name: "Vladimir Putin",
        forms: ["Vladimir Putin", "Владимира Путина"],
        count: 22,
      },
      {
        type: "person",
        name: "Volodymyr Zelenskyy",
        forms: [
          "Volodymyr Zelenskyy",
          "Zelensky",
          "Зеленський",
          "Владимир Зеленский",
          "Зеленского",
        ],
        count: 20,
      },
      {
        type: "place",
        name: "Курская область",
        forms: ["Курской области", "Курская область"],
        count: 5,
      },
    ]);
  });

  it("keeps apart people who share a surname, and a surname that fits both", () => {
    const groups = groupNames([
      person("Gurbanguly Berdimuhamedov", 1),
      person("Serdar Berdimuhamedov", 1),
      person("Berdimuhamedov", 1),
    ]);
    expect(groups.map((g) => g.forms)).toEqual([
      ["Berdimuhamedov"],
      ["Gurbanguly Berdimuhamedov"],
      ["Serdar Berdimuhamedov"],
    ]);
  });

  it("takes a lone surname for the one person named far more often than its other bearers", () => {
    const groups = groupNames([
      person("Joe Biden", 40),
      person("Hunter Biden", 9),
      person("Biden", 50),
      person("Kamala Harris", 10),
      person("Harris", 8),
    ]);
    expect(groups.map((g) => [g.name, g.count, g.forms.length])).toEqual([
      ["Joe Biden", 90, 2],
      ["Kamala Harris", 18, 2],
      ["Hunter Biden", 9, 1],
    ]);
    // Four times as often, not less: 35 against 9 is not enough.
    const close = groupNames([
      person("Joe Biden", 35),
      person("Hunter Biden", 9),
      person("Biden", 20),
    ]);
    expect(close.map((g) => g.name)).toEqual([
      "Joe Biden",
      "Biden",
      "Hunter Biden",
    ]);
  });
});

describe("namedTogether", () => {
  it("counts the people named in the same statements as a person, most first", () => {
    const statements = [
      { person: ["Putin", "Lukashenko"], place: [], org: [] },
      { person: ["Putin", "Xi Jinping", "Lukashenko"], place: [], org: [] },
      { person: ["Владимир Путин", "Xi Jinping"], place: [], org: [] },
      { person: ["Xi Jinping", "Lukashenko"], place: [], org: [] },
    ];
    const canonical = (name: string) =>
      name === "Владимир Путин" ? "Putin" : name;
    expect(namedTogether("Putin", statements, canonical)).toEqual([
      { name: "Lukashenko", count: 2 },
      { name: "Xi Jinping", count: 2 },
    ]);
  });
});
