import type { ComparePage } from "../archive.ts";
import { csvCell } from "../out/export.ts";
import {
  allValues,
  firstValue,
  withText,
  type SearchQuery,
} from "../query/params.ts";
import { MAX_COMPARED } from "../search/compare.ts";
import { chartLegend, chartTable, lineChart } from "./line-chart.ts";
import { hiddenFilters, matchNotes } from "./analysis-model.ts";
import { filterChips } from "./search-model.ts";
import { paramsOf, urls } from "./urls.ts";

/** What a compare request asks for: the queries, read with the request's filters, and how to show them. */
export interface CompareRequest {
  /** One per query text, each with the request's filters and dates. */
  queries: SearchQuery[];
  measure: "counts" | "share";
  unit?: "month" | "year";
  notes: string[];
}

// The chart's width in CSS pixels: the page's text column.
const CHART_WIDTH = 760;

/**
 * Reads `/compare`'s parameters: `q` repeated (empty and repeated texts left out, at most
 * `MAX_COMPARED`), `measure=share`, `unit=month|year`, and the search filters, which every
 * query shares. Never throws: what cannot be used is left out with a note.
 */
export function readCompare(
  base: SearchQuery,
  raw: Record<string, unknown>,
  fields: string[],
): CompareRequest {
  const notes = [...base.notes.filter((n) => !base.parsed.notes.includes(n))];
  const texts = [...new Set(allValues(raw.q).map((q) => q.trim()))].filter(
    Boolean,
  );
  if (texts.length > MAX_COMPARED)
    notes.push(
      `At most ${MAX_COMPARED} queries are compared; ${texts
        .slice(MAX_COMPARED)
        .map((q) => `“${q}”`)
        .join(", ")} left out.`,
    );
  const queries = texts
    .slice(0, MAX_COMPARED)
    .map((q) => withText(base, q, fields));
  for (const query of queries)
    for (const note of query.parsed.notes) notes.push(`“${query.q}”: ${note}`);
  const unit = firstValue(raw.unit);
  const measure = firstValue(raw.measure);
  if (unit && unit !== "month" && unit !== "year")
    notes.push(`"${unit}" is not a unit (month or year), so it was left out.`);
  if (measure && measure !== "counts" && measure !== "share")
    notes.push(
      `"${measure}" is not a measure (counts or share); showing counts.`,
    );
  return {
    queries,
    measure: measure === "share" ? "share" : "counts",
    ...(unit === "month" || unit === "year" ? { unit } : {}),
    notes,
  };
}

/** What compare.ejs and /compare.json print: the numbers, each point's link, and the other views' links. */
export function compareModel(page: ComparePage, request: CompareRequest) {
  const { queries, measure, unit } = request;
  const base = queries[0];
  const params = base ? paramsOf(base) : {};
  const texts = queries.map((q) => q.q);
  const series = page.series.map((s, i) => ({
    ...s,
    relaxed: page.relaxed[i] ?? false,
    hrefs: page.periods.map((p) =>
      urls.search({
        ...paramsOf(queries[i]!),
        page: 1,
        from: p.from,
        to: p.to,
      }),
    ),
  }));
  const format =
    measure === "share"
      ? (v: number) => `${(v * 100).toFixed(v > 0 && v < 0.001 ? 3 : 1)}%`
      : (v: number) => v.toLocaleString("en");
  const chart = {
    id: "compare-chart",
    title: `Matching statements per ${page.unit}${measure === "share" ? ", as a share of all statements of the period" : ""}`,
    description: series
      .map(
        (s) =>
          `${s.q}: ${s.sum.toLocaleString("en")} statements from ${page.periods[0]?.label ?? ""} to ${page.periods.at(-1)?.label ?? ""}`,
      )
      .join("; "),
    labels: page.periods.map((p) => p.label),
    series: series.map((s) => ({
      name: s.q,
      values: measure === "share" ? s.shares : s.counts,
      hrefs: s.hrefs,
    })),
    format,
    width: CHART_WIDTH,
    counts: measure === "counts",
  };
  const view = { measure, ...(unit ? { unit } : {}) };
  return {
    queries: texts,
    max: MAX_COMPARED,
    /** The filters in force besides the dates, for the form to keep. */
    hidden: hiddenFilters(params, "in the form"),
    measure,
    unit: page.unit,
    periods: page.periods,
    series,
    spread: page.spread,
    empty: page.empty,
    notes: [
      ...request.notes,
      ...series
        .filter((s) => s.relaxed)
        .map(
          (s) =>
            `No statement has every word of “${s.q}”, so statements with any of them are counted.`,
        ),
      ...matchNotes(false, page.unavailable, "counts"),
    ],
    chips: base ? filterChips(base) : [],
    html: page.empty
      ? undefined
      : {
          chart: lineChart(chart),
          legend: chartLegend(chart),
          table: chartTable(
            chart,
            measure === "share"
              ? "Share of all statements of each period"
              : "Matching statements per period",
            page.unit === "month" ? "Month" : "Year",
          ),
        },
    links: {
      counts: urls.compare(texts, params, { ...view, measure: "counts" }),
      share: urls.compare(texts, params, { ...view, measure: "share" }),
      month: urls.compare(texts, params, { measure, unit: "month" }),
      year: urls.compare(texts, params, { measure, unit: "year" }),
      json: urls.compare(texts, params, view, "json"),
      csv: urls.compare(texts, params, view, "csv"),
      searches: queries.map((q) => urls.search({ ...paramsOf(q), page: 1 })),
    },
  };
}

export type CompareModel = ReturnType<typeof compareModel>;

/** The comparison as CSV: a row per period, its total, then each query's count and share. */
export function compareCsv(model: CompareModel): string {
  const head = ["period", "from", "to", "all statements"];
  for (const s of model.series) head.push(`${s.q}`, `${s.q} (share)`);
  const lines = [head.map(csvCell).join(",")];
  model.periods.forEach((p, i) => {
    const row: (string | number)[] = [p.label, p.from, p.to, p.total];
    for (const s of model.series) {
      const share = s.shares[i];
      row.push(
        s.counts[i]!,
        share === null || share === undefined ? "" : share,
      );
    }
    lines.push(row.map(csvCell).join(","));
  });
  return "\ufeff" + lines.join("\r\n") + "\r\n";
}
