import type { MatchPlan, Order, Round } from "../engines/store.ts";
import type { Steps } from "../runtime/deadline.ts";
import { closeFirst, compareLines, type Line } from "./rank.ts";
import { ranking } from "./ranking.ts";

/**
 * An export's result lines in the order `rank` gives every match, from a store's stream of
 * rounds: each round is scored, and its lines held until no later round can come before
 * them (`Round.rest`), then given out in order. What is held is the lines near the front of
 * the stream, not the matches; in relevance order with word pairs, the first
 * `proximityWindow` are re-ranked as `rank` re-ranks them.
 */
export async function* streamLines(
  rounds: AsyncIterable<Round>,
  plan: MatchPlan,
  order: Order,
  pairs: readonly [string, string][],
  run: <T>(steps: Steps<T>) => Promise<T>,
  unavailable: Set<string>,
): AsyncGenerator<Line[]> {
  const compare = compareLines(order, (l) => l.score);
  // Lines that may come before a later round's, until its `rest` says otherwise.
  const before = (line: Line, rest: number) => {
    if (order === "relevance") return line.score > rest;
    const date = line.segment.dateKey(line.doc);
    if (order === "newest") return date > rest;
    return (date === -Infinity ? Infinity : date) < rest;
  };
  let window =
    order === "relevance" && pairs.length > 0 ? ranking.proximityWindow : 0;
  let held: Line[] = [];
  for await (const round of rounds) {
    for (const part of round.unavailable) unavailable.add(part);
    const { ids, scores } = await run(plan.score(round.segment));
    for (let i = 0; i < ids.length; i++)
      held.push({ segment: round.segment, doc: ids[i]!, score: scores[i]! });
    const rest = round.rest;
    let ready: Line[];
    if (rest === undefined) [ready, held] = [held, []];
    else {
      ready = held.filter((line) => before(line, rest));
      held = held.filter((line) => !before(line, rest));
    }
    // The re-ranked window waits until all of it is known.
    if (window > 0 && ready.length < window && rest !== undefined) {
      held.push(...ready);
      continue;
    }
    ready.sort(compare);
    if (window > 0) {
      ready = [
        ...closeFirst(ready.slice(0, window), pairs),
        ...ready.slice(window),
      ];
      window = 0;
    }
    if (ready.length) yield ready;
  }
}
