import type { RequestHandler } from "express";
import { HttpError } from "./errors.ts";

const LOCAL =
  /^(?:localhost|[\w-]+\.localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

/**
 * Refuses requests whose Host is not this computer. A web page elsewhere can point a name of
 * its own at 127.0.0.1 (DNS rebinding) and then read the archive as same-origin; only a
 * request that names localhost or a loopback address is answered.
 */
export const localHostsOnly: RequestHandler = (req, _res, next) => {
  const host = req.get("host") ?? "";
  if (LOCAL.test(host)) return next();
  next(
    new HttpError(
      421,
      `Readout answers only to requests for localhost or 127.0.0.1, not for "${host.slice(0, 100)}".`,
    ),
  );
};
