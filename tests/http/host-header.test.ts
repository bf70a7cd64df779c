import type { Server } from "node:http";
import net, { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureApp } from "../helpers.ts";

let server: Server;
let port: number;
beforeAll(async () => {
  server = (await fixtureApp()).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Sends `head` as written (a client library would not send two Host headers) and reads the status. */
function status(head: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let reply = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk) => {
      reply += chunk;
      const line = /^HTTP\/1\.1 (\d{3})/.exec(reply);
      if (line) {
        socket.destroy();
        resolve(Number(line[1]));
      }
    });
    socket.on("error", reject);
    socket.write(`${head}\r\nConnection: close\r\n\r\n`);
  });
}

describe("the host a request names", () => {
  it("is refused with 400 when named by two Host headers", async () => {
    expect(
      await status(
        `GET /search?q=flood HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nHost: evil.example`,
      ),
    ).toBe(400);
    expect(
      await status(
        `GET /-/health HTTP/1.1\r\nHost: localhost\r\nhost: localhost`,
      ),
    ).toBe(400);
  });

  it("is refused with 400 when the request line's address names another host", async () => {
    expect(
      await status(
        `GET http://evil.example/search?q=flood HTTP/1.1\r\nHost: 127.0.0.1:${port}`,
      ),
    ).toBe(400);
  });

  it("is answered when named once, in the Host header and the address alike", async () => {
    expect(
      await status(`GET /search?q=flood HTTP/1.1\r\nHost: 127.0.0.1:${port}`),
    ).toBe(200);
    expect(
      await status(
        `GET http://LOCALHOST:${port}/search?q=flood HTTP/1.1\r\nHost: localhost:${port}`,
      ),
    ).toBe(200);
  });
});
