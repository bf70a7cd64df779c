import type { RequestHandler } from "express";
import { isLoopback } from "../runtime/loopback.ts";
import { HttpError } from "./errors.ts";

/**
 * Refuses requests whose Host is not this computer. A web page elsewhere can point a name of
 * its own at 127.0.0.1 (DNS rebinding) and then read the archive as same-origin; only a
 * request that names localhost or a loopback address is answered.
 */
export const localHostsOnly: RequestHandler = (req, _res, next) => {
  const host = req.get("host") ?? "";
  // A bare `::1` is no Host header (IPv6 needs brackets there), so only `[::1]` passes.
  const name = host.replace(/:\d{1,5}$/, "");
  if (name !== "::1" && isLoopback(name)) return next();
  next(
    new HttpError(
      421,
      `Readout answers only to requests for localhost or 127.0.0.1, not for "${host.slice(0, 100)}".`,
    ),
  );
};

/**
 * Refuses a request that names its host twice: two `Host` headers, or an absolute-form
 * request line (`GET http://a/ HTTP/1.1`) whose host is not the `Host` header's. Node keeps
 * one of them and proxies may act on the other, so which host was asked for is unclear.
 */
export const oneHost: RequestHandler = (req, _res, next) => {
  let hosts = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2)
    if (req.rawHeaders[i]!.toLowerCase() === "host") hosts++;
  if (hosts > 1)
    return next(
      new HttpError(400, "The request names its host more than once."),
    );
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(req.url)) {
    // Both as a URL gives them: lower case, a default port dropped.
    let same = false;
    try {
      const url = new URL(req.url);
      same = url.host === new URL(`${url.protocol}//${req.headers.host}`).host;
    } catch {
      same = false;
    }
    if (!same)
      return next(
        new HttpError(
          400,
          "The request's address names another host than its Host header.",
        ),
      );
  }
  next();
};
