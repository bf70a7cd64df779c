import express from "express";
import type { Archive } from "../archive.ts";
import { csvCell } from "../out/export.ts";
import {
  firstValue,
  parseQuery,
  paramsOf,
  searchEntries,
  withText,
  type SearchQuery,
} from "../query/params.ts";
import type { Admit } from "./admission.ts";
import { strictRouter } from "./canonical.ts";
import { whenGone } from "./gone.ts";
import { filterChips } from "./search-model.ts";
import { SearchTimeout } from "../runtime/deadline.ts";
import { absoluteUrl, urls } from "./urls.ts";

export const batchLimits = {
  /** Lines searched per request; the rest are listed as not searched. */
  lines: 500,
  /** Time a batch may take before the remaining lines are left for another request. */
  seconds: 20,
};

interface BatchRow {
  line: string;
  description: string;
  /** Null when the line needed more work than one search may use, and was not counted. */
  hits: number | null;
  href: string;
}

/**
 * Batch search: paste names or queries, one per line, and get how many statements each
 * finds under the same filters, each linking to its search. A POST, because 500 lines do not
 * fit in a URL; the filters come from the URL or the form.
 */
export function batchRoutes(archive: Archive, admit: Admit) {
  const router = strictRouter();
  const form = express.urlencoded({ extended: false, limit: "512kb" });

  router.get("/batch", (req, res) => {
    res.render("batch", {
      title: "Batch search",
      ...model(archive, req.query, ""),
      rows: undefined,
    });
  });

  router.post(
    ["/batch", "/batch.csv"],
    form,
    admit.search,
    async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const text = firstValue(body.lines);
      const batch = model(archive, body, text);
      const { rows, notes } = await runBatch(
        archive,
        batch.base,
        text,
        whenGone(res),
      );
      if (req.path.endsWith(".csv")) {
        res.attachment(
          `readout-batch-${new Date().toISOString().slice(0, 10)}.csv`,
        );
        res.type("text/csv; charset=utf-8");
        const lines = rows.map((r) =>
          [r.line, r.hits ?? "", absoluteUrl(req, r.href)]
            .map(csvCell)
            .join(","),
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
    },
  );

  return router;
}

/** The batch form's state: the pasted lines and the filters every line is searched under. */
function model(
  archive: Archive,
  params: Record<string, unknown>,
  text: string,
) {
  const base = parseQuery({ ...params, q: "" }, archive.fields());
  const { filters, years, from, to, mode } = base;
  return {
    text,
    base,
    chips: [
      ...filterChips(base).map((chip) => chip.label),
      ...(mode === "any" ? ["Any word"] : []),
    ],
    // The filters travel with the form as hidden fields, as a URL would carry them.
    hidden: searchEntries({ filters, years, from, to, mode }),
    notes: base.notes,
    maxLines: batchLimits.lines,
  };
}

/**
 * Counts each line's matches, one line at a time, giving other requests a turn between
 * lines; stops (rejecting) when `signal` aborts because the client went away.
 */
async function runBatch(
  archive: Archive,
  base: SearchQuery,
  text: string,
  signal: AbortSignal,
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
  const fields = archive.fields();
  for (const line of lines.slice(0, batchLimits.lines)) {
    if (performance.now() > deadline) {
      notes.push(
        `The batch took longer than ${batchLimits.seconds} s; ${lines.length - rows.length} lines were not searched. Search them in a second batch.`,
      );
      break;
    }
    await new Promise((resolve) => setImmediate(resolve));
    signal.throwIfAborted();
    const query = withText(base, line, fields);
    rows.push({
      line,
      description: query.description,
      hits: await archive.count(query, signal).catch((err: unknown) => {
        if (err instanceof SearchTimeout) return null;
        throw err;
      }),
      href: urls.search({ ...paramsOf(query), page: 1 }),
    });
  }
  const heavy = rows.filter((r) => r.hits === null).length;
  if (heavy)
    notes.push(
      `${heavy} ${heavy === 1 ? "line needed" : "lines needed"} more work than one search may use and ${heavy === 1 ? "was" : "were"} not counted; make ${heavy === 1 ? "it" : "them"} narrower (fewer words, * or ~).`,
    );
  return { rows, notes };
}
