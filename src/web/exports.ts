import type { Request, Response } from "express";
import type { Archive, Hit } from "../archive.ts";
import {
  csvLine,
  EXPORT_COLUMNS,
  exportRow,
  plainText,
} from "../out/export.ts";
import type { ExportRow } from "../out/export.ts";
import { atomFeed } from "../out/feed.ts";
import { safeJsonValue } from "../out/safe.ts";
import { parseQuery, type SearchQuery } from "../query/params.ts";
import type { Admit } from "./admission.ts";
import { strictRouter } from "./canonical.ts";
import { absoluteUrl, externalHref, paramsOf, urls } from "./urls.ts";

/** Entries in a feed: a feed reader wants what is new, not the archive. */
const FEED_ENTRIES = 100;

/**
 * The whole result set of a search, streamed: `/search.csv`, `/search.jsonl`,
 * `/search.json?all=1`; and `/search.atom`, the newest matches as a feed. They take the same
 * parameters as `/search`. A HEAD request gets the headers and no rows. Each waits for a turn
 * in the exports' own pool (`admit.export`).
 */
export function exportRoutes(archive: Archive, admit: Admit) {
  const router = strictRouter();
  const readQuery = (req: Request) => parseQuery(req.query, archive.fields());

  router.get("/search.csv", admit.export, async (req, res) => {
    const query = readQuery(req);
    start(res, "text/csv; charset=utf-8", filename(query, "csv"));
    if (req.method === "HEAD") return res.end();
    // The byte-order mark tells spreadsheets the file is UTF-8.
    res.write("\ufeff" + EXPORT_COLUMNS.join(",") + "\r\n");
    await streamRows(archive, req, res, query, (row) => csvLine(row));
    res.end();
  });

  router.get("/search.jsonl", admit.export, async (req, res) => {
    const query = readQuery(req);
    start(res, "application/x-ndjson; charset=utf-8", filename(query, "jsonl"));
    if (req.method === "HEAD") return res.end();
    await streamRows(
      archive,
      req,
      res,
      query,
      (row) => JSON.stringify(row, safeJsonValue) + "\n",
    );
    res.end();
  });

  // Without `all`, the results page's JSON twin (routes.ts).
  const all = (req: Request, _res: Response, next: (route?: "route") => void) =>
    next(req.query.all ? undefined : "route");
  router.get("/search.json", all, admit.export, async (req, res) => {
    const query = readQuery(req);
    start(res, "application/json; charset=utf-8");
    if (req.method === "HEAD") return res.end();
    await streamRows(
      archive,
      req,
      res,
      query,
      (row, i) => (i ? ",\n" : "") + JSON.stringify(row, safeJsonValue),
      (total) =>
        `{"q":${JSON.stringify(query.q, safeJsonValue)},"description":${JSON.stringify(query.description, safeJsonValue)},"total":${total},"hits":[\n`,
    );
    res.end("\n]}\n");
  });

  // The feed of a search, newest first; without a query, of everything new (`/feed.atom`).
  router.get(["/search.atom", "/feed.atom"], admit.export, async (req, res) => {
    const asked = readQuery(req);
    const everything = !asksAnything(asked);
    const { firstDate } = archive.overview();
    // Every dated statement: a feed has no use for the rest yet (see feedDate).
    const query = {
      ...(everything && firstDate
        ? parseQuery({ from: firstDate.slice(0, 10) }, archive.fields())
        : asked),
      sort: "newest" as const,
    };
    const params = paramsOf(asked);
    const abort = new AbortController();
    const { hits } = await archive.stream(query, abort.signal);
    const entries: Parameters<typeof atomFeed>[0]["entries"] = [];
    for await (const hit of hits) {
      if (entries.length === FEED_ENTRIES) break;
      const date = feedDate(hit);
      // A feed orders by time: statements it cannot place (last in this order) are left out.
      if (!date) break;
      entries.push(feedEntry(req, hit, date));
    }
    abort.abort();
    res.type("application/atom+xml; charset=utf-8");
    res.send(
      atomFeed({
        title: everything
          ? "Readout: the newest statements"
          : `Readout: ${asked.description}`,
        ...(everything
          ? {
              subtitle: `Every statement in this archive, newest first: the latest ${FEED_ENTRIES} by their date. Statements without a date are not listed.`,
            }
          : {}),
        self: absoluteUrl(
          req,
          everything
            ? urls.feed()
            : urls.search({ ...params, sort: undefined }, "atom"),
        ),
        alternate: absoluteUrl(
          req,
          everything ? urls.home() : urls.search({ ...params, sort: "newest" }),
        ),
        now: new Date(),
        entries,
      }),
    );
  });

  return router;
}

/** Whether a search names anything to look for or filter by; none is the whole archive. */
function asksAnything(query: SearchQuery): boolean {
  const { root, dates } = query.parsed;
  return (
    query.q !== "" ||
    root !== undefined ||
    dates.from !== undefined ||
    dates.to !== undefined ||
    Object.keys(query.filters).length > 0 ||
    query.years.length > 0 ||
    query.echoes
  );
}

/**
 * When a statement enters a feed: its date. HOOK(first-read): an undated statement is to
 * enter by when Readout first read it. Statements carry that time now (`firstRead`, from the
 * workspace) and `Archive.readSince` lists a query's matches by it; what is missing is a query
 * for every statement, undated ones included, for the feed of everything (the engines match
 * nothing for a query that asks nothing). With it: merge `readSince`'s undated statements,
 * timed by `firstRead`, into these entries by time.
 */
function feedDate(hit: Hit): string | undefined {
  return hit.date;
}

function feedEntry(req: Request, hit: Hit, date: string) {
  const original = externalHref(hit.url);
  return {
    id: hit.id,
    title: hit.title,
    date,
    ...(hit.source ? { source: hit.source } : {}),
    link: absoluteUrl(req, urls.statement(hit.id)),
    ...(original ? { original } : {}),
    summary: plainText(hit.snippet),
  };
}

function start(res: Response, type: string, attachment?: string) {
  // attachment() sets a type from the file name; the explicit type comes after it.
  if (attachment) res.attachment(attachment);
  res.status(200).type(type);
}

function filename(query: SearchQuery, ext: string): string {
  const words = query.q
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|(?<!-)-+$/g, "")
    .slice(0, 40);
  return `readout-${words || "all"}-${new Date().toISOString().slice(0, 10)}.${ext}`;
}

/**
 * Writes one line per match in ranked order (after `head`, given the total), waiting for the
 * client when its buffer is full; stops when the client goes away. One listener each for
 * `close` and `drain`, however long the export, so slow clients do not pile listeners up.
 */
async function streamRows(
  archive: Archive,
  req: Request,
  res: Response,
  query: SearchQuery,
  format: (row: ExportRow, i: number) => string,
  head?: (total: number) => string,
): Promise<void> {
  const gone = new AbortController();
  let wake: (() => void) | undefined;
  const resume = () => wake?.();
  const close = () => {
    gone.abort();
    resume();
  };
  res.on("close", close);
  res.on("drain", resume);
  try {
    const { total, hits } = await archive.stream(query, gone.signal);
    if (head) res.write(head(total));
    let n = 0;
    for await (const hit of hits) {
      if (gone.signal.aborted) break;
      const row = exportRow(hit, absoluteUrl(req, urls.statement(hit.id)));
      if (!res.write(format(row, n++)) && !gone.signal.aborted)
        await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    res.off("close", close);
    res.off("drain", resume);
  }
}
