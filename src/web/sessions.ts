import { randomBytes } from "node:crypto";
import type { Request, Response } from "express";
import type { Person } from "../workspace/workspace.ts";

/** One browser's session: its form token, and who signed in, if anyone. */
export interface Session {
  id: string;
  /** Carried by every form it posts (`token`): a page on another site cannot know it. */
  token: string;
  person?: Person;
  createdAt: number;
  usedAt: number;
}

/** How long sessions last, and how many are kept. */
export interface SessionLimits {
  /** A session not used for this long ends. Default 8 hours. */
  idleMs: number;
  /** A session ends this long after it began, used or not. Default 7 days. */
  maxMs: number;
  /** Sessions kept at most; past it the least recently used end. Default 10,000. */
  max: number;
}

export const DEFAULT_SESSIONS: SessionLimits = {
  idleMs: 8 * 3600_000,
  maxMs: 7 * 24 * 3600_000,
  max: 10_000,
};

export const COOKIE = "readout_session";

/**
 * Sessions, kept in this process: a restart ends them all (a form then asks to be sent again).
 * The cookie holds only a random id; `SameSite=Strict` keeps a browser from sending it with a
 * request another site starts, and `HttpOnly` keeps scripts from reading it.
 */
export class Sessions {
  // A Map keeps insertion order: re-inserting on use makes the first entry the least recent.
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly limits: SessionLimits = DEFAULT_SESSIONS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The request's session, when its cookie names one that has not expired. */
  of(req: Request): Session | undefined {
    const id = cookie(req, COOKIE);
    const session = id ? this.sessions.get(id) : undefined;
    if (!session) return undefined;
    const now = this.now();
    if (
      now - session.usedAt > this.limits.idleMs ||
      now - session.createdAt > this.limits.maxMs
    ) {
      this.sessions.delete(session.id);
      return undefined;
    }
    session.usedAt = now;
    this.sessions.delete(session.id);
    this.sessions.set(session.id, session);
    return session;
  }

  /** The request's session, or a new one whose cookie goes with the response. */
  ensure(req: Request, res: Response): Session {
    return this.of(req) ?? this.start(req, res);
  }

  /**
   * A new session for `person` (or nobody), replacing the request's: signing in gets a new
   * id and token, so an id someone planted before cannot be used after.
   */
  start(req: Request, res: Response, person?: Person): Session {
    const old = cookie(req, COOKIE);
    if (old) this.sessions.delete(old);
    const now = this.now();
    const session: Session = {
      id: randomBytes(24).toString("base64url"),
      token: randomBytes(24).toString("base64url"),
      ...(person ? { person } : {}),
      createdAt: now,
      usedAt: now,
    };
    this.sessions.set(session.id, session);
    while (this.sessions.size > this.limits.max)
      this.sessions.delete(this.sessions.keys().next().value!);
    res.append("Set-Cookie", serialize(session.id, req.secure));
    return session;
  }

  /** Ends the request's session and tells the browser to forget its cookie. */
  end(req: Request, res: Response): void {
    const id = cookie(req, COOKIE);
    if (id) this.sessions.delete(id);
    res.append("Set-Cookie", `${serialize("", req.secure)}; Max-Age=0`);
  }
}

function serialize(id: string, secure: boolean): string {
  return `${COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`;
}

/** A cookie's value from the request's Cookie header. */
function cookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name)
      return part.slice(at + 1).trim();
  }
  return undefined;
}
