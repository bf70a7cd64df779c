import { Router } from "express";
import { firstValue } from "../query/params.ts";
import { hashPassword, verifyPassword } from "../runtime/users.ts";
import { HttpError } from "./errors.ts";
import { guardWrite, type People } from "./people.ts";
import { urls } from "./urls.ts";
import { localPath, readForm } from "./workspace.ts";

/** Failed sign-ins allowed per name, and per address, in a window; then a wait. */
export const SIGN_IN_LIMITS = {
  perName: 5,
  perAddress: 20,
  windowMs: 15 * 60_000,
  /** Names and addresses remembered at most; the oldest are forgotten first. */
  remembered: 10_000,
};

/**
 * Counts failed sign-ins by key (a name, an address) in a sliding window, so a password cannot
 * be guessed at the speed of the network: past the limit, every try waits until the oldest
 * failure leaves the window, right password or not.
 */
export class Attempts {
  private readonly failures = new Map<string, number[]>();

  constructor(
    readonly limits = SIGN_IN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds to wait before another try, or 0. */
  wait(keys: [string, number][]): number {
    const now = this.now();
    let wait = 0;
    for (const [key, limit] of keys) {
      const recent = this.recent(key, now);
      if (recent.length >= limit)
        wait = Math.max(wait, recent[0]! + this.limits.windowMs - now);
    }
    return Math.ceil(wait / 1000);
  }

  failed(keys: string[]): void {
    const now = this.now();
    for (const key of keys) {
      const recent = this.recent(key, now);
      recent.push(now);
      this.failures.delete(key);
      this.failures.set(key, recent);
    }
    while (this.failures.size > this.limits.remembered)
      this.failures.delete(this.failures.keys().next().value!);
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter(
      (t) => now - t < this.limits.windowMs,
    );
  }
}

// Compared against when the name is unknown, so an unknown name takes as long as a known one.
const decoy = hashPassword("not a password");

/**
 * `/sign-in` (a page; POST `name`, `password`, `next`) and `/sign-out` (POST). Only with a
 * users file; without one there is nobody to sign in as, and both say so.
 */
export function signInRoutes(
  people: People,
  attempts = new Attempts(),
): Router {
  const router = Router();

  router.get("/sign-in", (req, res) => {
    if (!people.users) return res.redirect(303, urls.home());
    const session = people.sessions.ensure(req, res);
    res.render("sign-in", {
      title: "Sign in",
      token: session.token,
      next: localPath(firstValue(req.query.next)) ?? urls.home(),
      name: "",
      error: undefined,
    });
  });

  router.post("/sign-in", readForm, guardWrite(), async (req, res) => {
    const users = people.users;
    if (!users)
      throw new HttpError(404, "This Readout has no users: nobody signs in.");
    const body = req.body as Record<string, unknown>;
    const name = firstValue(body.name).trim().slice(0, 100);
    const password = firstValue(body.password);
    const next = localPath(firstValue(body.next)) ?? urls.home();
    const keys: [string, number][] = [
      [`name:${name}`, attempts.limits.perName],
      [`address:${req.ip}`, attempts.limits.perAddress],
    ];
    const wait = attempts.wait(keys);
    if (wait > 0) {
      res.set("Retry-After", String(wait));
      throw new HttpError(
        429,
        `Too many failed sign-ins: try again in ${Math.ceil(wait / 60)} minute${wait > 60 ? "s" : ""}.`,
      );
    }
    const user = users.get(name);
    const ok = user
      ? await verifyPassword(password, user.hash)
      : (await verifyPassword(password, await decoy), false);
    if (!user || !ok) {
      attempts.failed(keys.map(([key]) => key));
      const session = people.sessions.ensure(req, res);
      res.status(401).render("sign-in", {
        title: "Sign in",
        token: session.token,
        next,
        name,
        error: "That name and password do not match a user of this Readout.",
      });
      return;
    }
    attempts.forget(`name:${name}`);
    people.sessions.start(req, res, { name: user.name, role: user.role });
    res.redirect(303, next);
  });

  router.post("/sign-out", readForm, guardWrite(), (req, res) => {
    people.sessions.end(req, res);
    res.redirect(303, people.users ? urls.signIn() : urls.home());
  });

  return router;
}
