import type { Request, Response } from "express";
import type { Archive, Hit, Statement } from "../archive.ts";
import {
  csvCell,
  csvLine,
  EXPORT_COLUMNS,
  exportRow,
  plainText,
} from "../out/export.ts";
import type { ExportRow } from "../out/export.ts";
import { atomDate, atomFeed, type FeedEntry } from "../out/feed.ts";
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
    await streamRows(archive, req, res, query, {
      type: "text/csv; charset=utf-8",
      attachment: filename(query, "csv"),
      // The byte-order mark tells spreadsheets the file is UTF-8.
      head: () => "\ufeff" + EXPORT_COLUMNS.join(",") + "\r\n",
      row: (row) => csvLine(row),
      // A last line a spreadsheet shows and a reader asked to skip `#` lines skips.
      partial: (parts) => csvCell(`# ${partialNote(parts, "file")}`) + "\r\n",
    });
  });

  router.get("/search.jsonl", admit.export, async (req, res) => {
    const query = readQuery(req);
    await streamRows(archive, req, res, query, {
      type: "application/x-ndjson; charset=utf-8",
      attachment: filename(query, "jsonl"),
      row: (row) => JSON.stringify(row, safeJsonValue) + "\n",
      // A last line without an id, unlike every row.
      partial: (parts) =>
        JSON.stringify({
          partial: true,
          unavailable: parts,
          note: partialNote(parts, "file"),
        }) + "\n",
    });
  });

  // Without `all`, the results page's JSON twin (routes.ts).
  const all = (req: Request, _res: Response, next: (route?: "route") => void) =>
    next(req.query.all ? undefined : "route");
  router.get("/search.json", all, admit.export, async (req, res) => {
    const query = readQuery(req);
    await streamRows(archive, req, res, query, {
      type: "application/json; charset=utf-8",
      head: (total) =>
        `{"q":${JSON.stringify(query.q, safeJsonValue)},"description":${JSON.stringify(query.description, safeJsonValue)},"total":${total},"hits":[\n`,
      row: (row, i) => (i ? ",\n" : "") + JSON.stringify(row, safeJsonValue),
      // As the results page's JSON says it; after the hits, where every failure is known.
      tail: (parts) =>
        "\n]" +
        (parts.length
          ? `,"partial":true,"unavailable":${JSON.stringify(parts)}`
          : "") +
        "}\n",
    });
  });

  // The feed of a search, newest first; without a query, of everything new (`/feed.atom`).
  router.get(["/search.atom", "/feed.atom"], admit.export, async (req, res) => {
    const asked = readQuery(req);
    const everything = !asksAnything(asked);
    const { firstDate } = archive.overview();
    // Every dated statement; the undated ones are read apart, by first read (see below).
    const query = {
      ...(everything && firstDate
        ? parseQuery({ from: firstDate.slice(0, 10) }, archive.fields())
        : asked),
      sort: "newest" as const,
    };
    const params = paramsOf(asked);
    const abort = new AbortController();
    const { hits, unavailable } = await archive.stream(query, abort.signal);
    const dated: FeedEntry[] = [];
    for await (const hit of hits) {
      if (dated.length === FEED_ENTRIES) break;
      // A search's feed orders by date: statements it cannot place (last in this order) are left out.
      if (!hit.date) break;
      dated.push(feedEntry(req, hit));
    }
    abort.abort();
    const entries = everything
      ? newestFirst([...dated, ...(await undatedEntries(archive, req))])
      : dated;
    const parts = partsOf(unavailable);
    res.type("application/atom+xml; charset=utf-8");
    if (parts.length) res.set(PARTIAL_HEADER, parts.join(", "));
    res.send(
      atomFeed({
        ...(parts.length
          ? { partial: { parts, note: partialNote(parts, "feed") } }
          : {}),
        title: everything
          ? "Readout: the newest statements"
          : `Readout: ${asked.description}`,
        ...(everything
          ? {
              subtitle: `Every statement in this archive, newest first: the latest ${FEED_ENTRIES}. A dated statement is listed by its date, an undated one by when Readout first read it; the updated-means of each entry says which.`,
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
 * The undated statements for the feed of everything, the `FEED_ENTRIES` Readout first read
 * last, timed by that: an archive that keeps no first-read times has none to give.
 */
async function undatedEntries(
  archive: Archive,
  req: Request,
): Promise<FeedEntry[]> {
  if (!archive.readSince || !archive.statementsById) return [];
  const all = parseQuery({}, archive.fields());
  const undated = {
    ...all,
    parsed: { ...all.parsed, dates: { undated: true as const } },
  };
  const { statements } = await archive.readSince(
    undated,
    undefined,
    FEED_ENTRIES,
  );
  const found = new Map(
    (await archive.statementsById(statements.map((s) => s.id))).map((s) => [
      s.id,
      s,
    ]),
  );
  return statements.flatMap(({ id, firstRead }) => {
    const s = found.get(id);
    return s ? [statementEntry(req, s, firstRead)] : [];
  });
}

/** The newest `FEED_ENTRIES` of entries timed either way; ties keep their order. */
function newestFirst(entries: FeedEntry[]): FeedEntry[] {
  const now = new Date().toISOString();
  const time = (e: FeedEntry) => Date.parse(atomDate(e.date, now));
  return entries
    .map((e) => ({ e, t: time(e) }))
    .sort((a, b) => b.t - a.t)
    .map(({ e }) => e)
    .slice(0, FEED_ENTRIES);
}

/** A dated match as a feed entry: its snippet as the summary. */
function feedEntry(req: Request, hit: Hit): FeedEntry {
  const original = externalHref(hit.url);
  return {
    id: hit.id,
    title: hit.title,
    ...(hit.date ? { date: hit.date } : {}),
    dateIs: "statement",
    ...(hit.source ? { source: hit.source } : {}),
    link: absoluteUrl(req, urls.statement(hit.id)),
    ...(original ? { original } : {}),
    summary: plainText(hit.snippet),
  };
}

/**
 * A statement as a feed entry timed by when Readout first read it (a saved search's new
 * matches, an undated statement): the start of its body as the summary.
 */
export function statementEntry(
  req: Request,
  s: Statement,
  firstRead: string,
): FeedEntry {
  const original = externalHref(s.url);
  return {
    id: s.id,
    title: s.title,
    date: firstRead,
    dateIs: "first-read",
    ...(s.source ? { source: s.source } : {}),
    link: absoluteUrl(req, urls.statement(s.id)),
    ...(original ? { original } : {}),
    summary: s.body.length > 400 ? `${s.body.slice(0, 400)}…` : s.body,
  };
}

/** Says that an export holds what only some parts of the archive answered: `shard 2, shard 3`. */
export const PARTIAL_HEADER = "Readout-Partial";

function partsOf(unavailable: ReadonlySet<string> | undefined): string[] {
  return [...(unavailable ?? [])].sort();
}

/** The note a partial export carries, in the words of the results page's note. */
function partialNote(parts: string[], what: "file" | "feed"): string {
  return `Part of the archive did not answer (${parts.join(" and ")}): this ${what} holds the matches of the rest of it only.`;
}

function filename(query: SearchQuery, ext: string): string {
  const words = query.q
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|(?<!-)-+$/g, "")
    .slice(0, 40);
  return `readout-${words || "all"}-${new Date().toISOString().slice(0, 10)}.${ext}`;
}

/** How an export writes its rows, and says that it is partial. */
interface RowFormat {
  type: string;
  /** Sent as a download under this name. */
  attachment?: string;
  /** Before the rows, given the total. */
  head?: (total: number) => string;
  row: (row: ExportRow, i: number) => string;
  /** After the rows, given the parts that did not answer (none: an empty list). */
  tail?: (parts: string[]) => string;
  /** After the rows and the tail, when some part did not answer. */
  partial?: (parts: string[]) => string;
}

/**
 * Writes one line per match in ranked order, waiting for the client when its buffer is full;
 * stops when the client goes away. The stream is opened before the first byte, so a failure
 * there is still an error page and not a cut file, and the parts found missing by then (the
 * count and the order are read first) go in the `Readout-Partial` header; a part that fails
 * while the rows are read is told in the format itself, after the rows. One listener each for
 * `close` and `drain`, however long the export, so slow clients do not pile listeners up.
 */
async function streamRows(
  archive: Archive,
  req: Request,
  res: Response,
  query: SearchQuery,
  format: RowFormat,
): Promise<void> {
  const open = () => {
    // attachment() sets a type from the file name; the explicit type comes after it.
    if (format.attachment) res.attachment(format.attachment);
    res.status(200).type(format.type);
  };
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
    const { total, hits, unavailable } = await archive.stream(
      query,
      gone.signal,
    );
    open();
    const known = partsOf(unavailable);
    if (known.length) res.set(PARTIAL_HEADER, known.join(", "));
    // HEAD gets the headers a GET gets, `Readout-Partial` too: the stream is opened for
    // them (the count and the order), and its rows are not read.
    if (req.method === "HEAD") {
      gone.abort();
      res.end();
      return;
    }
    if (format.head) res.write(format.head(total));
    let n = 0;
    for await (const hit of hits) {
      if (gone.signal.aborted) break;
      const row = exportRow(hit, absoluteUrl(req, urls.statement(hit.id)));
      if (!res.write(format.row(row, n++)) && !gone.signal.aborted)
        await new Promise<void>((resolve) => (wake = resolve));
    }
    const parts = partsOf(unavailable);
    res.end(
      (format.tail?.(parts) ?? "") +
        (parts.length && format.partial ? format.partial(parts) : ""),
    );
  } finally {
    res.off("close", close);
    res.off("drain", resume);
  }
}
