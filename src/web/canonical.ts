import { Router, type RequestHandler } from "express";
import { routeMethods, type Layer } from "./errors.ts";

/**
 * A router that takes each page at one spelling only: case-sensitive and strict about a
 * trailing slash. Express's default takes `/SEARCH`, `/Search.CSV` and `/search/` too, and
 * anything keyed on the path as written (admission was) then misses them.
 */
export function strictRouter(): Router {
  return Router({ caseSensitive: true, strict: true });
}

/**
 * Registered after every route: a path no route took, which some route takes once its first
 * segment is decoded and lower-cased and trailing slashes are dropped (`/Search.CSV`,
 * `/search/`, `/%73earch`), is redirected there with 308, which keeps the method and body
 * (`POST /BATCH`). The redirected request is then admitted by its route like any other.
 */
export const canonicalPath: RequestHandler = (req, res, next) => {
  const canonical = canonicalOf(req.path);
  // Never to another site: `//host` and `/\host` are read as one by browsers.
  if (canonical === req.path || /^\/[/\\]/.test(canonical)) return next();
  const methods = new Set<string>();
  routeMethods(req.app.router.stack as unknown as Layer[], canonical, methods);
  if (!methods.has(req.method)) return next();
  const at = req.originalUrl.indexOf("?");
  const redirect = () =>
    res.redirect(308, canonical + (at >= 0 ? req.originalUrl.slice(at) : ""));
  // A body the client is still sending is read (and dropped) first: answered and closed
  // mid-body, the client would see its connection reset instead of the redirect.
  if (
    req.readableEnded ||
    !(req.headers["content-length"] || req.headers["transfer-encoding"])
  )
    return redirect();
  req.once("end", redirect).resume();
};

/** `/Search.CSV/` → `/search.csv`; the rest of the path (an id) is kept as written. */
export function canonicalOf(path: string): string {
  let end = path.length;
  while (end > 1 && path[end - 1] === "/") end--;
  const slash = path.indexOf("/", 1);
  const cut = slash < 0 || slash > end ? end : slash;
  const first = path.slice(1, cut);
  let decoded = first;
  try {
    decoded = decodeURIComponent(first);
  } catch {
    // A broken escape stays as written; no route takes it.
  }
  // Every page's first segment is made of these; decoding must not make anything else.
  if (!/^[\w.~-]*$/.test(decoded)) decoded = first;
  return `/${decoded.toLowerCase()}${path.slice(cut, end)}`;
}
