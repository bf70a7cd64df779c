import type { NamesPage } from "../archive.ts";
import { csvCell } from "../out/export.ts";
import { fieldLabel } from "../query/fields.ts";
import type { SearchQuery } from "../query/params.ts";
import { hiddenFilters, matchNotes } from "./analysis-model.ts";
import { filterChips } from "./search-model.ts";
import { paramsOf, urls, type SearchParams } from "./urls.ts";

/**
 * What names.ejs and /names.json print: each name field's most named values, each linking to
 * the search narrowed by it and to the names named together with it.
 */
export function namesModel(page: NamesPage, query: SearchQuery) {
  const params: SearchParams = { ...paramsOf(query), page: 1, size: undefined };
  const adding = (field: string, name: string): SearchParams => ({
    ...params,
    filters: {
      ...params.filters,
      [field]: [...(params.filters?.[field] ?? []), name],
    },
  });
  const chosen = page.chosen.map((c) => `${fieldLabel(c.field)}: ${c.name}`);
  return {
    q: query.q,
    matches: page.matches,
    indexed: page.indexed,
    chosen: page.chosen,
    fields: page.fields.map((f) => ({
      field: f.field,
      label: LABELS[f.field] ?? fieldLabel(f.field),
      more: f.more,
      names: f.names.map((n) => ({
        ...n,
        href: urls.search(adding(f.field, n.name)),
        together: urls.names(adding(f.field, n.name)),
      })),
    })),
    /** "Named together with Volodymyr Zelenskyy": what the lists are, in words. */
    heading: chosen.length
      ? `Named together with ${page.chosen.map((c) => c.name).join(" and ")}`
      : "",
    notes: [...query.notes, ...matchNotes(false, page.unavailable, "counts")],
    chips: filterChips(query),
    hidden: hiddenFilters(params, "keep"),
    links: {
      search: urls.search(params),
      json: urls.names(params, "json"),
      csv: urls.names(params, "csv"),
    },
  };
}

const LABELS: Record<string, string> = {
  person: "People",
  place: "Places",
  org: "Organisations",
};

/** The names as CSV: field, name, statements naming it among the matches. */
export function namesCsv(model: ReturnType<typeof namesModel>): string {
  const head = ["field", "name", `statements (of ${model.matches} matching)`];
  const rows = model.fields.flatMap((f) =>
    f.names.map((n) => [f.field, n.name, n.count].map(csvCell).join(",")),
  );
  return (
    "\ufeff" + [head.map(csvCell).join(","), ...rows].join("\r\n") + "\r\n"
  );
}
