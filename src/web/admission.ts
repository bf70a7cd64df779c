import type { Request, RequestHandler, Response } from "express";

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
 * Default: 4 pages being worked on, 28 waiting. A results page takes 5–20 ms of processor time
 * on 17,000 statements, so the last in line waits about half a second on an idle core; past
 * that, a prompt 503 is more use to a client (and to a load balancer) than a wait of seconds.
 * Few run at once because their searches share one thread in slices: eight at once would
 * each take eight times as long, first come first served finishes the first ones sooner.
 */
export const DEFAULT_ADMISSION: AdmissionLimits = {
  running: 4,
  waiting: 28,
  retryAfter: 1,
};

/** Searches, the exports and batch: what costs a search. Statement pages, suggestions and assets do not. */
export function isHeavy(req: Request): boolean {
  if (/^\/(search|batch)(\.[a-z]+)?$/.test(req.path)) return true;
  if (req.path === "/feed.atom") return true;
  // Saved searches run their searches; a collection's exports read every statement of it.
  if (/^\/saved(\.json|\/[^/]+\.(json|atom)|\/[^/]+)?$/.test(req.path))
    return req.path !== "/saved/new";
  if (/^\/collections\/[^/]+\.(csv|jsonl|bib|ris|zip)$/.test(req.path))
    return true;
  return req.path === "/" && req.query.q !== undefined;
}

// Under overload a refusal must cost next to nothing, so it is a short text (or JSON for
// `.json`), not the error page: rendering that for every refused request would eat the
// processor time the admitted ones need.
function refuse(req: Request, res: Response, seconds: number): void {
  const message = `Readout is answering too many searches right now. Try again in ${seconds} s.`;
  res.status(503).set("Retry-After", String(seconds));
  res.setHeader("Cache-Control", "no-store");
  if (req.path.endsWith(".json")) res.json({ error: { status: 503, message } });
  else res.type("text/plain").send(message);
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
    if (running >= limits.running && queue.length >= limits.waiting)
      return refuse(req, res, limits.retryAfter);
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
