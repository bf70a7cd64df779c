import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import type { Archive } from "../../src/archive.ts";
import type { AdmissionLimits } from "../../src/web/admission.ts";
import { createApp } from "../../src/web/app.ts";
import { fixtureArchive } from "../helpers.ts";

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** The fixture app whose searches wait until `release()`; `started` counts searches begun. */
async function heldApp(limits: AdmissionLimits) {
  const archive = await fixtureArchive();
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const counter = { started: 0 };
  const slow = Object.create(archive) as Archive;
  slow.search = async (query, signal) => {
    counter.started++;
    await held;
    return archive.search(query, signal);
  };
  server = createApp(slow, { env: "test", admission: limits }).listen(
    0,
    "127.0.0.1",
  );
  await new Promise((resolve) => server!.once("listening", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++)
      await new Promise((r) => setTimeout(r, 5));
  };
  return { origin, counter, release, until };
}

describe("admission", () => {
  it("answers 503 with Retry-After at once when the one place is taken and none wait", async () => {
    const { origin, counter, release, until } = await heldApp({
      running: 1,
      waiting: 0,
      retryAfter: 3,
    });
    const first = request(origin)
      .get("/search?q=statement")
      .then((r) => r);
    await until(() => counter.started === 1);
    const second = await request(origin).get("/search.json?q=statement");
    expect(second.status).toBe(503);
    expect(second.headers["retry-after"]).toBe("3");
    expect(second.body.error.status).toBe(503);
    // Pages that cost no search are still answered.
    expect((await request(origin).get("/help")).status).toBe(200);
    release();
    expect((await first).status).toBe(200);
    expect(counter.started).toBe(1);
    // The place is free again.
    expect((await request(origin).get("/search?q=statement")).status).toBe(200);
  });

  it("lets a request wait for a free place, then answers it", async () => {
    const { origin, counter, release, until } = await heldApp({
      running: 1,
      waiting: 1,
      retryAfter: 1,
    });
    const first = request(origin)
      .get("/search?q=statement")
      .then((r) => r);
    await until(() => counter.started === 1);
    const second = request(origin)
      .get("/search?q=harbour")
      .then((r) => r);
    const third = await request(origin).get("/search.csv?q=flood");
    expect(third.status).toBe(503);
    expect(counter.started).toBe(1);
    release();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect(counter.started).toBe(2);
  });
});
