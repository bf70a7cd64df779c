import { tokenize } from "./terms.ts";

// Title words too common to make a telling example.
const DULL = new Set(
  "about after against also among before between during from have into more over said says that their there these they this those through under what when where which while with would statement statements press release readout remarks".split(
    " ",
  ),
);

/**
 * A few queries that find something in this archive, for the home page: the capitalized
 * title words (mostly names and places) that recur most, and the most frequent pair of them.
 * Reads at most `sample` titles, spread evenly, so a large archive costs no more.
 */
export function exampleQueries(
  titles: readonly string[],
  count = 5,
  sample = 5000,
): string[] {
  const words = new Map<string, { text: string; n: number }>();
  const pairs = new Map<string, { text: string; n: number }>();
  const step = Math.max(1, Math.floor(titles.length / sample));
  const bump = (map: typeof words, key: string, text: string) => {
    const entry = map.get(key);
    if (entry) entry.n += 1;
    else map.set(key, { text, n: 1 });
  };
  for (let i = 0; i < titles.length; i += step) {
    const title = titles[i]!;
    let previous: { term: string; text: string } | undefined;
    for (const token of tokenize(title)) {
      const text = title.slice(token.start, token.end);
      const telling =
        /^\p{Lu}\p{Ll}/u.test(text) &&
        token.term.length >= 4 &&
        !DULL.has(token.term);
      if (!telling) {
        previous = undefined;
        continue;
      }
      bump(words, token.term, text);
      if (previous)
        bump(
          pairs,
          `${previous.term} ${token.term}`,
          `${previous.text} ${text}`,
        );
      previous = { term: token.term, text };
    }
  }
  const ranked = (map: typeof words) =>
    [...map].sort(([, a], [, b]) => b.n - a.n || b.text.length - a.text.length);
  const pair = ranked(pairs)[0];
  const inPair = new Set(pair ? pair[0].split(" ") : []);
  const singles = ranked(words)
    .filter(([key]) => !inPair.has(key))
    .map(([, e]) => e.text);
  return [
    ...singles.slice(0, pair ? count - 1 : count),
    ...(pair ? [pair[1].text] : []),
  ];
}
