import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Statement } from "../../src/ingest/statement.ts";
import { echoes } from "../../src/versions/echoes.ts";
import {
  VersionIndex,
  versionLimits,
  type VersionOptions,
} from "../../src/versions/version-index.ts";
import { body, paragraph, readout, sentence, statement } from "./fixtures.ts";

/** The groups as sorted lists of member ids, in a canonical order: what two indexes compare. */
function shape(index: VersionIndex): string[][] {
  return index
    .groups()
    .map((g) => g.members.map((m) => m.id).sort())
    .sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

function indexOf(
  statements: Statement[],
  options?: Partial<VersionOptions>,
): VersionIndex {
  const index = new VersionIndex(options);
  index.addAll(statements);
  return index;
}

const original = body(1, 8);
const paragraphs = original.split("\n\n");

describe("VersionIndex", () => {
  it("groups exact copies published under different ids", () => {
    const index = indexOf([
      statement("a", original),
      statement("b", original),
      statement("other", body(2, 8)),
    ]);
    expect(shape(index)).toEqual([["a", "b"]]);
    expect(index.similarity("a", "b")).toBe(1);
  });

  it("groups copies that differ only in case, punctuation and spacing", () => {
    const noisy = original
      .toUpperCase()
      .replace(/\./g, " ;")
      .replace(/ /g, "  ");
    expect(
      shape(indexOf([statement("a", original), statement("b", noisy)])),
    ).toEqual([["a", "b"]]);
  });

  it.each([
    [
      "a sentence added",
      [
        ...paragraphs.slice(0, 4),
        `${paragraphs[4]} ${sentence(77)}`,
        ...paragraphs.slice(5),
      ],
    ],
    [
      "a sentence removed",
      [
        ...paragraphs.slice(0, 4),
        paragraphs[4]!.split(". ").slice(1).join(". "),
        ...paragraphs.slice(5),
      ],
    ],
    [
      "a sentence changed",
      [
        ...paragraphs.slice(0, 4),
        [sentence(78), ...paragraphs[4]!.split(". ").slice(1)].join(". "),
        ...paragraphs.slice(5),
      ],
    ],
    [
      "a paragraph moved",
      [paragraphs[3]!, ...paragraphs.slice(0, 3), ...paragraphs.slice(4)],
    ],
    ["a paragraph added", [...paragraphs, paragraph(79)]],
    ["a paragraph removed", paragraphs.slice(1)],
  ])("groups an edited copy: %s", (_, edited) => {
    const index = indexOf([
      statement("original", original),
      statement("edited", edited.join("\n\n")),
      statement("other", body(2, 8)),
    ]);
    expect(shape(index)).toEqual([["edited", "original"]]);
  });

  it("does not group statements on one subject with different wording", () => {
    const half = [...paragraphs.slice(0, 4), ...body(3, 4).split("\n\n")];
    const index = indexOf([
      statement("a", original),
      statement("b", half.join("\n\n")),
    ]);
    expect(index.similarity("a", "b")).toBeLessThan(0.5);
    expect(shape(index)).toEqual([]);
  });

  it("does not group readouts that share an opening, an attendee list and a closing", () => {
    const readouts = Array.from({ length: 12 }, (_, n) => readout(n));
    expect(shape(indexOf(readouts))).toEqual([]);
    // Without the boilerplate rule the shared text alone would group them all.
    expect(shape(indexOf(readouts, { boilerplate: 1000 }))).toHaveLength(1);
  });

  it("still groups two copies of a readout among readouts that share boilerplate", () => {
    const readouts = Array.from({ length: 12 }, (_, n) => readout(n));
    const copy = { ...readouts[4]!, id: "readout-4-copy" };
    const corrected = {
      ...readouts[5]!,
      id: "readout-5-corrected",
      body: readouts[5]!.body.replace(/\.\n\n/, `. ${sentence(901)}\n\n`),
    };
    const longer = readouts.map((r, n) =>
      // Long enough readouts have room for a corrected sentence without losing their identity.
      n === 5 ? { ...r, body: `${r.body}\n\n${body(500, 2)}` } : r,
    );
    corrected.body = `${corrected.body}\n\n${body(500, 2)}`;
    const index = indexOf([...longer, copy, corrected]);
    expect(shape(index)).toEqual([
      ["readout-4", "readout-4-copy"],
      ["readout-5", "readout-5-corrected"],
    ]);
  });

  it("never groups bodies too short to judge, even identical ones", () => {
    const index = indexOf([
      statement("a", "Please see the attached letter."),
      statement("b", "Please see the attached letter."),
    ]);
    expect(shape(index)).toEqual([]);
  });

  it("orders members earliest first, undated last, and names the group after the first", () => {
    const index = indexOf([
      statement("c", original, { date: "2024-05-02" }),
      statement("b", original),
      statement("a", original, { date: "2024-05-02T09:00:00Z" }),
      statement("d", original, { date: "2023" }),
    ]);
    const group = index.groupOf("b")!;
    expect(group.members.map((m) => m.id)).toEqual(["d", "c", "a", "b"]);
    expect(group.id).toBe("d");
    index.remove("d");
    expect(index.groupOf("b")!.id).toBe("c");
  });

  it("joins and leaves groups as statements are added and removed", () => {
    const index = new VersionIndex();
    index.add(statement("a", original));
    expect(index.groupOf("a")).toBeUndefined();
    index.add(statement("b", `${original}\n\n${sentence(5)}`));
    expect(index.groupOf("a")!.members.map((m) => m.id)).toEqual(["a", "b"]);
    index.remove("a");
    expect(index.groupOf("b")).toBeUndefined();
    expect(index.groups()).toEqual([]);
  });

  it("splits a group when the member that bridged it leaves", () => {
    // b differs from a in one paragraph, c from b in another: a and c are too far apart.
    const p = body(9, 10).split("\n\n");
    const a = statement("a", p.join("\n\n"));
    const b = statement("b", [paragraph(90), ...p.slice(1)].join("\n\n"));
    const c = statement(
      "c",
      [paragraph(90), paragraph(91), ...p.slice(2)].join("\n\n"),
    );
    const index = indexOf([a, b, c]);
    expect(index.similarity("a", "c")).toBeLessThan(0.75);
    expect(shape(index)).toEqual([["a", "b", "c"]]);
    index.remove("b");
    expect(shape(index)).toEqual([]);
    index.add(b);
    expect(shape(index)).toEqual([["a", "b", "c"]]);
  });

  it("restores a saved grouping that then changes like the original", () => {
    const readouts = Array.from({ length: 10 }, (_, n) => readout(n));
    const all = [
      ...readouts,
      statement("a", original, { date: "2024-01-02", source: "A" }),
      statement("b", original),
      statement("c", `${original}\n\n${sentence(5)}`),
    ];
    const index = indexOf(all);
    const restored = VersionIndex.restore(index.save());
    expect(shape(restored)).toEqual([["a", "b", "c"]]);
    expect(restored.groupOf("b")).toEqual(index.groupOf("b"));
    restored.remove("readout-3");
    restored.add(statement("d", original));
    expect(shape(restored)).toEqual(
      shape(
        indexOf([
          ...all.filter((s) => s.id !== "readout-3"),
          statement("d", original),
        ]),
      ),
    );
  });

  it("restores what a save worked out as working it out again would, holes and all", () => {
    const readouts = Array.from({ length: 10 }, (_, n) => readout(n));
    const index = indexOf([
      ...readouts,
      statement("a", original),
      statement("gone", `${original}\n\n${sentence(7)}`),
      statement("b", original),
      statement("c", `${original}\n\n${sentence(5)}`),
    ]);
    // Removed bodies leave free slots: a save numbers the bodies left afresh.
    index.remove("readout-2");
    index.remove("gone");
    // A small archive's save leaves the counts out; this test has them kept.
    expect(index.save().derived!.buckets).toBeUndefined();
    const withCounts = (of: VersionIndex) => {
      const was = versionLimits.saveBucketsFrom;
      versionLimits.saveBucketsFrom = 0;
      try {
        return of.save();
      } finally {
        versionLimits.saveBucketsFrom = was;
      }
    };
    const saved = withCounts(index);
    expect(saved.derived!.links.length).toBeGreaterThan(0);
    const { derived: _, ...older } = saved;
    const taken = VersionIndex.restore(saved);
    const worked = VersionIndex.restore(older);
    // A save from before the bucket counts were kept counts them again, to the same counts.
    const { buckets, ...uncounted } = saved.derived!;
    expect(buckets!.some((n) => n > 0)).toBe(true);
    const counted = VersionIndex.restore({ ...saved, derived: uncounted });
    // Two million counts: compared here, as Vitest's deep equality takes seconds over them.
    const differ = (other: Uint16Array | undefined) =>
      other?.length === buckets!.length
        ? buckets!.filter((n, i) => n !== other[i]).length
        : -1;
    expect(differ(withCounts(counted).derived!.buckets)).toBe(0);
    expect(differ(withCounts(worked).derived!.buckets)).toBe(0);
    // A derived part that does not fit is worked out again.
    const misfit = VersionIndex.restore({
      ...saved,
      derived: { ...saved.derived!, bands: new Uint32Array(3) },
    });
    for (const restored of [taken, misfit, counted]) {
      expect(shape(restored)).toEqual(shape(worked));
      expect(restored.stats()).toEqual(worked.stats());
      expect(restored.similarity("a", "c")).toBe(worked.similarity("a", "c"));
    }
    expect(shape(taken)).toEqual(shape(index));
    for (const restored of [taken, worked, counted]) {
      restored.remove("b");
      restored.add(statement("d", `${original}\n\n${sentence(5)}`));
    }
    expect(shape(taken)).toEqual(shape(worked));
    expect(shape(counted)).toEqual(shape(worked));
  });

  it("refuses a saved grouping whose arrays do not fit together", () => {
    const saved = indexOf([statement("a", original)]).save();
    expect(() =>
      VersionIndex.restore({ ...saved, offsets: new Uint32Array([0]) }),
    ).toThrow(/versions: saved grouping does not fit together/);
  });

  it("gives the same groups for a large batch as statement by statement", () => {
    const make = (n: number): Statement =>
      n % 3 === 0
        ? statement(
            `copy-${n}`,
            n % 2 ? original : `${original}\n\n${sentence(n)}`,
          )
        : n % 3 === 1
          ? readout(n)
          : statement(`other-${n}`, body(n, 3));
    // 600 and then 821 changes: past the 512 under which a batch goes statement by statement.
    const first = Array.from({ length: 600 }, (_, n) => make(n));
    const batch = new VersionIndex();
    batch.update([], first);
    const single = new VersionIndex();
    for (const s of first) single.add(s);
    expect(shape(batch)).toEqual(shape(single));
    expect(batch.stats()).toEqual(single.stats());
    // A batch on a built index: half leaves, new statements come, one is replaced.
    const gone = first.filter((_, n) => n % 2 === 0).map((s) => s.id);
    const come = [
      ...Array.from({ length: 520 }, (_, n) => make(1000 + n)),
      statement("copy-3", body(7, 8)),
    ];
    batch.update(gone, come);
    for (const id of gone) single.remove(id);
    for (const s of come) single.add(s);
    expect(shape(batch)).toEqual(shape(single));
    expect(batch.stats()).toEqual(single.stats());
    expect(batch.size).toBe(600 - 300 + 520);
  });

  it("builds 200,000 statements at once: no change list is spread as arguments", () => {
    // Short bodies (under minWords) keep it quick: only the staging is under test. A list
    // of 200,000 spread into push() overflowed the call stack (RangeError) in a build.
    const many = Array.from({ length: 200_000 }, (_, n) =>
      statement(`s${n}`, `short ${n}`),
    );
    const index = new VersionIndex();
    index.addAll(many);
    expect(index.size).toBe(200_000);
    expect(shape(index)).toEqual([]);
  });

  it("groups changes staged in many batches as one update, few or many", () => {
    const make = (n: number): Statement =>
      n % 4 === 0
        ? statement(`copy-${n}`, `${original}\n\n${sentence(n % 7)}`)
        : n % 4 === 1
          ? readout(n)
          : statement(`other-${n}`, body(n, 3));
    const all = Array.from({ length: 700 }, (_, n) => make(n));
    for (const batches of [
      // 700 in batches of 100: the first five are kept, the sixth places everything.
      [0, 100, 200, 300, 400, 500, 600, 700],
      // 30 in three: grouped one by one when settled.
      [0, 10, 20, 30],
    ]) {
      const staged = new VersionIndex();
      const taken = all.slice(0, batches.at(-1));
      for (let b = 1; b < batches.length; b++)
        staged.stage([], taken.slice(batches[b - 1], batches[b]));
      // One statement gone, as an import removes those of a file no longer there.
      staged.stage([taken[1]!.id], []);
      staged.settle();
      const built = new VersionIndex();
      built.addAll(taken.filter((_, n) => n !== 1));
      expect(shape(staged)).toEqual(shape(built));
      expect(staged.stats()).toEqual(built.stats());
      expect(staged.size).toBe(taken.length - 1);
      expect(shape(staged).length).toBeGreaterThan(0);
    }
  });

  it("replaces a statement added again under the same id", () => {
    const index = indexOf([statement("a", original), statement("b", original)]);
    index.add(statement("b", body(4, 8)));
    expect(shape(index)).toEqual([]);
    expect(index.size).toBe(2);
  });

  it("ends in the same groups whether built at once or changed one statement at a time", () => {
    // A pool where boilerplate counts cross the threshold as statements come and go.
    const readouts = Array.from({ length: 12 }, (_, n) => readout(n));
    const p = body(9, 10).split("\n\n");
    const pool: Statement[] = [
      ...readouts,
      { ...readouts[2]!, id: "readout-2-copy" },
      statement("a", p.join("\n\n")),
      statement("b", [paragraph(90), ...p.slice(1)].join("\n\n")),
      statement(
        "c",
        [paragraph(90), paragraph(91), ...p.slice(2)].join("\n\n"),
      ),
      statement("d", original),
      statement("e", `${original}\n\n${sentence(6)}`),
      statement("f", original, { date: "2020-01-01" }),
    ];
    // Three adds to a removal, so that the readouts' boilerplate often crosses the threshold.
    const op = fc.record({
      add: fc.nat({ max: 3 }).map((n) => n > 0),
      at: fc.nat({ max: pool.length - 1 }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const live = new VersionIndex();
        const present = new Map<string, Statement>();
        for (const { add, at } of ops) {
          const s = pool[at]!;
          if (add) {
            live.add(s);
            present.set(s.id, s);
          } else {
            live.remove(s.id);
            present.delete(s.id);
          }
        }
        const fresh = indexOf([...present.values()]);
        expect(shape(live)).toEqual(shape(fresh));
        expect(live.stats()).toEqual(fresh.stats());
      }),
      { numRuns: 60 },
    );
  });
});

it("keeps groups right while boilerplate crosses the threshold in both directions", () => {
  const readouts = Array.from({ length: 10 }, (_, n) => readout(n));
  const live = new VersionIndex();
  const present: Statement[] = [];
  const check = () => expect(shape(live)).toEqual(shape(indexOf(present)));
  for (const r of readouts) {
    live.add(r);
    present.push(r);
    check();
  }
  expect(shape(live)).toEqual([]);
  while (present.length > 0) {
    live.remove(present.pop()!.id);
    check();
  }
});

describe("echoes", () => {
  it("lists the sources in the order they published, and the first", () => {
    const index = indexOf([
      statement("x", original, { source: "Ministry B", date: "2024-05-03" }),
      statement("y", original, { source: "Ministry A", date: "2024-05-02" }),
      statement("z", original, { source: "Ministry B", date: "2024-05-04" }),
    ]);
    const e = echoes(index.groupOf("x")!);
    expect(e.sources.map((s) => [s.source, s.first.id, s.count])).toEqual([
      ["Ministry A", "y", 1],
      ["Ministry B", "x", 2],
    ]);
    expect(e.first).toEqual(["Ministry A"]);
  });

  it("names every source whose date cannot be told from the first one's", () => {
    const index = indexOf([
      statement("x", original, { source: "B", date: "2024-05-02" }),
      statement("y", original, { source: "A", date: "2024-05-02T08:00:00Z" }),
      statement("z", original, { source: "C", date: "2024-05-03" }),
      statement("w", original, { source: "D" }),
    ]);
    expect(echoes(index.groupOf("x")!).first.sort()).toEqual(["A", "B"]);
  });
});
