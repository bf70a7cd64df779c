import type { RequestHandler } from "express";
import type { Archive } from "../archive.ts";

/** What `/-/health` answers: `ready` with 200, `loading` or `failed` with 503. */
export interface Health {
  status: "ready" | "loading" | "failed";
  /** Statements read or indexed so far, and how many there are when known. */
  done: number;
  total?: number;
  /** What fails and is being tried again (a full disk); searching goes on, so still 200. */
  warnings?: string[];
}

/**
 * `/-/health`, for a container's health check, a service manager or a load balancer: 200
 * once the archive answers searches, 503 while it loads or when it could not be loaded. It
 * says nothing about the archive but its progress, so it is answered for any host name.
 */
export function health(archive: Archive): RequestHandler {
  return (_req, res) => {
    const { phase, done, total, warnings } = archive.state();
    const status: Health["status"] =
      phase === "ready" ? "ready" : phase === "failed" ? "failed" : "loading";
    const body: Health = {
      status,
      done,
      ...(total ? { total } : {}),
      ...(warnings?.length ? { warnings } : {}),
    };
    res.status(status === "ready" ? 200 : 503).json(body);
  };
}
