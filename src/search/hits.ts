import type { Member, StatementRow } from "../engines/store.ts";
import { formatDate } from "../text/dates.ts";
import { highlight, snippet, type Html } from "./highlight.ts";
import { specIdMarker, specMarker, type MatchSpec } from "./marker.ts";
import type { Hit, VersionRef } from "./pages.ts";

/** Words of a snippet. */
const SNIPPET_WORDS = 32;

/** A result line for one statement, its title and best passage marked. */
export function hitOf(row: StatementRow, score: number, spec: MatchSpec): Hit {
  const { statement } = row;
  const hit: Hit = {
    id: statement.id,
    title: statement.title,
    titleHtml: highlight(statement.title, specMarker(spec, "title")),
    score: Math.round(score * 1000) / 1000,
    snippet: bodySnippet(row, spec),
  };
  if (statement.date)
    Object.assign(hit, {
      date: statement.date,
      dateLabel: formatDate(statement.date),
    });
  if (statement.source) hit.source = statement.source;
  if (statement.url) hit.url = statement.url;
  if (statement.lang) hit.lang = statement.lang;
  if (row.group) hit.group = row.group;
  return hit;
}

/** The best passage of the body: from the store's term ids when it has them, else by tokenizing. */
function bodySnippet(row: StatementRow, spec: MatchSpec): Html {
  const { body } = row.statement;
  if (!row.bodyIds || !row.termId)
    return snippet(body, specMarker(spec, "body"), SNIPPET_WORDS);
  return snippet(
    body,
    specIdMarker(spec, "body", row.termId),
    SNIPPET_WORDS,
    row.bodyIds,
  );
}

/** The other members of a group of versions, earliest first, as lists name them. */
export function otherVersions(
  members: readonly Member[] | undefined,
  id: string,
): VersionRef[] {
  return (members ?? []).flatMap((m) =>
    m.id === id
      ? []
      : [
          {
            id: m.id,
            title: m.title,
            ...(m.date ? { date: m.date } : {}),
            ...(m.source ? { source: m.source } : {}),
          },
        ],
  );
}
