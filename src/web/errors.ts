import type { ErrorRequestHandler, RequestHandler } from "express";
import { SearchTimeout } from "../search/deadline.ts";
import { ClientGone } from "./gone.ts";

/** An error with the HTTP status to answer with; its message is shown to the user. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

// Registered after every route: whatever reaches it matched nothing.
export const notFound: RequestHandler = (req) => {
  throw new HttpError(404, `There is no page at ${req.path}.`);
};

/**
 * The one error path: an error page with the search form, or JSON for `.json` URLs. A 5xx
 * shows a generic message and a 4xx its own. No mode shows a stack: it names files by their
 * absolute paths, and whoever runs Readout reads it in the log, where it is written.
 */
export const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
  // Nobody is left to read an answer.
  if (error instanceof ClientGone) return;
  if (res.headersSent) return next(error);
  const err =
    error instanceof SearchTimeout
      ? new HttpError(
          503,
          `This search took longer than ${error.seconds} s and was stopped. Try fewer words, fewer * or ~, or a narrower date range.`,
        )
      : error;
  const status = httpStatus(err);
  const expected = err instanceof HttpError;
  const message = expected
    ? err.message
    : status < 500
      ? clientMessage(status)
      : "Something went wrong on our side.";
  if (status >= 500 && !expected)
    console.error(`web: ${req.method} ${req.originalUrl} failed:`, err);
  res.status(status);
  if (req.path.endsWith(".json")) {
    res.json({ error: { status, message } });
    return;
  }
  res.render(
    "error",
    {
      title: status === 404 ? "Not found" : "Error",
      status,
      message,
    },
    (renderError: Error | null, html?: string) => {
      // The error page itself failed: say what went wrong in plain text, never a stack trace.
      if (renderError) {
        console.error("web: the error page could not be shown:", renderError);
        res.type("text/plain").send(message);
      } else res.send(html);
    },
  );
};

function httpStatus(err: unknown): number {
  const status =
    (err as { status?: unknown; statusCode?: unknown })?.status ??
    (err as { statusCode?: unknown })?.statusCode;
  return typeof status === "number" && status >= 400 && status < 600
    ? status
    : 500;
}

function clientMessage(status: number): string {
  if (status === 400)
    return "The address is malformed (for example, a broken %-escape).";
  if (status === 404) return "Not found.";
  return "The request could not be handled.";
}
