import type { ErrorRequestHandler, RequestHandler } from "express";
import { PartUnavailable } from "../archive.ts";
import { Busy } from "../runtime/admission.ts";
import { SearchTimeout } from "../runtime/deadline.ts";
import { refuse } from "./admission.ts";
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

/**
 * Registered after every route, before `notFound`: a path some route takes, asked with a
 * method none of them takes, is a 405 with `Allow`. The methods come from the app's routes
 * themselves, so a new route needs no second list here.
 */
export const wrongMethod: RequestHandler = (req, res, next) => {
  const allowed = new Set<string>();
  routeMethods(req.app.router.stack as unknown as Layer[], req.path, allowed);
  if (allowed.size === 0 || allowed.has(req.method)) return next();
  const methods = [...allowed].sort();
  res.set("Allow", methods.join(", "));
  throw new HttpError(
    405,
    `${req.path} answers ${listed(methods)}, not ${req.method}.`,
  );
};

/** What Express's router exposes of a layer: a route's methods, or a mounted router's stack. */
export interface Layer {
  match(path: string): { path: string } | false;
  route?: { methods: Record<string, boolean | undefined> };
  handle?: { stack?: unknown };
}

/** Adds to `into` the methods of the routes in `stack` that take `path`. */
export function routeMethods(
  stack: Layer[],
  path: string,
  into: Set<string>,
): void {
  for (const layer of stack) {
    const match = layer.match(path);
    if (!match) continue;
    if (layer.route) {
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (!on || method === "_all") continue;
        into.add(method.toUpperCase());
        if (method === "get") into.add("HEAD");
      }
    } else if (Array.isArray(layer.handle?.stack)) {
      const rest = path.slice(match.path.length);
      routeMethods(layer.handle.stack as Layer[], rest || "/", into);
    }
  }
}

function listed(items: string[]): string {
  return items.length < 2
    ? items.join("")
    : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

// Registered last: whatever reaches it matched nothing.
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
  // An engine's own queue is full (PostgreSQL's): the same answer as the web's.
  if (error instanceof Busy) return refuse(req, res, error);
  const err =
    error instanceof SearchTimeout
      ? new HttpError(
          503,
          `This search took longer than ${error.seconds} s and was stopped. Try fewer words, fewer * or ~, or a narrower date range.`,
        )
      : error instanceof PartUnavailable
        ? partMissing(error)
        : error;
  const status = httpStatus(err);
  // An error that says when to ask again.
  const retryAfter = (err as { retryAfter?: unknown })?.retryAfter;
  if (typeof retryAfter === "number")
    res.set("Retry-After", String(retryAfter));
  const expected = err instanceof HttpError || typeof retryAfter === "number";
  const message = expected
    ? err.message
    : status < 500
      ? clientMessage(status)
      : "Something went wrong on our side.";
  if (status >= 500 && !expected)
    console.error(`web: ${req.method} ${req.originalUrl} failed:`, err);
  res.status(status);
  // JSON for a JSON URL, and for a page's script that asked for it (the workspace's forms).
  if (req.path.endsWith(".json") || req.accepts(["html", "json"]) === "json") {
    res.json({ error: { status, message } });
    return;
  }
  res.render(
    "error",
    {
      title: status === 404 ? "Not found" : "Error",
      status,
      message,
      // A heading of its own where the status alone would mislead (a 503 is not always a search).
      heading: (err as { heading?: unknown })?.heading,
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

/**
 * A page that needs a part of the archive that did not answer (the shard holding a
 * statement): named by its number only, as search pages name it; the terminal has the reason.
 */
function partMissing(error: PartUnavailable): HttpError {
  console.error(`web: ${error.reason}`);
  return Object.assign(
    new HttpError(
      503,
      `Part of the archive did not answer (${error.part}), and this page needs it. Try again in a moment.`,
    ),
    { retryAfter: PART_RETRY_SECONDS, heading: "Part of the archive is down" },
  );
}

/** When to ask again for a page whose part of the archive did not answer. */
const PART_RETRY_SECONDS = 5;

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
