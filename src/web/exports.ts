import { Router, type Request, type Response } from "express";
import { once } from "node:events";
import type { Corpus } from "../engines/memory/corpus.ts";
import {
  csvLine,
  EXPORT_COLUMNS,
  plainText,
  type ExportRow,
} from "../export.ts";
import { atomFeed } from "../feed.ts";
import { parseQuery, type SearchQuery } from "../query/params.ts";
import { find, rank } from "../engines/memory/find.ts";
import { toHit } from "../engines/memory/search.ts";
import { absoluteUrl, paramsOf, urls } from "./urls.ts";

/** Entries in a feed: a feed reader wants what is new, not the archive. */
const FEED_ENTRIES = 100;

/**
 * The whole result set of a search, streamed: `/search.csv`, `/search.jsonl`,
 * `/search.json?all=1`; and `/search.atom`, the newest matches as a feed. They take the same
 * parameters as `/search`.
 */
export function exportRoutes(corpus: Corpus): Router {
  const router = Router();
  const readQuery = (req: Request) =>
    parseQuery(req.query, corpus.fields.keys());

  router.get("/search.csv", async (req, res) => {
    const query = readQuery(req);
    start(res, "text/csv; charset=utf-8", filename(query, "csv"));
    // The byte-order mark tells spreadsheets the file is UTF-8.
    res.write("\ufeff" + EXPORT_COLUMNS.join(",") + "\r\n");
    await streamRows(corpus, req, res, query, (row) => csvLine(row));
    res.end();
  });

  router.get("/search.jsonl", async (req, res) => {
    const query = readQuery(req);
    start(res, "application/x-ndjson; charset=utf-8", filename(query, "jsonl"));
    await streamRows(
      corpus,
      req,
      res,
      query,
      (row) => JSON.stringify(row) + "\n",
    );
    res.end();
  });

  router.get("/search.json", async (req, res, next) => {
    if (!req.query.all) return next();
    const query = readQuery(req);
    start(res, "application/json; charset=utf-8");
    const found = find(corpus, query);
    res.write(
      `{"q":${JSON.stringify(query.q)},"description":${JSON.stringify(query.description)},"total":${found.matches.ids.length},"hits":[\n`,
    );
    await streamRows(
      corpus,
      req,
      res,
      query,
      (row, i) => (i ? ",\n" : "") + JSON.stringify(row),
      found,
    );
    res.end("\n]}\n");
  });

  router.get("/search.atom", (req, res) => {
    const query = { ...readQuery(req), sort: "newest" as const };
    const found = find(corpus, query);
    const params = paramsOf(query);
    // A feed orders by time: undated statements cannot be placed in it.
    const entries = rank(corpus, found, query)
      .filter(
        (i) => corpus.statements[found.matches.ids[i]!]!.date !== undefined,
      )
      .slice(0, FEED_ENTRIES)
      .map((i) => {
        const doc = found.matches.ids[i]!;
        const statement = corpus.statements[doc]!;
        const hit = toHit(corpus, doc, found.matches.scores[i]!, found.spec);
        return {
          id: statement.id,
          title: statement.title,
          ...(statement.date ? { date: statement.date } : {}),
          ...(statement.source ? { source: statement.source } : {}),
          link: absoluteUrl(req, urls.statement(statement.id)),
          ...(statement.url && /^https?:\/\//i.test(statement.url)
            ? { original: statement.url }
            : {}),
          summary: plainText(hit.snippet),
        };
      });
    res.type("application/atom+xml; charset=utf-8");
    res.send(
      atomFeed({
        title: `Readout: ${query.description}`,
        self: absoluteUrl(
          req,
          urls.search({ ...params, sort: undefined }, "atom"),
        ),
        alternate: absoluteUrl(req, urls.search({ ...params, sort: "newest" })),
        now: new Date(),
        entries,
      }),
    );
  });

  return router;
}

function start(res: Response, type: string, attachment?: string) {
  // attachment() sets a type from the file name; the explicit type comes after it.
  if (attachment) res.attachment(attachment);
  res.status(200).type(type);
}

function filename(query: SearchQuery, ext: string): string {
  const words = query.q
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return `readout-${words || "all"}-${new Date().toISOString().slice(0, 10)}.${ext}`;
}

/**
 * Writes one line per match in ranked order, waiting for the client when its buffer is full
 * and giving other requests a turn every 100 rows; stops when the client goes away.
 */
async function streamRows(
  corpus: Corpus,
  req: Request,
  res: Response,
  query: SearchQuery,
  format: (row: ExportRow, i: number) => string,
  found = find(corpus, query),
): Promise<void> {
  const order = rank(corpus, found, query);
  let closed = false;
  res.once("close", () => (closed = true));
  for (let n = 0; n < order.length && !closed; n++) {
    const i = order[n]!;
    const doc = found.matches.ids[i]!;
    const statement = corpus.statements[doc]!;
    const hit = toHit(corpus, doc, found.matches.scores[i]!, found.spec);
    const row: ExportRow = {
      id: statement.id,
      title: statement.title,
      date: statement.date ?? "",
      source: statement.source ?? "",
      url: statement.url ?? "",
      permalink: absoluteUrl(req, urls.statement(statement.id)),
      score: hit.score,
      snippet: plainText(hit.snippet),
    };
    if (!res.write(format(row, n)))
      await Promise.race([once(res, "drain"), once(res, "close")]);
    if (n % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
  }
}
