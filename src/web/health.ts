import type { RequestHandler } from "express";
import type { Archive } from "../archive.ts";

/**
 * What `/-/health` answers: `ready` with 200; `partial` with 200 when a part of the archive
 * does not answer (searches are answered from the rest, and restarting Readout would not
 * bring it back); `loading` or `failed` with 503.
 */
export interface Health {
  status: "ready" | "partial" | "loading" | "failed";
  /** Statements read or indexed so far, and how many there are when known. */
  done: number;
  total?: number;
  /** What fails and is being tried again (a full disk); searching goes on, so still 200. */
  warnings?: string[];
  /** The parts that do not answer, by number only (`shard 2`): health is answered to anyone. */
  unavailable?: string[];
}

/**
 * `/-/health`, for a container's health check, a service manager or a load balancer: 200
 * once the archive answers searches, 503 while it loads or when it could not be loaded. It
 * says nothing about the archive but its progress, so it is answered for any host name.
 */
export function health(archive: Archive): RequestHandler {
  return async (_req, res) => {
    const { phase, done, total, warnings } = archive.state();
    // Asked of the shards each time (one trivial query each): a shard that stopped is seen at once.
    const unavailable =
      phase === "ready" ? ((await archive.missingParts?.()) ?? []) : [];
    const status: Health["status"] =
      phase === "ready"
        ? unavailable.length
          ? "partial"
          : "ready"
        : phase === "failed"
          ? "failed"
          : "loading";
    const body: Health = {
      status,
      done,
      ...(total ? { total } : {}),
      ...(warnings?.length ? { warnings } : {}),
      ...(unavailable.length ? { unavailable } : {}),
    };
    res
      .status(status === "ready" || status === "partial" ? 200 : 503)
      .json(body);
  };
}
