import type { Request, RequestHandler, Response } from "express";
import type { Archive } from "../archive.ts";

/** How long a client should wait before asking again while the index is being built. */
const RETRY_SECONDS = 2;

/**
 * Lets the pages answer only once the archive is ready. Until then every page is a progress
 * page that refreshes itself, and every data URL a 503 with Retry-After.
 */
export function whenReady(archive: Archive): RequestHandler {
  return (req, res, next) => {
    if (archive.state().phase !== "ready") return notReady(archive, req, res);
    res.locals.overview = archive.overview();
    next();
  };
}

// `1 statement`, `1,000 statements`.
const statements = (n: number) =>
  `${n.toLocaleString("en")} statement${n === 1 ? "" : "s"}`;

function notReady(archive: Archive, req: Request, res: Response): void {
  const { phase, done, total, error } = archive.state();
  const failed = phase === "failed";
  const message = failed
    ? `Readout could not load the archive: ${error}`
    : phase === "indexing"
      ? `Indexing: ${total ? `${done.toLocaleString("en")} of ${statements(total)}` : statements(done)}.`
      : phase === "reading"
        ? `Reading the data folder: ${statements(done)} so far.`
        : "Starting.";
  res.status(failed ? 500 : 503);
  if (!failed) res.set("Retry-After", String(RETRY_SECONDS));
  if (!wantsHtml(req)) {
    res.json({
      error: { status: failed ? 500 : 503, message },
      progress: { phase, done, ...(total ? { total } : {}) },
    });
    return;
  }
  const percent = total ? Math.floor((done / total) * 100) : undefined;
  res.render("loading", {
    title: failed ? "Could not load" : "Loading",
    message,
    failed,
    percent,
    refresh: RETRY_SECONDS,
  });
}

// Pages are asked for by path; data (JSON, CSV, feeds, suggestions) by extension or API path.
function wantsHtml(req: Request): boolean {
  return (
    !/\.(json|jsonl|csv|atom|xml)$/.test(req.path) && req.path !== "/suggest"
  );
}
