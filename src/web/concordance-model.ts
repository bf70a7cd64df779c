import type {
  ConcordanceOrder,
  ConcordancePage,
  KwicLine,
} from "../archive.ts";
import { csvCell } from "../out/export.ts";
import { firstValue, type SearchQuery } from "../query/params.ts";
import { hiddenFilters, matchNotes } from "./analysis-model.ts";
import { filterChips } from "./search-model.ts";
import { paramsOf, urls } from "./urls.ts";

/** Lines on one page of a concordance. */
export const LINES_PER_PAGE = 50;

/** The orders a concordance's `order` parameter names, as the page offers them. */
export const ORDERS: Record<
  string,
  { label: string; order: ConcordanceOrder }
> = {
  left: { label: "Left context A–Z", order: { side: "left", by: "words" } },
  right: { label: "Right context A–Z", order: { side: "right", by: "words" } },
  "left-frequency": {
    label: "Commonest word before",
    order: { side: "left", by: "frequency" },
  },
  "right-frequency": {
    label: "Commonest word after",
    order: { side: "right", by: "frequency" },
  },
};

/** `order`: a key of `ORDERS`, or "" for the statements' rank order; a bad one is noted and left out. */
export function readOrder(raw: unknown, notes: string[]): string {
  const order = firstValue(raw);
  if (!order || order in ORDERS) return order;
  notes.push(
    `"${order}" is not an order (${Object.keys(ORDERS).join(", ")}); lines are in rank order.`,
  );
  return "";
}

/** What concordance.ejs and /concordance.json print: a page of lines, each linked to its mark. */
export function concordanceModel(
  page: ConcordancePage,
  query: SearchQuery,
  order: string,
  notes: string[],
) {
  const params = { ...paramsOf(query), size: undefined };
  const pageCount = Math.max(1, Math.ceil(page.lines.length / LINES_PER_PAGE));
  const at = Math.min(query.page, pageCount);
  const link = (line: KwicLine) => lineHref(line, query);
  return {
    q: query.q,
    description: query.description,
    order,
    orders: [
      { key: "", label: "Rank order" },
      ...Object.entries(ORDERS).map(([key, { label }]) => ({ key, label })),
    ].map((o) => ({
      ...o,
      href: urls.concordance({ ...params, page: 1 }, o.key),
      current: o.key === order,
    })),
    matches: page.matches,
    read: page.read,
    total: page.lines.length,
    stopped: page.stopped,
    page: at,
    pageCount,
    first: (at - 1) * LINES_PER_PAGE + 1,
    lines: page.lines
      .slice((at - 1) * LINES_PER_PAGE, at * LINES_PER_PAGE)
      .map((line) => ({ ...line, href: link(line) })),
    notes: [
      ...notes,
      ...query.notes,
      ...matchNotes(page.relaxed, page.unavailable, "lines"),
    ],
    chips: filterChips(query),
    /** The filters in force, for the form to keep. */
    hidden: hiddenFilters(params, "keep"),
    links: {
      search: urls.search({ ...params, page: 1 }),
      json: urls.concordance({ ...params, page: at }, order, "json"),
      csv: urls.concordance(params, order, "csv"),
      ...(at > 1
        ? { previous: urls.concordance({ ...params, page: at - 1 }, order) }
        : {}),
      ...(at < pageCount
        ? { next: urls.concordance({ ...params, page: at + 1 }, order) }
        : {}),
    },
  };
}

/** Where a line's match is: its mark on its part's page of the statement, the query's words marked. */
export function lineHref(line: KwicLine, query: SearchQuery): string {
  return urls.statement(line.id, {
    ...paramsOf(query),
    page: undefined,
    size: undefined,
    sort: undefined,
    part: line.part,
    m: line.m,
  });
}

/** Every line of the concordance as CSV, in the order asked, with its statement and link. */
export function concordanceCsv(
  page: ConcordancePage,
  href: (line: KwicLine) => string,
): string {
  const head = ["left", "match", "right", "title", "date", "source", "link"];
  const rows = page.lines.map((l) =>
    [l.left, l.match, l.right, l.title, l.date ?? "", l.source ?? "", href(l)]
      .map(csvCell)
      .join(","),
  );
  return "\ufeff" + [head.join(","), ...rows].join("\r\n") + "\r\n";
}
