import type { Request, RequestHandler } from "express";
import { HttpError } from "./errors.ts";

/** How many heavy requests (searches, exports, batches) are taken at once. */
export interface AdmissionLimits {
  /** Heavy requests answered at the same time; their searches take turns in slices. */
  running: number;
  /** Heavy requests waiting for a turn; one more is refused at once. */
  waiting: number;
  /** Seconds a refused client is told to wait (`Retry-After`). */
  retryAfter: number;
}

/**
 * Default: 8 pages being worked on, 56 waiting. A results page takes 5–20 ms of processor time
 * on 17,000 statements, so the last in line waits well under a second; past that, a prompt
 * 503 is more use to a client (and to a load balancer) than a wait of several seconds.
 */
export const DEFAULT_ADMISSION: AdmissionLimits = {
  running: 8,
  waiting: 56,
  retryAfter: 1,
};

/** Searches, the exports and batch: what costs a search. Statement pages, suggestions and assets do not. */
export function isHeavy(req: Request): boolean {
  if (/^\/(search|batch)(\.[a-z]+)?$/.test(req.path)) return true;
  return req.path === "/" && req.query.q !== undefined;
}

/**
 * Admits heavy requests (`isHeavy`) up to `running` at once and queues `waiting` more, first
 * come first served; past that, answers 503 with `Retry-After` at once. A request leaves its
 * place when its response is finished or its client goes away, waiting or not.
 */
export function admission(
  limits: AdmissionLimits = DEFAULT_ADMISSION,
): RequestHandler {
  let running = 0;
  const queue: (() => void)[] = [];
  const next = () => {
    running--;
    const start = queue.shift();
    if (start) start();
  };
  return (req, res, go) => {
    if (!isHeavy(req)) return go();
    if (running >= limits.running && queue.length >= limits.waiting) {
      res.set("Retry-After", String(limits.retryAfter));
      throw new HttpError(
        503,
        `Readout is answering too many searches right now. Try again in ${limits.retryAfter} s.`,
      );
    }
    let done = false;
    const start = () => {
      running++;
      res.once("close", () => {
        if (!done) next();
        done = true;
      });
      go();
    };
    if (running < limits.running) return start();
    queue.push(start);
    // Gone while waiting: give its place up, and never start it.
    res.once("close", () => {
      const at = queue.indexOf(start);
      if (at >= 0) queue.splice(at, 1);
    });
  };
}
