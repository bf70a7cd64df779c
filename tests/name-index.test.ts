import { describe, expect, it } from "vitest";
import type { Store } from "../src/engines/store.ts";
import { parseSyntax } from "../src/query/parse.ts";
import { nameIndex, splitNames } from "../src/search/name-index.ts";

// Only what the name index reads of a store: the forms of each name field and their counts.
const values = new Map([
  [
    "person",
    new Map([
      ["Volodymyr Zelenskyy", 5],
      ["Зеленський", 2],
      ["Владимир Зеленский", 1],
      ["Vladimir Putin", 4],
      ["Путина", 1],
    ]),
  ],
  ["place", new Map([["Ukraine", 6]])],
]);
const store = { fieldValues: () => values } as unknown as Store;
const fields = ["source", "person", "place", "org"];

describe("nameIndex", () => {
  it("groups a name's forms across scripts under its most used form", () => {
    const index = nameIndex(store);
    expect(index.groups.get("person")!.map((g) => [g.name, g.count])).toEqual([
      ["Volodymyr Zelenskyy", 8],
      ["Vladimir Putin", 5],
    ]);
    expect(index.formsOf("person", ["Volodymyr Zelenskyy"]).sort()).toEqual(
      ["Volodymyr Zelenskyy", "Владимир Зеленский", "Зеленський"].sort(),
    );
    expect(index.groupOf.get("person")!.get("Путина")).toBe("Vladimir Putin");
    // A form given where a group's name is asked for (`/names?person=Путина`) stands for the group.
    expect(index.formsOf("person", ["Путина"]).sort()).toEqual(
      ["Vladimir Putin", "Путина"].sort(),
    );
    expect(index.formsOf("person", ["Nobody"])).toEqual(["Nobody"]);
  });

  it("finds the groups a query's value names, in any script", () => {
    const index = nameIndex(store);
    for (const asked of ["Zelensky", "Зеленского", "volodymyr zelenskyy"])
      expect(index.find("person", asked).map((g) => g.name)).toEqual([
        "Volodymyr Zelenskyy",
      ]);
    expect(index.find("person", "Biden")).toEqual([]);
  });
});

describe("splitNames", () => {
  const split = (q: string) =>
    splitNames(parseSyntax(q, fields).root, () => nameIndex(store));

  it("takes the names out of the query's conjunction as required or excluded filters", () => {
    const { tree, names, nested } = split(
      "sanctions person:Zelensky -person:Putin",
    );
    expect(tree).toMatchObject({ type: "term", term: "sanctions" });
    expect(names.map((n) => [n.field, n.forms.length, !!n.not])).toEqual([
      ["person", 3, false],
      ["person", 2, true],
    ]);
    expect(nested).toBe(false);
  });

  it("leaves nothing to match when the query is only names, and finds no form for an unknown name", () => {
    const { tree, names } = split("person:Nobody");
    expect(tree).toBeUndefined();
    expect(names).toEqual([{ field: "person", forms: [] }]);
  });

  it("says when a name stands inside OR, where it cannot filter", () => {
    expect(split("gas OR person:Zelensky").nested).toBe(true);
  });
});
