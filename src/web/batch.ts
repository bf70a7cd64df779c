import express, { Router, type Request } from "express";
import type { Corpus } from "../engines/memory/corpus.ts";
import { csvCell } from "../export.ts";
import { firstValue, parseQuery } from "../query/params.ts";
import { find } from "../engines/memory/find.ts";
import { fieldLabel } from "./search-model.ts";
import { absoluteUrl, paramsOf, urls } from "./urls.ts";

export const batchLimits = {
  /** Lines searched per request; the rest are listed as not searched. */
  lines: 500,
  /** Time a batch may take before the remaining lines are left for another request. */
  seconds: 20,
};

interface BatchRow {
  line: string;
  description: string;
  hits: number;
  href: string;
}

/**
 * Batch search: paste names or queries, one per line, and get how many statements each
 * finds under the same filters, each linking to its search. A POST, because 500 lines do not
 * fit in a URL; the filters come from the URL or the form.
 */
export function batchRoutes(corpus: Corpus): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: "512kb" });

  router.get("/batch", (req, res) => {
    res.render("batch", {
      title: "Batch search",
      ...model(corpus, req.query, ""),
      rows: undefined,
    });
  });

  router.post(["/batch", "/batch.csv"], form, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const text = firstValue(body.lines);
    const batch = model(corpus, body, text);
    const { rows, notes } = runBatch(corpus, batch.filterParams, text);
    if (req.path.endsWith(".csv")) {
      res.attachment(
        `readout-batch-${new Date().toISOString().slice(0, 10)}.csv`,
      );
      res.type("text/csv; charset=utf-8");
      const lines = rows.map((r) =>
        [r.line, r.hits, absoluteUrl(req, r.href)].map(csvCell).join(","),
      );
      return res.send(
        "\ufeff" + ["query,hits,url", ...lines].join("\r\n") + "\r\n",
      );
    }
    res.render("batch", {
      title: "Batch search",
      ...batch,
      rows,
      notes: [...batch.notes, ...notes],
    });
  });

  return router;
}

/** The batch form's state: the pasted lines and the filters, as the page shows them. */
function model(
  corpus: Corpus,
  params: Request["query"] | Record<string, unknown>,
  text: string,
) {
  const query = parseQuery({ ...params, q: "" }, corpus.fields.keys());
  const { filters, years, from, to, mode } = query;
  const filterParams = { ...filters, year: years, from, to, mode };
  const chips = [
    ...Object.entries(filters).flatMap(([field, values]) =>
      values.map((v) => `${fieldLabel(field)}: ${v}`),
    ),
    ...years.map((y) => `Year: ${y}`),
    ...(from ? [`From ${from}`] : []),
    ...(to ? [`To ${to}`] : []),
    ...(mode === "any" ? ["Any word"] : []),
  ];
  const hidden = [
    ...Object.entries(filters).flatMap(([field, values]) =>
      values.map((v) => [field, v]),
    ),
    ...years.map((y) => ["year", y]),
    ...(from ? [["from", from]] : []),
    ...(to ? [["to", to]] : []),
    ...(mode === "any" ? [["mode", "any"]] : []),
  ];
  return {
    text,
    chips,
    hidden,
    filterParams,
    notes: query.notes,
    maxLines: batchLimits.lines,
  };
}

function runBatch(
  corpus: Corpus,
  filterParams: Record<string, unknown>,
  text: string,
) {
  const notes: string[] = [];
  const lines = [
    ...new Set(
      text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean),
    ),
  ];
  if (lines.length > batchLimits.lines) {
    notes.push(
      `Only the first ${batchLimits.lines} lines were searched; ${lines.length - batchLimits.lines} were left out.`,
    );
  }
  const deadline = performance.now() + batchLimits.seconds * 1000;
  const rows: BatchRow[] = [];
  for (const line of lines.slice(0, batchLimits.lines)) {
    if (performance.now() > deadline) {
      notes.push(
        `The batch took longer than ${batchLimits.seconds} s; ${lines.length - rows.length} lines were not searched. Search them in a second batch.`,
      );
      break;
    }
    const query = parseQuery(
      { ...filterParams, q: line },
      corpus.fields.keys(),
    );
    const found = find(corpus, query);
    rows.push({
      line,
      description: query.description,
      hits: found.relaxed ? 0 : found.matches.ids.length,
      href: urls.search({ ...paramsOf(query), page: 1 }),
    });
  }
  return { rows, notes };
}
