import type { RelatedStatement, StatementView } from "../../archive.ts";
import {
  escapeHtml,
  highlight,
  type MarkCounter,
} from "../../search/highlight.ts";
import type { SearchQuery } from "../../query/params.ts";
import { bodyParts } from "../../text/parts.ts";
import { pageAt } from "../../ingest/statement.ts";
import { specMarker } from "../../search/marker.ts";
import type { Corpus } from "./corpus.ts";
import { matchSpec } from "./evaluate.ts";
import { relatedSteps } from "./related.ts";
import { otherVersions } from "./grouping.ts";
import { echoes } from "../../versions/echoes.ts";
import type { Steps } from "../../search/deadline.ts";

/**
 * A statement with the query's matches marked, numbered across title and body, and its
 * related statements; yields between units of work (see `Steps`).
 */
export function* statementViewSteps(
  corpus: Corpus,
  id: string,
  query: SearchQuery,
  part = 1,
): Steps<StatementView | undefined> {
  const doc = corpus.index.shortId(id);
  const statement = doc === undefined ? undefined : corpus.statements[doc];
  if (doc === undefined || !statement) return undefined;
  const { root } = query.parsed;
  const spec = root ? matchSpec(corpus, root) : undefined;
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
  const similar = yield* relatedSteps(corpus, doc);
  return {
    statement,
    titleHtml,
    paragraphs,
    matches: counter.count,
    part: shown,
    parts: parts.length,
    ...(pages ? { pages } : {}),
    related: similar.map(({ doc: other }) => relatedOf(corpus, other)),
    versions: otherVersions(corpus, id),
    ...echoesOf(corpus, id),
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
function echoesOf(corpus: Corpus, id: string): Pick<StatementView, "echoes"> {
  const group = corpus.versions.groupOf(id);
  if (!group) return {};
  const { sources, first } = echoes(group);
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

function relatedOf(corpus: Corpus, doc: number): RelatedStatement {
  const { id, title, date, source } = corpus.statements[doc]!;
  return {
    id,
    title,
    ...(date ? { date } : {}),
    ...(source ? { source } : {}),
  };
}
