import { timingSafeEqual } from "node:crypto";
import type { RequestHandler, Response } from "express";
import type { User } from "../runtime/users.ts";
import type { Person } from "../workspace/workspace.ts";
import { HttpError } from "./errors.ts";
import { Sessions } from "./sessions.ts";
import { origin, requestOrigin, urls } from "./urls.ts";

/** Who uses this server: the people of a users file, or one local person with no sign-in. */
export interface People {
  /** The users file's people; undefined: one local person, who never signs in. */
  users?: Map<string, User>;
  sessions: Sessions;
}

/** The one person of a server without `--users`. */
export const LOCAL_PERSON: Person = { name: "local", role: "editor" };

/**
 * Finds who is asking, for the routes after it: `res.locals.person` (undefined when nobody
 * has signed in) and `res.locals.session` (when the browser has one).
 */
export function identify(people: People): RequestHandler {
  return (req, res, next) => {
    const session = people.sessions.of(req);
    res.locals.session = session;
    res.locals.person = people.users ? session?.person : LOCAL_PERSON;
    res.locals.signIn = Boolean(people.users);
    next();
  };
}

/**
 * With a users file, every page but the sign-in page asks for a sign-in: a page is sent there,
 * data (JSON, exports, feeds) gets a 401. A saved search's feed checks its own key instead.
 */
export function requireSignIn(people: People): RequestHandler {
  return (req, res, next) => {
    if (!people.users || res.locals.person) return next();
    if (req.path === urls.signIn() || /^\/saved\/[^/]+\.atom$/.test(req.path))
      return next();
    if (req.method === "GET" && !isData(req.path))
      return res.redirect(303, urls.signIn(req.originalUrl));
    next(
      new HttpError(401, "Sign in first: this Readout is for its users only."),
    );
  };
}

/**
 * Every POST that changes something passes here, after its form is read: it must come from a
 * page of this server (its `Origin`, or the browser's `Sec-Fetch-Site`), and carry the token of
 * the browser's session, which a page on another site cannot read. Otherwise a 403 says why.
 */
export function guardWrite(): RequestHandler {
  return (req, res, next) => {
    const site = req.get("sec-fetch-site");
    const from = req.get("origin");
    if (site !== undefined && site !== "same-origin")
      return next(
        new HttpError(
          403,
          `Refused: this form was sent from another site (Sec-Fetch-Site: ${site.slice(0, 40)}).`,
        ),
      );
    // A page whose Referrer-Policy is no-referrer (every page here) posts with `Origin: null`:
    // then the browser's Sec-Fetch-Site, which no page can set, says where it came from.
    const nullFromPage = from === "null" && site === "same-origin";
    // The page's own origin: as the browser addressed this server, or its public address.
    const ours = from === requestOrigin(req) || from === origin(req);
    if (from !== undefined && !ours && !nullFromPage)
      return next(
        new HttpError(
          403,
          `Refused: this form was sent from ${from.slice(0, 100)}, not from this server's pages.`,
        ),
      );
    if (from === undefined && site === undefined)
      return next(
        new HttpError(
          403,
          "Refused: a change must come from this server's pages (the request has neither Origin nor Sec-Fetch-Site).",
        ),
      );
    const session = res.locals.session as { token: string } | undefined;
    const token = (req.body as Record<string, unknown> | undefined)?.token;
    if (!session || typeof token !== "string" || !same(token, session.token))
      return next(
        new HttpError(
          403,
          session
            ? "Refused: the form's token is missing or wrong. Reload the page and send it again."
            : "Refused: this form has expired (Readout restarted, or the session ended). Reload the page and send it again.",
        ),
      );
    next();
  };
}

/** The person asking, or a 401 (only before a sign-in, with a users file). */
export function personOf(res: Response): Person {
  const person = res.locals.person as Person | undefined;
  if (!person) throw new HttpError(401, "Sign in first.");
  return person;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// Data is asked for by extension; a person is sent to the sign-in page only for a page.
function isData(path: string): boolean {
  return (
    /\.(json|jsonl|csv|atom|xml|bib|ris|zip)$/.test(path) || path === "/suggest"
  );
}
