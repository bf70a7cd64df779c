import type { Request, RequestHandler, Response } from "express";
import {
  AdmissionQueue,
  Busy,
  RETRY_AFTER_SECONDS,
} from "../runtime/admission.ts";

/** How many heavy requests are taken at once, and how many wait, in each pool. */
export interface AdmissionLimits {
  /** Searches, batches and diffs answered at the same time; their work takes turns in slices. */
  running: number;
  /** Searches, batches and diffs waiting for a turn; one more is refused at once. */
  waiting: number;
  /** Seconds a refused client is told to wait (`Retry-After`). */
  retryAfter: number;
  /**
   * Exports (CSV, JSON Lines, all-JSON, Atom) in a pool of their own: an export holds its
   * place while a slow client reads it, and must not keep searches waiting meanwhile.
   */
  exports?: { running: number; waiting: number };
}

/**
 * Default: 4 pages being worked on, 28 waiting; 2 exports streaming, 8 waiting. A results
 * page takes 5–20 ms of processor time on 17,000 statements, so the last in line waits about
 * half a second on an idle core; past that, a prompt 503 is more use to a client (and to a
 * load balancer) than a wait of seconds. Few run at once because their searches share one
 * thread in slices: eight at once would each take eight times as long, first come first
 * served finishes the first ones sooner.
 */
export const DEFAULT_ADMISSION: AdmissionLimits = {
  running: 4,
  waiting: 28,
  retryAfter: RETRY_AFTER_SECONDS,
  exports: { running: 2, waiting: 8 },
};

/** The pools a route can declare its work in. */
export type Pool = "search" | "export";

/**
 * Admission by route: each heavy route names its pool (`admit.search`, `admit.export`), so
 * what is heavy is decided by the route that matched, never by a pattern on the raw path
 * (which `/SEARCH` or `/search/` would slip past). Within a pool, places are shared fairly
 * between clients (`clientOf`): one client holds at most all but one place while others may
 * come, and gets no more while others wait (runtime/admission.ts).
 */
export interface Admit {
  search: RequestHandler;
  export: RequestHandler;
  /** For a handler that learns it is heavy only once it has read its path: false when refused (answered). */
  enter(req: Request, res: Response, pool: Pool): Promise<boolean>;
}

export function admission(limits: AdmissionLimits = DEFAULT_ADMISSION): Admit {
  const exports = limits.exports ?? DEFAULT_ADMISSION.exports!;
  const queue = (running: number, waiting: number) =>
    new AdmissionQueue({
      running,
      waiting,
      // One place kept for a client that is not yet here.
      perClient: Math.max(1, running - 1),
      retryAfter: limits.retryAfter,
    });
  const pools: Record<Pool, AdmissionQueue> = {
    search: queue(limits.running, limits.waiting),
    export: queue(exports.running, exports.waiting),
  };
  const enter = async (
    req: Request,
    res: Response,
    pool: Pool,
  ): Promise<boolean> => {
    const gone = new AbortController();
    const close = () => gone.abort();
    res.once("close", close);
    try {
      const leave = await pools[pool].enter(clientOf(req), gone.signal);
      // A place is held until the answer is sent or its client goes away.
      if (gone.signal.aborted) leave();
      else res.once("close", leave);
      return !gone.signal.aborted;
    } catch (err) {
      if (err instanceof Busy) refuse(req, res, err);
      return false;
    } finally {
      res.off("close", close);
    }
  };
  const handler =
    (pool: Pool): RequestHandler =>
    (req, res, next) =>
      void enter(req, res, pool).then((admitted) => admitted && next());
  return { search: handler("search"), export: handler("export"), enter };
}

/**
 * Who is asking, for sharing places fairly: the client's address as Express reads it, the
 * connecting address, or with `trust proxy` the address the trusted proxies forwarded (the
 * nearest untrusted one in `X-Forwarded-For`). IPv6 addresses count by their /64 network,
 * which one subscriber usually holds whole; IPv4-mapped ones as IPv4.
 */
export function clientOf(req: Request): string {
  const address = req.ip ?? req.socket.remoteAddress ?? "";
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  return address.includes(":") ? ipv6Network(address) : address;
}

// The first four groups of an IPv6 address, `::` expanded: `2001:db8::1` → `2001:db8:0:0`.
function ipv6Network(address: string): string {
  const zone = address.indexOf("%");
  const bare = zone < 0 ? address : address.slice(0, zone);
  const [head = "", tail] = bare.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  return groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ""))
    .join(":");
}

// Under overload a refusal must cost next to nothing, so it is a short text (or JSON for
// `.json`), not the error page: rendering that for every refused request would eat the
// processor time the admitted ones need.
export function refuse(req: Request, res: Response, busy: Busy): void {
  res.status(503).set("Retry-After", String(busy.retryAfter));
  res.setHeader("Cache-Control", "no-store");
  if (req.path.endsWith(".json"))
    res.json({ error: { status: 503, message: busy.message } });
  else res.type("text/plain").send(busy.message);
}
