import type { RequestHandler, Response } from "express";
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";

/** The folder of static files (`public/`), beside `src/` or `dist/`. */
export const PUBLIC_DIR = path.resolve(
  import.meta.dirname,
  "..",
  "..",
  "public",
);

/** A year: the longest lifetime caches honour, for files whose URL changes with their content. */
const IMMUTABLE = "public, max-age=31536000, immutable";

/**
 * `Cache-Control` for each kind of response. Pages are `private`: an archive behind a proxy
 * with access control must not be served from a shared cache to someone else.
 */
export const CACHE_CONTROL = {
  /** Results, the home page, /about, /help and their JSON: they change whenever the data folder does, so they are revalidated each time (a 304 when nothing changed). */
  page: "private, no-cache",
  /** A statement changes only when its file does: a minute without asking again, then revalidated. */
  statement: "private, max-age=60",
  /** Exports are large and a snapshot of one moment: kept by no cache. */
  export: "private, no-store",
  /** Feed readers poll: five minutes is fresh enough. */
  feed: "private, max-age=300",
  /** Completions as the user types: the same prefix again within a minute needs no request. */
  suggest: "private, max-age=60",
  opensearch: "public, max-age=86400",
  /** A static file whose URL carries its content's hash (`/style.css?v=…`). */
  versioned: IMMUTABLE,
  /** A static file asked for without its current hash. */
  static: "public, no-cache",
  /** Errors, progress pages, the health check, anything but GET and HEAD. */
  none: "no-store",
} as const;

const STATIC = /\.(css|js|svg|png|ico)$/;

/** The kind of response a request gets, for CACHE_CONTROL. */
export function cacheKind(
  method: string,
  url: URL,
): keyof typeof CACHE_CONTROL {
  if (method !== "GET" && method !== "HEAD") return "none";
  const p = url.pathname;
  if (p.startsWith("/-/")) return "none";
  if (p.startsWith("/statements/")) return "statement";
  if (/^\/(search|batch)\.(csv|jsonl)$/.test(p)) return "export";
  if (p === "/search.json" && url.searchParams.has("all")) return "export";
  if (p === "/search.atom" || p === "/feed.atom") return "feed";
  if (/^\/collections\/[^/]+\.(csv|jsonl|bib|ris|zip)$/.test(p))
    return "export";
  if (/^\/saved\/[^/]+\.atom$/.test(p)) return "feed";
  if (p === "/suggest") return "suggest";
  if (p === "/opensearch.xml") return "opensearch";
  if (STATIC.test(p)) {
    const v = url.searchParams.get("v");
    return v && v === assetHash(p) ? "versioned" : "static";
  }
  return "page";
}

// `////` or `//:x` is no URL relative to a base (an empty or bad host): read as a path.
function requestUrl(url: string): URL {
  try {
    return new URL(url.startsWith("/") ? `http://x${url}` : url);
  } catch {
    return new URL("http://x/");
  }
}

/**
 * Sets `Cache-Control` by kind before the routes run (a route may set its own); a response
 * that turns out to be an error or a progress page (status 300 and up, but 304) gets `no-store`.
 */
export function caching(): RequestHandler {
  return (req, res, next) => {
    const kind = cacheKind(req.method, requestUrl(req.url));
    res.setHeader("Cache-Control", CACHE_CONTROL[kind]);
    const writeHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: unknown[]) {
      const status = typeof args[0] === "number" ? args[0] : this.statusCode;
      if (status >= 300 && status !== 304)
        this.setHeader("Cache-Control", CACHE_CONTROL.none);
      return (writeHead as (...a: unknown[]) => Response).apply(this, args);
    } as typeof writeHead;
    next();
  };
}

/**
 * How long the work behind a response took, as a `Server-Timing` header (shown by the
 * browser's developer tools) rather than in the body, where it would change the ETag of
 * every response and so defeat `If-None-Match`.
 */
export function serverTiming(res: Response, name: string, ms: number): void {
  res.append("Server-Timing", `${name};dur=${ms}`);
}

/**
 * The URL of a file in `public/` with its content's hash (`/style.css?v=1a2b3c4d5e`), so it
 * can be cached for a year and still change the moment the file does.
 */
export function assetUrl(file: string): string {
  const hash = assetHash(file);
  return hash ? `${file}?v=${hash}` : file;
}

const hashes = new Map<
  string,
  { mtimeMs: number; size: number; hash: string }
>();

// The hash of a file in public/, read again only when its time or size changes; undefined
// for a file that is not there.
function assetHash(file: string): string | undefined {
  const full = path.join(PUBLIC_DIR, path.normalize(file));
  if (!full.startsWith(PUBLIC_DIR + path.sep)) return undefined;
  let stat;
  try {
    stat = statSync(full);
  } catch {
    return undefined;
  }
  const known = hashes.get(file);
  if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size)
    return known.hash;
  const hash = createHash("sha256")
    .update(readFileSync(full))
    .digest("hex")
    .slice(0, 10);
  hashes.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, hash });
  return hash;
}
