import type { Original, StatementView } from "../archive.ts";
import { cite } from "../out/cite.ts";
import { risRecord } from "../out/ris.ts";
import type { Html } from "../search/highlight.ts";
import { paramsOf, type SearchQuery } from "../query/params.ts";
import { formatDate } from "../text/dates.ts";
import { externalHref, urls } from "./urls.ts";

/**
 * What statement.ejs and /statements/<id>.json print: the statement (its fields at the top
 * level, as the JSON twin always had them), its marked title and paragraphs, the match the
 * visitor is on (`m`) with links to the others, its citation and related statements.
 */
export function statementModel(
  view: StatementView,
  query: SearchQuery,
  m: number,
  /** Its address for others (`--public-url`), or undefined when it has none. */
  permalink: string | undefined,
  today: string,
  original?: Original,
) {
  const { statement, matches, part, parts } = view;
  const params = paramsOf(query);
  // The match the visitor is on; 0 when the query marks nothing here.
  const current = Math.min(Math.max(1, m), matches);
  const matchHref = (n: number) =>
    urls.statement(statement.id, { ...params, part, m: n });
  const partHref = (n: number) =>
    urls.statement(statement.id, { ...params, part: n });
  return {
    ...statement,
    href: urls.statement(statement.id),
    ...(permalink ? { permalink } : {}),
    ...(statement.date ? { dateLabel: formatDate(statement.date) } : {}),
    citation: {
      ...cite(statement, permalink, today),
      ris: risRecord(statement, permalink, today),
    },
    related: view.related.map((r) => ({
      ...r,
      ...(r.date ? { dateLabel: formatDate(r.date) } : {}),
      href: urls.statement(r.id),
    })),
    /** The ids of its other versions, earliest first. */
    versions: view.versions.map((v) => v.id),
    /** The texts its file has had, oldest first, each with what changed in it next. */
    history: (view.history ?? []).map((h, i, all) => ({
      ...h,
      ...(h.seenAt ? { seenLabel: formatDate(h.seenAt.slice(0, 10)) } : {}),
      ...(i + 1 < all.length
        ? { changeHref: urls.change(statement.id, i + 1) }
        : {}),
    })),
    otherVersions: view.versions.map((v) => ({
      ...v,
      ...(v.date ? { dateLabel: formatDate(v.date) } : {}),
      href: urls.statement(v.id),
      /** What changed from that version to this one. */
      diffHref: urls.diff(v.id, statement.id),
    })),
    ...(view.echoes
      ? {
          echoes: {
            ...view.echoes,
            sources: view.echoes.sources.map((s) => ({
              ...s,
              ...(s.date ? { dateLabel: formatDate(s.date) } : {}),
            })),
          },
        }
      : {}),
    titleHtml: markCurrent(view.titleHtml, current),
    paragraphs: view.paragraphs.map((p) => markCurrent(p, current)),
    matches,
    current,
    part,
    parts,
    ...(view.pages ? { pages: view.pages } : {}),
    ...(original
      ? {
          file: {
            name: original.path.split("/").at(-1)!,
            type: original.headers["Content-Type"]!.split(";")[0]!,
            size: original.size,
          },
        }
      : {}),
    links: {
      json: urls.statement(statement.id, {}, "json"),
      ...(query.q ? { back: urls.search(params) } : {}),
      ...(matches > 0 ? { first: matchHref(current) } : {}),
      ...(current > 1 ? { prev: matchHref(current - 1) } : {}),
      ...(current < matches ? { next: matchHref(current + 1) } : {}),
      ...(part > 1 ? { prevPart: partHref(part - 1) } : {}),
      ...(part < parts ? { nextPart: partHref(part + 1) } : {}),
      ...(externalHref(statement.url)
        ? { original: externalHref(statement.url) }
        : {}),
      ...(original ? { file: urls.original(statement.id) } : {}),
    },
  };
}

export type StatementModel = ReturnType<typeof statementModel>;

// The mark the visitor navigated to gets a class, so it stands out from the others.
function markCurrent(html: Html, current: number): Html {
  return html.replace(
    `<mark id="m${current}">`,
    `<mark id="m${current}" class="current">`,
  ) as Html;
}
