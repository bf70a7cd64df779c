import { describe, expect, it, vi } from "vitest";
import { MemoryArchive } from "../src/archive.ts";
import { parseQuery } from "../src/query/params.ts";
import { searchCorpus as search } from "./helpers.ts";
import { expand, expansionShare } from "../src/search/expand.ts";
import { fixtureCorpus, storeOf } from "./helpers.ts";

describe("time limit", () => {
  it("stops a search that runs past its limit with a SearchTimeout", async () => {
    const { withDeadline, SearchTimeout } =
      await import("../src/runtime/deadline.ts");
    const corpus = await fixtureCorpus();
    const query = parseQuery({ q: "the OR zeugma OR harbour" });
    expect(() => withDeadline(-1, () => search(corpus, query))).toThrow(
      SearchTimeout,
    );
    expect(withDeadline(10, () => search(corpus, query)).total).toBeGreaterThan(
      0,
    );
  });
});

describe("sliced searches", () => {
  it("give other work a turn between slices, and none when run at once", async () => {
    const { runNow, runSliced } = await import("../src/runtime/deadline.ts");
    function* busy(turns: number) {
      for (let i = 0; i < turns; i++) {
        const until = performance.now() + 0.2;
        while (performance.now() < until);
        yield;
      }
      return turns;
    }
    let ranBetween = false;
    setImmediate(() => (ranBetween = true));
    expect(runNow(busy(20))).toBe(20);
    expect(ranBetween).toBe(false);
    const sliced = runSliced(busy(50), { sliceMs: 1 });
    expect(ranBetween).toBe(false);
    expect(await sliced).toBe(50);
    expect(ranBetween).toBe(true);
  });

  it("stop a search that uses up its budget, and one whose client went away", async () => {
    const { runSliced, SearchTimeout } =
      await import("../src/runtime/deadline.ts");
    function* forever() {
      for (;;) yield;
    }
    await expect(
      runSliced(forever(), { seconds: 0.01, sliceMs: 2 }),
    ).rejects.toThrow(SearchTimeout);
    const gone = new AbortController();
    const running = runSliced(forever(), {
      seconds: 60,
      sliceMs: 1,
      signal: gone.signal,
    });
    gone.abort(new Error("client went away"));
    await expect(running).rejects.toThrow("client went away");
  });
});

/**
 * Runs `work` with a clock that moves 1 ms at every reading, so that work takes as long as it
 * reads the clock on any machine, and counts the event loop's turns meanwhile (a check phase
 * that ran an immediate of its own). `turn()` is the count so far.
 */
async function onTickingClock<T>(
  work: (turn: () => number) => Promise<T>,
): Promise<T> {
  // From the real time on: a clock never goes back.
  let now = performance.now();
  const clock = vi
    .spyOn(performance, "now")
    .mockImplementation(() => (now += 1));
  let turns = 0;
  let done = false;
  const tick = () => {
    turns++;
    if (!done) setImmediate(tick);
  };
  setImmediate(tick);
  try {
    return await work(() => turns);
  } finally {
    done = true;
    clock.mockRestore();
  }
}

/** `units` units of work, each logged by `name` in `ran` as it runs. */
function* logged(ran: string[], name: string, units: number) {
  for (let i = 0; i < units; i++) {
    ran.push(name);
    yield;
  }
}

/** The most items that came in one turn of the event loop, given the turn each came in. */
function mostInOneTurn(turnOfEach: number[]): number {
  const perTurn = new Map<number, number>();
  for (const t of turnOfEach) perTurn.set(t, (perTurn.get(t) ?? 0) + 1);
  return Math.max(0, ...perTurn.values());
}

describe("the event loop's turns", () => {
  it("come between computations run one after another, not only inside a long one", async () => {
    const { runSliced, SLICE_MS } = await import("../src/runtime/deadline.ts");
    // Each is far shorter than a slice; an export runs hundreds of them back to back.
    function* short() {
      yield;
      return 1;
    }
    const turnOfEach = await onTickingClock(async (turn) => {
      const turns: number[] = [];
      for (let i = 0; i < 200; i++) {
        await runSliced(short());
        turns.push(turn());
      }
      return turns;
    });
    // Each reads the clock at least once: no more than a slice of them without a turn.
    expect(mostInOneTurn(turnOfEach)).toBeLessThanOrEqual(SLICE_MS);
  });

  it("go first to the computation that has used the least time", async () => {
    const { runSliced, SLICE_MS } = await import("../src/runtime/deadline.ts");
    const ran: string[] = [];
    const work = (name: string, units: number) => logged(ran, name, units);
    const othersMeanwhile = await onTickingClock(async () => {
      // Five heavy searches well under way, then a statement page a few slices long.
      const heavy = Array.from({ length: 5 }, (_, i) =>
        runSliced(work(`heavy${i}`, 300)),
      );
      while (ran.length < 250) await new Promise((r) => setImmediate(r));
      const from = ran.length;
      await runSliced(work("light", 3 * SLICE_MS));
      const meanwhile = ran.slice(from).filter((n) => n !== "light").length;
      await Promise.all(heavy);
      return meanwhile;
    });
    // At most the rest of the slice under way when it came; in turn, it waited for them all.
    expect(othersMeanwhile).toBeLessThanOrEqual(SLICE_MS);
  });

  it("count the time of all of one request's computations together", async () => {
    const { runSliced, SLICE_MS } = await import("../src/runtime/deadline.ts");
    const ran: string[] = [];
    const work = (name: string, units: number) => logged(ran, name, units);
    const othersMeanwhile = await onTickingClock(async () => {
      // An export: short computations one after another, all for one request (its signal).
      const { signal } = new AbortController();
      let exporting = true;
      const rows = (async () => {
        while (exporting) await runSliced(work("export", 3), { signal });
      })();
      while (ran.length < 200) await new Promise((r) => setImmediate(r));
      const from = ran.length;
      await runSliced(work("light", 3 * SLICE_MS));
      const meanwhile = ran.slice(from).filter((n) => n !== "light").length;
      exporting = false;
      await rows;
      return meanwhile;
    });
    expect(othersMeanwhile).toBeLessThanOrEqual(SLICE_MS);
  });

  it("come while an export's rows are made, however many match", async () => {
    const { SLICE_MS } = await import("../src/runtime/deadline.ts");
    const archive = MemoryArchive.fromStatements(
      Array.from({ length: 250 }, (_, i) => ({
        id: `s${i}`,
        title: `Harvest report ${i}`,
        body: `The grain harvest of district ${i} was brought in before the rains.`,
        meta: {},
        origin: { file: `s${i}.txt` },
      })),
    );
    const query = parseQuery({ q: "grain" }, archive.fields());
    const { rows, turns } = await onTickingClock(async (turn) => {
      const { hits } = await archive.stream(query);
      const first = turn();
      let rows = 0;
      // As an export consumes them when its client reads as fast as it writes.
      for await (const _hit of hits) rows++;
      return { rows, turns: turn() - first };
    });
    expect(rows).toBe(250);
    // Each row's snippet reads the clock at least once: a turn at least every slice of rows.
    expect(turns).toBeGreaterThanOrEqual(rows / SLICE_MS);
  });
});

/** How many times a computation gives way (yields) before it ends, run to the end. */
function unitsOf(steps: Generator<unknown>): number {
  let units = 0;
  for (let next = steps.next(); !next.done; next = steps.next()) units++;
  return units;
}

describe("a computation over many words", () => {
  it("gives way at each word a query expands and each word a statement counts", async () => {
    const { buildCorpus } = await import("../src/engines/memory/corpus.ts");
    const { prepare } = await import("../src/search/plan.ts");
    const { relatedSteps } = await import("../src/search/related.ts");
    const letter = (n: number) => String.fromCharCode(97 + (n % 26));
    const words = Array.from(
      { length: 300 },
      (_, i) => `word${letter(i)}${letter(Math.floor(i / 26))}`,
    );
    const statement = (id: string, body: string) => ({
      id,
      title: id,
      body,
      meta: {},
      origin: { file: `${id}.txt` },
    });
    const corpus = buildCorpus([
      statement("long", words.join(" ")),
      statement("short", words.slice(0, 10).join(" ")),
    ]);
    const store = storeOf(corpus);
    // Before, each was one unit, however many words: a `~` word's near spellings alone
    // take tens of milliseconds on a real archive, and a long statement has thousands.
    const fuzzy = words.slice(0, 12).map((w) => `${w}~1`);
    const query = parseQuery({ q: fuzzy.join(" ") }, corpus.fields.keys());
    expect(unitsOf(prepare(store, query))).toBeGreaterThanOrEqual(12);
    expect(unitsOf(relatedSteps(store, "long"))).toBeGreaterThanOrEqual(300);
  });
});

describe("the * and ~ words of one query", () => {
  it("share the query's expansions, and say so", () => {
    // Twelve prefixes: 256 shared expansions give each 21.
    const words = Array.from({ length: 12 }, (_, i) => `w${i}*`).join(" ");
    expect(expansionShare(parseQuery({ q: words }).parsed.root)).toBe(21);
    expect(expansionShare(parseQuery({ q: "a* bc~ de" }).parsed.root)).toBe(64);
    const many = Array.from({ length: 64 }, (_, i) => `x${i}*`).join(" ");
    expect(expansionShare(parseQuery({ q: many }).parsed.root)).toBe(4);
  });

  it("keep the most frequent words of a share, noting the share", () => {
    const words: [string, number][] = Array.from({ length: 10 }, (_, i) => [
      `ab${i}`,
      i,
    ]);
    const vocabulary = {
      frequency: () => 0,
      withPrefix: () => words,
      near: () => [],
    };
    const node = parseQuery({ q: "ab*" }).parsed.root;
    if (node?.type !== "term") throw new Error("expected one word");
    const notes: string[] = [];
    expect(expand(vocabulary, node, notes, 4).map((v) => v.term)).toEqual([
      "ab",
      "ab9",
      "ab8",
      "ab7",
      "ab6",
    ]);
    expect(notes).toEqual([
      "“ab*” matches 10 words; the 4 most frequent were searched (this query's * and ~ words share 256).",
    ]);
  });
});
