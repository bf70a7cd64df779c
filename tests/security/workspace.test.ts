/**
 * The workspace's writes: what a page on another site, a stale or missing token, a reader, or
 * another person cannot do; sign-in, its rate limit and session expiry; and notes and names
 * holding every hostile payload, escaped wherever they are shown.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Express } from "express";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { MemoryArchive } from "../../src/archive.ts";
import type { PipelineArchive } from "../../src/search/archive.ts";
import { loadStatements } from "../../src/ingest/load.ts";
import { hashPassword, type User } from "../../src/runtime/users.ts";
import { createApp } from "../../src/web/app.ts";
import { SIGN_IN_LIMITS } from "../../src/web/sign-in.ts";
import { fixtureData } from "../helpers.ts";
import { client } from "../workspace/suite.ts";
import { responseProblems } from "./check.ts";
import { payloads } from "./payloads.ts";

// scrypt made cheap for tests: the cost is in the hash, so verifying reads it from there.
// Dozens of requests each, and a sign-in or two: more than 5 s on a machine shared by many.
vi.setConfig({ testTimeout: 30_000 });

const CHEAP = { ln: 4, r: 8, p: 1 };
const IDLE_MS = 60_000;

let dir: string;
let archive: PipelineArchive;
let now = Date.UTC(2025, 0, 1);
let shared: Express;
let local: Express;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "readout-ws-security-"));
  const { statements } = await loadStatements(fixtureData);
  archive = MemoryArchive.fromStatements(statements, {
    dataDir: fixtureData,
    workspaceDir: dir,
  });
  await archive.open();
  const users = new Map<string, User>();
  for (const [name, role] of [
    ["alice", "editor"],
    ["bob", "editor"],
    ["rita", "reader"],
  ] as const)
    users.set(name, {
      name,
      role,
      hash: await hashPassword(`${name} password`, CHEAP),
    });
  const options = {
    env: "test",
    clock: () => now,
    sessions: { idleMs: IDLE_MS, maxMs: 10 * IDLE_MS, max: 100 },
  };
  shared = createApp(archive, { ...options, users });
  local = createApp(archive, options);
}, 60_000);

afterAll(async () => {
  await archive?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A browser of `name`, signed in to the shared server. */
async function person(name: string) {
  const c = await client(shared);
  const form = await c.agent.get("/sign-in").expect(200);
  const token = /name="token" value="([^"]+)"/.exec(form.text)![1]!;
  const res = await c.agent
    .post("/sign-in")
    .type("form")
    .set("Origin", c.base)
    .send({ token, name, password: `${name} password`, next: "/collections" });
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe("/collections");
  await c.signIn();
  return c;
}

describe("writes on this computer, without sign-in", () => {
  it("refuse a POST from another site, or without this session's token", async () => {
    const c = await client(local);
    await c.signIn();
    const tries: [Record<string, string>, Record<string, string>, RegExp][] = [
      [
        { Origin: "http://evil.example" },
        {},
        /sent from http:\/\/evil\.example/,
      ],
      [{ Origin: "null" }, {}, /sent from null/],
      [
        { "Sec-Fetch-Site": "cross-site" },
        {},
        /another site \(Sec-Fetch-Site: cross-site\)/,
      ],
      [{ "Sec-Fetch-Site": "same-site" }, {}, /another site/],
      [{}, { token: "" }, /token is missing or wrong/],
      [{}, { token: "forged" }, /token is missing or wrong/],
    ];
    for (const [headers, fields, message] of tries) {
      const res = await c.post(
        "/collections",
        { name: "Planted", ...fields },
        {
          ...headers,
          Accept: "application/json",
        },
      );
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(message);
    }
    // Neither Origin nor Sec-Fetch-Site: not from a page of this server.
    const bare = await c.agent
      .post("/collections")
      .type("form")
      .set("Accept", "application/json")
      .send({ name: "Planted" });
    expect(bare.status).toBe(403);
    expect(bare.body.error.message).toMatch(
      /neither Origin nor Sec-Fetch-Site/,
    );
    // Another browser's session and token, or none: refused too.
    const other = await client(local);
    const fresh = await other.agent
      .post("/collections")
      .type("form")
      .set("Origin", other.base)
      .set("Accept", "application/json")
      .send({ name: "Planted", token: "x" });
    expect(fresh.status).toBe(403);
    expect(fresh.body.error.message).toMatch(/form has expired/);
    const list = await c.agent.get("/collections.json").expect(200);
    expect(list.body.own.map((x: { name: string }) => x.name)).not.toContain(
      "Planted",
    );
    // The same form from this server's page is taken, and its cookie cannot be read by scripts.
    await c.post("/collections", { name: "Mine" }).expect(303);
    await c.close();
    await other.close();
  });

  it("give the session cookie as HttpOnly and SameSite=Strict", async () => {
    const c = await client(local);
    const res = await c.agent.get("/collections").expect(200);
    expect(res.headers["set-cookie"]![0]).toMatch(
      /^readout_session=[\w-]{32}; Path=\/; HttpOnly; SameSite=Strict$/,
    );
    await c.close();
  });
});

describe("people on a shared server", () => {
  it("ask for a sign-in before any page, and answer data with a 401", async () => {
    const c = await client(shared);
    await c.agent
      .get("/collections")
      .expect(303)
      .expect("location", "/sign-in?next=%2Fcollections");
    await c.agent.get("/search?q=ceasefire").expect(303);
    await c.agent.get("/collections.json").expect(401);
    await c.agent.get("/search.csv?q=ceasefire").expect(401);
    await c.close();
  });

  it("sign in with the right password only, and get a new session when they do", async () => {
    const c = await client(shared);
    const page = await c.agent.get("/sign-in").expect(200);
    const before = page.headers["set-cookie"]![0]!.split(";")[0];
    const token = /name="token" value="([^"]+)"/.exec(page.text)![1]!;
    const wrong = await c.agent
      .post("/sign-in")
      .type("form")
      .set("Origin", c.base)
      .send({ token, name: "alice", password: "guess" });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain("That name and password do not match");
    const right = await c.agent
      .post("/sign-in")
      .type("form")
      .set("Origin", c.base)
      .send({ token, name: "alice", password: "alice password" });
    expect(right.status).toBe(303);
    expect(right.headers["set-cookie"]![0]!.split(";")[0]).not.toBe(before);
    await c.agent.get("/collections").expect(200);
    await c.close();
  });

  it("keep a reader from writing, and another person from changing what is not theirs", async () => {
    const alice = await person("alice");
    const bob = await person("bob");
    const rita = await person("rita");
    await alice.post("/collections", { name: "Alice's evidence" }).expect(303);
    await alice
      .post("/collections/alice-s-evidence/statements", {
        id: "press-release",
        note: "mine",
      })
      .expect(303);
    await alice
      .post("/saved", { name: "Alice's search", search: "q=ceasefire" })
      .expect(303);
    // Not shared: the others do not see it.
    await bob.agent.get("/collections/alice-s-evidence").expect(404);
    await rita.agent.get("/collections/alice-s-evidence.json").expect(404);
    await bob.agent.get("/saved/alice-s-search").expect(404);
    await alice
      .post("/collections/alice-s-evidence/share", { shared: "on" })
      .expect(303);
    // Shared: read, exported, but not changed.
    const seen = await bob.agent
      .get("/collections/alice-s-evidence.json")
      .expect(200);
    expect(seen.body).toMatchObject({
      owner: "alice",
      mine: false,
      canWrite: false,
      count: 1,
    });
    await rita.agent.get("/collections/alice-s-evidence.csv").expect(200);
    const json = { Accept: "application/json" };
    for (const [who, url, fields] of [
      [bob, "/collections/alice-s-evidence/statements", { id: "crlf-bom" }],
      [
        bob,
        "/collections/alice-s-evidence/statements/press-release/remove",
        {},
      ],
      [bob, "/collections/alice-s-evidence/delete", {}],
      [rita, "/collections/alice-s-evidence/statements", { id: "crlf-bom" }],
      [rita, "/collections", { name: "Rita's" }],
      [rita, "/saved", { name: "Rita's search", search: "q=ceasefire" }],
    ] as const) {
      const res = await who.post(url, fields, json);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(
        /only they can change it|readers cannot change/,
      );
    }
    expect(
      (await alice.agent.get("/collections/alice-s-evidence.json")).body.count,
    ).toBe(1);
    // Each person's lists are their own.
    expect((await bob.agent.get("/saved.json")).body.searches).toEqual([]);
    expect(
      (await bob.agent.get("/collections.json")).body.shared.map(
        (x: { slug: string }) => x.slug,
      ),
    ).toEqual(["alice-s-evidence"]);
    for (const c of [alice, bob, rita]) await c.close();
  });

  it("end a session left idle, and one too old however used", async () => {
    const alice = await person("alice");
    now += IDLE_MS - 1000;
    await alice.agent.get("/collections").expect(200);
    now += IDLE_MS - 1000;
    await alice.agent.get("/collections").expect(200);
    now += IDLE_MS + 1;
    await alice.agent
      .get("/collections")
      .expect(303)
      .expect("location", /^\/sign-in/);
    const res = await alice.post(
      "/collections",
      { name: "Late" },
      { Accept: "application/json" },
    );
    expect(res.status).toBe(401);
    const busy = await person("alice");
    // Used every half minute, it still ends ten minutes (maxMs) after it began.
    for (let i = 0; i < 19; i++) {
      now += IDLE_MS / 2;
      await busy.agent.get("/collections").expect(200);
    }
    now += 2 * (IDLE_MS / 2);
    await busy.agent.get("/collections").expect(303);
    await alice.close();
    await busy.close();
  });

  it("slow down guessing: after a few wrong passwords, even the right one waits", async () => {
    const c = await client(shared);
    const attempt = async (password: string) => {
      const token = /name="token" value="([^"]+)"/.exec(
        (await c.agent.get("/sign-in")).text,
      )![1]!;
      return c.agent
        .post("/sign-in")
        .type("form")
        .set("Origin", c.base)
        .send({ token, name: "bob", password });
    };
    for (let i = 0; i < SIGN_IN_LIMITS.perName; i++)
      expect((await attempt("wrong")).status).toBe(401);
    const refused = await attempt("bob password");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    expect(refused.text).toContain("Too many failed sign-ins");
    now += SIGN_IN_LIMITS.windowMs + 1;
    expect((await attempt("bob password")).status).toBe(303);
    await c.close();
  });
});

describe("hostile names and notes", () => {
  it("are refused where a field cannot hold them, and escaped wherever they are shown", async () => {
    const c = await client(local);
    await c.signIn();
    const made = await c.post("/collections", {
      name: "Hostile <script>alert(1)</script>",
    });
    expect(made.status).toBe(303);
    const slug = made.headers.location!.replace("/collections/", "");
    const statements = [
      "press-release",
      "crlf-bom",
      "markup-lt-amp",
      "seed-format-ceasefire",
      "long-body",
    ];
    let accepted = 0;
    for (const [i, p] of payloads.entries()) {
      const note = [
        p.text,
        `**${p.text}**`,
        `[link](${p.text})`,
        `\`${p.text}\``,
        `> ${p.text}`,
      ].join("\n\n");
      const res = await c.post(
        `/collections/${slug}/statements`,
        { id: statements[i % statements.length]!, note, tags: p.text },
        { Accept: "application/json" },
      );
      // A tag holds only letters, digits and a few signs: a payload there is a 400 about the tags.
      if (res.status === 400) {
        expect(res.body.error.message).toMatch(/^(tags|note): /);
        const untagged = await c.post(
          `/collections/${slug}/statements`,
          { id: statements[i % statements.length]!, note },
          { Accept: "application/json" },
        );
        if (untagged.status === 400)
          expect(untagged.body.error.message).toMatch(
            /^note: control characters/,
          );
        else accepted++;
      } else accepted++;
      if (
        i % statements.length === statements.length - 1 ||
        i === payloads.length - 1
      )
        for (const url of [
          `/collections/${slug}`,
          `/collections/${slug}.json`,
          "/collections",
          `/collections/${slug}.jsonl`,
        ])
          expect(
            responseProblems(await c.agent.get(url)),
            `${p.name} at ${url}`,
          ).toEqual([]);
    }
    expect(accepted).toBeGreaterThan(payloads.length / 2);
    await c.close();
  }, 60_000);
});
