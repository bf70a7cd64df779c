import http, { type RequestListener, type Server } from "node:http";
import type { Socket } from "node:net";

/** What one client may hold of the server; Node's defaults let slow clients keep it all. */
export interface ServerLimits {
  /** Seconds a client has to send a request's headers: slowloris sends them a line at a time. Default 10. */
  headersSeconds: number;
  /** Seconds a client has to send a whole request, body included. Default 30. */
  requestSeconds: number;
  /** Seconds an idle keep-alive connection stays open between requests. Default 5. */
  keepAliveSeconds: number;
  /** Seconds a connection may send and receive nothing (a client that stops reading). Default 120. */
  idleSeconds: number;
  /**
   * Connections open at once. Past it, the connection that has waited longest without a
   * request in progress is closed to make room, so slow clients cannot lock others out, and
   * the server stays well under its file-descriptor limit. Default 2048.
   */
  maxConnections: number;
}

export const SERVER_LIMITS: ServerLimits = {
  headersSeconds: 10,
  requestSeconds: 30,
  keepAliveSeconds: 5,
  idleSeconds: 120,
  maxConnections: 2048,
};

/** An HTTP server for `app`, with the limits set before it accepts anything. */
export function limitedServer(
  app: RequestListener,
  limits: ServerLimits = SERVER_LIMITS,
): Server {
  // Node checks header and request timeouts every `connectionsCheckingInterval` (30 s by
  // default), which would let a slow client stay three times its allowance. It can only be
  // set when the server is created.
  const server = http.createServer(
    {
      connectionsCheckingInterval: Math.max(
        10,
        Math.min(1000, limits.headersSeconds * 250),
      ),
    },
    app,
  );
  return hardenServer(server, limits);
}

/** Applies `limits` to a server: timeouts, and the connection cap with its eviction. */
export function hardenServer(
  server: Server,
  limits: ServerLimits = SERVER_LIMITS,
): Server {
  server.headersTimeout = limits.headersSeconds * 1000;
  server.requestTimeout = limits.requestSeconds * 1000;
  server.keepAliveTimeout = limits.keepAliveSeconds * 1000;
  // With no 'timeout' listener, Node destroys a socket idle this long.
  server.setTimeout(limits.idleSeconds * 1000);

  // Connections with no request in progress, longest waiting first (a Set keeps insertion
  // order): those a slow client holds, or idle keep-alive ones.
  const waiting = new Set<Socket>();
  let open = 0;
  server.on("connection", (socket: Socket) => {
    open++;
    socket.once("close", () => {
      open--;
      waiting.delete(socket);
    });
    if (open > limits.maxConnections) {
      const oldest = waiting.values().next().value;
      if (!oldest) return socket.destroy();
      waiting.delete(oldest);
      oldest.destroy();
    }
    waiting.add(socket);
  });
  server.on("request", (req, res) => {
    const socket = req.socket;
    waiting.delete(socket);
    res.once("close", () => {
      if (!socket.destroyed) waiting.add(socket);
    });
  });
  return server;
}
