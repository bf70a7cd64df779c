import express, {
  type ErrorRequestHandler,
  type Request,
  type RequestHandler,
  type Response,
} from "express";
import type { Archive } from "../archive.ts";
import { formatDate } from "../text/dates.ts";
import { WorkspaceError } from "../workspace/validate.ts";
import { workspaceOf as over, type Workspace } from "../workspace/workspace.ts";
import { HttpError } from "./errors.ts";
import type { People } from "./people.ts";

/** How the web offers the workspace. */
export interface WorkspaceOptions {
  /** No collections or saved searches at all (`--read-only`). */
  readOnly?: boolean;
  /** The clock, for tests. */
  now?: () => Date;
}

/**
 * The workspace over the archive's store, made once the archive has opened it; undefined when
 * this server keeps none (read-only, or an engine without a store).
 */
export function workspaceOf(
  archive: Archive,
  options: WorkspaceOptions,
): () => Workspace | undefined {
  let made: { store: unknown; workspace?: Workspace } | undefined;
  return () => {
    if (options.readOnly) return undefined;
    const store = archive.workspace?.();
    // Made again only if the archive opened another store (a test's second open).
    if (!made || made.store !== store)
      made = { store, workspace: over(archive, options.now) };
    return made.workspace;
  };
}

/** What the workspace's routes share: the archive, its people, the workspace, a form token. */
export interface WorkspaceWeb {
  archive: Archive;
  people: People;
  /** The workspace, or a 404 that says why there is none. */
  workspace(): Workspace;
  /** The token of the browser's session (started if it has none), for a page's forms. */
  token(req: Request, res: Response): string;
}

export function workspaceWeb(
  archive: Archive,
  people: People,
  find: () => Workspace | undefined,
  options: WorkspaceOptions,
): WorkspaceWeb {
  return {
    archive,
    people,
    workspace: () => needWorkspace(find, options),
    token: (req, res) => people.sessions.ensure(req, res).token,
  };
}

/** The workspace, or a 404 that says why there is none. */
export function needWorkspace(
  find: () => Workspace | undefined,
  options: WorkspaceOptions,
): Workspace {
  const workspace = find();
  if (!workspace)
    throw new HttpError(
      404,
      options.readOnly
        ? "Collections and saved searches are off: this Readout runs read-only (--read-only)."
        : "Collections and saved searches are kept in the cache folder, and this Readout runs without one (--no-cache).",
    );
  return workspace;
}

/** Sets `res.locals.workspaceOn` (the pages then offer "Add to collection") and `here`. */
export function workspaceLocals(
  find: () => Workspace | undefined,
): RequestHandler {
  return (req, res, next) => {
    res.locals.workspaceOn = find() !== undefined;
    res.locals.here = req.originalUrl;
    next();
  };
}

/** A form's fields: small, flat, at most a few fields (notes are the largest, 100 KB). */
export const readForm = express.urlencoded({
  extended: false,
  limit: "256kb",
  parameterLimit: 20,
});

/** The workspace's refusals as the web's errors: their status and message reach the page. */
export const workspaceErrors: ErrorRequestHandler = (err, _req, _res, next) => {
  if (err instanceof WorkspaceError)
    return next(new HttpError(err.status, err.message));
  // body-parser's own: a form too large or with too many fields.
  const type = (err as { type?: string })?.type;
  if (type === "entity.too.large")
    return next(
      new HttpError(
        413,
        "The form is too large: a note may hold at most 100 KB.",
      ),
    );
  if (type === "parameters.too.many")
    return next(new HttpError(400, "The form has too many fields."));
  next(err);
};

/** Whether the client asked for JSON (the page's script does) rather than a page. */
export function wantsJson(req: Request): boolean {
  return req.accepts(["html", "json"]) === "json";
}

/** A path on this server to go back to, or undefined for anything else. */
export function localPath(value: unknown): string | undefined {
  return typeof value === "string" &&
    /^\/(?![/\\])[^\s]*$/.test(value) &&
    value.length <= 2000
    ? value
    : undefined;
}

/** An instant as a person reads it: `7 September 2023, 14:05 UTC`. */
export function formatInstant(iso: string): string {
  if (!iso) return "";
  const time = iso.slice(11, 16);
  return `${formatDate(iso.slice(0, 10))}${time ? `, ${time} UTC` : ""}`;
}
