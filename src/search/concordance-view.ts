/**
 * The concordance through the pipeline: the keyword-in-context lines of the best-ranked
 * matching statements, read as the statement page reads them (the title, then each part's
 * paragraphs, the title's marks counted first on every part's page), so that each line links
 * to its mark `#mN`. Bounded: at most `limits.statements` statements and `limits.lines` lines.
 */
import type { Store } from "../engines/store.ts";
import type { SearchQuery } from "../query/params.ts";
import type { Steps } from "../runtime/deadline.ts";
import { bodyParts } from "../text/parts.ts";
import { answerOf, type QueryCache } from "./answers.ts";
import {
  concordance,
  sortLines,
  type ConcordanceOrder,
} from "./concordance.ts";
import type { ConcordancePage, KwicLine } from "./pages.ts";
import { specMarker } from "./marker.ts";
import { COUNT_ONLY } from "./match.ts";
import { topStatements } from "./page.ts";

/** How much one request reads: about what a results page of long statements costs, times ten. */
export const CONCORDANCE_LIMITS = { statements: 200, lines: 2000 };

/** Words of context either side of a match. */
const CONTEXT = 8;

/**
 * The concordance of a query: lines from its matching statements in the query's order (each
 * group of versions once, as the results page lists them), each statement's lines in text
 * order, then sorted by `order` when given. A query without words has no lines.
 */
export function* concordanceSteps(
  store: Store,
  query: SearchQuery,
  order: ConcordanceOrder | undefined,
  cache?: QueryCache,
  limits = CONCORDANCE_LIMITS,
): Steps<ConcordancePage> {
  const { answer } = yield* answerOf(store, query, COUNT_ONLY, cache);
  const matches = answer.counts.total;
  const unavailable = new Set(answer.set?.unavailable ?? []);
  const page = (lines: KwicLine[], read: number, stopped: boolean) => ({
    matches,
    read,
    lines: order ? sortLines(lines, order) : lines,
    stopped,
    relaxed: answer.relaxed,
    unavailable: [...unavailable].sort(),
  });
  if (!answer.set || matches === 0 || !query.parsed.root)
    return page([], 0, false);
  const statements = yield* topStatements(
    store,
    answer,
    query,
    limits.statements,
    unavailable,
  );
  const spec = answer.prepared.spec;
  const [inTitle, inBody] = [
    specMarker(spec, "title"),
    specMarker(spec, "body"),
  ];
  const out: KwicLine[] = [];
  let read = 0;
  for (const s of statements) {
    if (out.length >= limits.lines) break;
    read++;
    const about = {
      id: s.id,
      title: s.title,
      ...(s.date ? { date: s.date } : {}),
      ...(s.source ? { source: s.source } : {}),
      ...(s.lang ? { lang: s.lang } : {}),
    };
    const title = concordance(s.title, inTitle, CONTEXT);
    for (const line of title)
      out.push({ ...line, ...about, part: 1, m: line.n });
    bodyParts(s.body).forEach((paragraphs, i) => {
      let m = title.length;
      for (const paragraph of paragraphs)
        for (const { n: _n, ...line } of concordance(
          paragraph,
          inBody,
          CONTEXT,
        ))
          out.push({ ...line, ...about, part: i + 1, m: ++m });
    });
    yield;
  }
  const stopped =
    out.length > limits.lines ||
    read < statements.length ||
    (statements.length >= limits.statements && matches > statements.length);
  return page(out.slice(0, limits.lines), read, stopped);
}
