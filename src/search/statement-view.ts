import type { SearchQuery } from "../query/params.ts";
import { pageAt } from "../ingest/statement.ts";
import type { Member, Store } from "../engines/store.ts";
import { bodyParts } from "../text/parts.ts";
import { echoes } from "../versions/echoes.ts";
import type { Steps } from "../runtime/deadline.ts";
import { escapeHtml, highlight, type MarkCounter } from "./highlight.ts";
import { otherVersions } from "./hits.ts";
import { specMarker } from "./marker.ts";
import type { StatementView } from "./pages.ts";
import { prepare } from "./plan.ts";
import { relatedSteps } from "./related.ts";

/**
 * A statement with the query's matches marked in part `part` of its body (1 when out of
 * range), numbered across title and body; its pages, related statements, other versions and
 * who published its text. Undefined when no statement has the id.
 */
export function* statementViewSteps(
  store: Store,
  id: string,
  query: SearchQuery,
  part = 1,
): Steps<StatementView | undefined> {
  const [statement] = yield* store.statements([id]);
  if (!statement) return undefined;
  const spec = query.parsed.root
    ? (yield* prepare(store, query)).spec
    : undefined;
  const counter: MarkCounter = { count: 0 };
  const mark = (text: string, field: "title" | "body") =>
    spec ? highlight(text, specMarker(spec, field), counter) : escapeHtml(text);
  const titleHtml = mark(statement.title, "title");
  const parts = bodyParts(statement.body);
  const shown = part >= 1 && part <= parts.length ? Math.floor(part) : 1;
  const paragraphs = parts[shown - 1]!.map((p) => mark(p, "body"));
  const pages =
    statement.pages && pagesOf(statement.body, parts, shown, statement.pages);
  yield;
  const related = yield* relatedSteps(store, id);
  const members = (yield* store.versions([id])).get(id);
  const kept = store.history(id);
  return {
    statement,
    titleHtml,
    paragraphs,
    matches: counter.count,
    part: shown,
    parts: parts.length,
    ...(pages ? { pages } : {}),
    related,
    versions: otherVersions(members, id),
    ...echoesOf(members),
    ...(kept.length
      ? { history: kept.map(({ seenAt, title }) => ({ seenAt, title })) }
      : {}),
  };
}

// The page each paragraph of the part shown begins on: where the paragraph stands in the body.
function pagesOf(
  body: string,
  parts: string[][],
  shown: number,
  pages: number[],
): number[] {
  let at = 0;
  for (const part of parts.slice(0, shown - 1))
    for (const piece of part) at = body.indexOf(piece, at) + piece.length;
  return parts[shown - 1]!.map((piece) => {
    const start = body.indexOf(piece, at);
    at = start + piece.length;
    return pageAt(pages, start);
  });
}

// Who published the text, when more than one source did.
function echoesOf(
  members: Member[] | undefined,
): Pick<StatementView, "echoes"> {
  if (!members?.length) return {};
  const { sources, first } = echoes({ id: members[0]!.id, members });
  if (sources.length < 2) return {};
  return {
    echoes: {
      sources: sources.map(({ source, first: earliest, count }) => ({
        source,
        ...(earliest.date ? { date: earliest.date } : {}),
        count,
      })),
      first,
    },
  };
}
