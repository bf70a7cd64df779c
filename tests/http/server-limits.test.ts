import http, { type Server } from "node:http";
import type { AddressInfo } from "node:net";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  limitedServer,
  SERVER_LIMITS,
  type ServerLimits,
} from "../../src/web/server-limits.ts";

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function listen(limits: Partial<ServerLimits>): Promise<number> {
  server = limitedServer((_req, res) => res.end("ok"), {
    ...SERVER_LIMITS,
    ...limits,
  });
  server.listen(0, "127.0.0.1");
  await new Promise((resolve) => server!.once("listening", resolve));
  return (server.address() as AddressInfo).port;
}

// A slowloris connection: a request line and one header, never finished. Resolves once the
// server has taken it; `closed` resolves with what the server sent before closing it.
async function slowClient(port: number) {
  const socket = net.connect(port, "127.0.0.1");
  let received = "";
  socket.on("data", (chunk) => (received += chunk));
  const closed = new Promise<string>((resolve) =>
    socket.once("close", () => resolve(received)),
  );
  const taken = new Promise((resolve) => server!.once("connection", resolve));
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  await taken;
  return { socket, closed };
}

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: "/", agent: false }, (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve(`${res.statusCode} ${body}`));
      })
      .on("error", reject);
  });
}

describe("limitedServer", () => {
  it("sets Node's timeouts from the limits", async () => {
    await listen({});
    expect([
      server!.headersTimeout,
      server!.requestTimeout,
      server!.keepAliveTimeout,
      server!.timeout,
    ]).toEqual([10_000, 30_000, 5_000, 120_000]);
  });

  it("makes room for a new client by closing the connection that has waited longest without a request", async () => {
    const port = await listen({ maxConnections: 3 });
    const slow = [];
    for (let i = 0; i < 3; i++) slow.push(await slowClient(port));
    expect(await get(port)).toBe("200 ok");
    expect(await slow[0]!.closed).toBe("");
    expect(slow.map((s) => s.socket.destroyed)).toEqual([true, false, false]);
  });

  it("keeps a connection whose request is in progress", async () => {
    let release = () => {};
    server = limitedServer(
      (_req, res) => {
        release = () => res.end("done");
      },
      { ...SERVER_LIMITS, maxConnections: 1 },
    );
    server.listen(0, "127.0.0.1");
    await new Promise((resolve) => server!.once("listening", resolve));
    const port = (server.address() as AddressInfo).port;
    const busy = get(port);
    await new Promise((resolve) => server!.once("request", resolve));
    // No connection is waiting: the newcomer is the one turned away.
    await expect(get(port)).rejects.toThrow(/socket hang up|ECONNRESET/);
    release();
    expect(await busy).toBe("200 done");
  });

  it("answers 408 and closes a connection that sends its headers too slowly", async () => {
    const port = await listen({ headersSeconds: 0.2 });
    const { closed } = await slowClient(port);
    expect(await closed).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  });
});
