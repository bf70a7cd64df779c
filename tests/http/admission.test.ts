import type { Request } from "express";
import http, { type Server } from "node:http";
import type { AddressInfo } from "node:net";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import type { Archive } from "../../src/archive.ts";
import { AdmissionQueue, Busy } from "../../src/runtime/admission.ts";
import {
  clientOf,
  DEFAULT_ADMISSION,
  type AdmissionLimits,
} from "../../src/web/admission.ts";
import { createApp } from "../../src/web/app.ts";
import { fixtureArchive } from "../helpers.ts";

let server: Server | undefined;
afterEach(async () => {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((resolve) => server!.close(resolve));
  server = undefined;
});

/**
 * The fixture app, listening, whose searches and exports for a query starting with `held`
 * wait until `release()`; `counter` counts them begun and running now.
 */
async function heldApp(
  limits: AdmissionLimits = DEFAULT_ADMISSION,
  trustProxy?: string,
) {
  const archive = await fixtureArchive();
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const counter = { started: 0, running: 0, most: 0 };
  const hold = async (q: string) => {
    if (!q.startsWith("held")) return;
    counter.started++;
    counter.most = Math.max(counter.most, ++counter.running);
    await held;
    counter.running--;
  };
  const slow = Object.create(archive) as Archive;
  slow.search = async (query, signal) => {
    await hold(query.q);
    return archive.search(query, signal);
  };
  slow.stream = async (query, signal) => {
    await hold(query.q);
    return archive.stream(query, signal);
  };
  server = createApp(slow, {
    env: "test",
    admission: limits,
    ...(trustProxy ? { trustProxy } : {}),
  }).listen(0, "127.0.0.1");
  await new Promise((resolve) => server!.once("listening", resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 400 && !check(); i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(check()).toBe(true);
  };
  return { origin, port, counter, release, until };
}

/**
 * A GET from another address of this computer (all of 127.0.0.0/8 is loopback on Linux):
 * a second client, as the server tells clients apart.
 */
function getFrom(
  from: string,
  port: number,
  path: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: "127.0.0.1", port, path, localAddress: from, agent: false },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, body }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
  });
}

describe("admission", () => {
  it("answers 503 with Retry-After at once when the one place is taken and none wait", async () => {
    const { origin, counter, release, until } = await heldApp({
      running: 1,
      waiting: 0,
      retryAfter: 3,
    });
    const first = request(origin)
      .get("/search?q=held")
      .then((r) => r);
    await until(() => counter.started === 1);
    const second = await request(origin).get("/search.json?q=held2");
    expect(second.status).toBe(503);
    expect(second.headers["retry-after"]).toBe("3");
    expect(second.body.error.message).toBe(new Busy(3).message);
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
      .get("/search?q=held")
      .then((r) => r);
    await until(() => counter.started === 1);
    const second = request(origin)
      .get("/search?q=held-harbour")
      .then((r) => r);
    const third = await request(origin).post("/batch").type("form").send({
      lines: "flood",
    });
    expect(third.status).toBe(503);
    expect(counter.started).toBe(1);
    release();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect(counter.started).toBe(2);
  });

  it("takes a page at one spelling: others are redirected there before they cost a search", async () => {
    const { origin, counter, release, until } = await heldApp({
      running: 1,
      waiting: 0,
      retryAfter: 1,
    });
    const first = request(origin)
      .get("/search?q=held")
      .then((r) => r);
    await until(() => counter.started === 1);
    for (const [path, canonical] of [
      ["/SEARCH?q=held", "/search?q=held"],
      ["/Search.CSV?q=held", "/search.csv?q=held"],
      ["/search/?q=held", "/search?q=held"],
      ["/search.csv/?q=held", "/search.csv?q=held"],
      ["/search.Json?q=held", "/search.json?q=held"],
      ["/%73earch?q=held", "/search?q=held"],
    ] as const) {
      const res = await request(origin).get(path);
      expect([path, res.status, res.headers.location]).toEqual([
        path,
        308,
        canonical,
      ]);
    }
    const batch = await request(origin)
      .post("/BATCH")
      .type("form")
      .send({ lines: "held" });
    expect([batch.status, batch.headers.location]).toEqual([308, "/batch"]);
    // Followed, the canonical page waits for its turn like any other: here, none is free.
    expect((await request(origin).get("/search?q=held-again")).status).toBe(
      503,
    );
    expect(counter.started).toBe(1);
    // An id keeps its case; a path no route takes stays a 404.
    expect(
      (await request(origin).get("/STATEMENTS/no-such-id")).headers.location,
    ).toBe("/statements/no-such-id");
    expect((await request(origin).get("/nowhere/")).status).toBe(404);
    expect((await request(origin).get("//search")).status).toBe(404);
    release();
    expect((await first).status).toBe(200);
  });

  it("answers searches and statement pages of one client while another runs many exports and searches", async () => {
    const { origin, port, counter, release, until } = await heldApp();
    const hostile = [
      ...Array.from({ length: 40 }, (_, i) =>
        request(origin)
          .get(`/search.json?q=held${i}`)
          .then((r) => r.status),
      ),
      ...Array.from({ length: 20 }, (_, i) =>
        request(origin)
          .get(`/search.csv?q=held-export${i}`)
          .then((r) => r.status),
      ),
    ];
    // All but one search place and one export place are taken by the first client.
    await until(() => counter.running === 4);
    const other = "127.0.0.2";
    const answers = await Promise.all([
      getFrom(other, port, "/search.json?q=statement"),
      getFrom(other, port, "/search.json?q=harbour"),
      getFrom(other, port, "/search?q=flood"),
      getFrom(other, port, "/statements/markup-lt-amp"),
      getFrom(other, port, "/search.csv?q=statement"),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(JSON.parse(answers[0]!.body).total).toBeGreaterThan(0);
    // Meanwhile the first client held no more than its share, and the rest of it waited or
    // was refused.
    expect(counter.most).toBe(4);
    release();
    const statuses = await Promise.all(hostile);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
  });
});

describe("a client", () => {
  it("is told apart by the address its trusted proxy forwards, IPv6 by its /64", async () => {
    const { origin, counter, release, until } = await heldApp(
      { running: 2, waiting: 0, retryAfter: 1 },
      "loopback",
    );
    const via = (address: string, q: string) =>
      request(origin)
        .get(`/search.json?q=${q}`)
        .set("X-Forwarded-For", address)
        .then((r) => r.status);
    // One place each at most: the first client's second search is refused …
    const first = via("203.0.113.7", "held1");
    await until(() => counter.running === 1);
    expect(await via("203.0.113.7", "held2")).toBe(503);
    // … and the same /64 is the same client, while another address is answered.
    const v6 = via("2001:db8:1:2::10", "held3");
    await until(() => counter.running === 2);
    release();
    expect(await via("198.51.100.9", "statement")).toBe(200);
    expect([await first, await v6]).toEqual([200, 200]);
    expect(clientOf({ ip: "2001:db8:1:2:aaaa::1" } as Request)).toBe(
      clientOf({ ip: "2001:0db8:0001:0002::99" } as Request),
    );
    expect(clientOf({ ip: "::ffff:192.0.2.1" } as Request)).toBe("192.0.2.1");
  });
});

describe("the admission queue", () => {
  const held = () => {
    let release!: () => void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    return { promise, release };
  };

  it("gives a free place to the waiting client running least, not to the first in line", async () => {
    const queue = new AdmissionQueue({ running: 2, waiting: 10 });
    const order: string[] = [];
    const gate = held();
    const run = (client: string, name: string) =>
      queue.run(async () => {
        order.push(name);
        await gate.promise;
      }, client);
    const work = [
      run("a", "a1"),
      run("a", "a2"),
      run("a", "a3"),
      run("a", "a4"),
      run("b", "b1"),
    ];
    await new Promise((r) => setTimeout(r, 0));
    expect(order).toEqual(["a1", "a2"]);
    gate.release();
    await Promise.all(work);
    expect(order).toEqual(["a1", "a2", "b1", "a3", "a4"]);
  });

  it("keeps one client to its cap while places are free, and lets others in", async () => {
    const queue = new AdmissionQueue({ running: 4, waiting: 10, perClient: 3 });
    const gate = held();
    const a = Array.from({ length: 5 }, () =>
      queue.run(() => gate.promise, "a"),
    );
    await new Promise((r) => setTimeout(r, 0));
    expect(queue.load).toEqual({ running: 3, waiting: 2 });
    const b = queue.run(async () => "b", "b");
    expect(await b).toBe("b");
    gate.release();
    await Promise.all(a);
  });

  it("makes room for a client with little waiting by refusing the newest of the one with most", async () => {
    const queue = new AdmissionQueue({ running: 1, waiting: 3 });
    const gate = held();
    const outcome = (p: Promise<unknown>) =>
      p.then(
        () => "done",
        (e: unknown) => (e instanceof Busy ? "busy" : "error"),
      );
    const a = [0, 1, 2, 3].map(() =>
      outcome(queue.run(() => gate.promise, "a")),
    );
    // Full: a runs one and waits three; b takes a's newest place.
    const b = outcome(queue.run(async () => undefined, "b"));
    // a asking again is refused: it has the most waiting.
    const a5 = outcome(queue.run(async () => undefined, "a"));
    expect(await a[3]).toBe("busy");
    expect(await a5).toBe("busy");
    gate.release();
    expect(await b).toBe("done");
    expect(await Promise.all(a.slice(0, 3))).toEqual(["done", "done", "done"]);
  });

  it("gives a waiting place up when its client goes away", async () => {
    const queue = new AdmissionQueue({ running: 1, waiting: 1 });
    const gate = held();
    const first = queue.run(() => gate.promise, "a");
    const gone = new AbortController();
    const waiting = queue.enter("b", gone.signal);
    gone.abort(new Error("gone"));
    await expect(waiting).rejects.toThrow("gone");
    expect(queue.load).toEqual({ running: 1, waiting: 0 });
    gate.release();
    await first;
    expect(queue.load).toEqual({ running: 0, waiting: 0 });
  });
});
