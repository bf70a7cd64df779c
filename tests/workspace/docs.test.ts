/**
 * docs/workspace.md ("Keep what you find") is run, not only read: every address its tables
 * give is asked for (GETs answered, POSTs with the fields they name taken), every command of
 * its shell blocks is run or, for `readout serve`, read as its options, and the README's links
 * to it land on its headings.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { JournalStore } from "../../src/engines/memory/workspace/journal-store.ts";
import { loadConfig, splitCommand } from "../../src/runtime/config.ts";
import { fixtureData, workspaceFixture } from "../helpers.ts";
import { client } from "./suite.ts";

const root = path.resolve(import.meta.dirname, "..", "..");
const docs = await readFile(path.join(root, "docs", "workspace.md"), "utf8");

/** The addresses of the docs' tables: method, path, and the form fields the row names. */
function routes(): { method: string; path: string; fields: string[] }[] {
  const out: { method: string; path: string; fields: string[] }[] = [];
  for (const line of docs.split("\n")) {
    if (!/^\| .*`(GET|POST) \//.test(line)) continue;
    const cell = line.split("|")[2]!;
    const fields = [...cell.matchAll(/fields? ((?:`\w+`(?:, )?)+)/g)].flatMap(
      (m) => [...m[1]!.matchAll(/`(\w+)`/g)].map((f) => f[1]!),
    );
    let base = "";
    for (const [, code] of cell.matchAll(/`([^`]+)`/g)) {
      const route = /^(GET|POST) (\/\S*)$/.exec(code!);
      if (route) {
        base = route[2]!;
        out.push({ method: route[1]!, path: base, fields });
      } else if (/^\.\w+$/.test(code!) && base)
        out.push({
          method: "GET",
          path: base.replace(/\.\w+$/, "") + code,
          fields: [],
        });
    }
  }
  return out;
}

/** The lines of the docs' shell blocks. */
function commands(): string[] {
  return [...docs.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
    m[1]!.trim().split("\n"),
  );
}

let dir: string;
let fixture: Awaited<ReturnType<typeof workspaceFixture>>;
let c: Awaited<ReturnType<typeof client>>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "readout-docs-"));
  fixture = await workspaceFixture();
  c = await client(fixture.app);
  await c.signIn();
}, 60_000);

afterAll(async () => {
  await c?.close();
  await fixture?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

describe("docs/workspace.md", () => {
  it("lists every route of the workspace, and each answers as it says", async () => {
    const listed = routes();
    expect(listed.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([
        "GET /collections",
        "POST /collections",
        "GET /collections/<slug>",
        "POST /collections/<slug>/statements",
        "POST /collections/<slug>/statements/<id>/remove",
        "GET /collections/<slug>.csv",
        "GET /collections/<slug>.jsonl",
        "GET /collections/<slug>.bib",
        "GET /collections/<slug>.ris",
        "GET /collections/<slug>.zip",
        "GET /saved",
        "POST /saved",
        "GET /saved/<slug>",
        "GET /saved/<slug>.atom",
      ]),
    );
    const values: Record<string, string> = {
      name: "From the docs",
      id: "press-release",
      note: "Noted *from the docs*",
      tags: "docs",
      search: "q=zeugma",
    };
    for (const route of listed) {
      const url = route.path
        .replace(
          "<slug>",
          route.path.startsWith("/saved") ? fixture.saved : fixture.collection,
        )
        .replace("<id>", "press-release");
      const res =
        route.method === "GET"
          ? await c.agent.get(url)
          : await c.post(
              url,
              Object.fromEntries(route.fields.map((f) => [f, values[f]!])),
            );
      expect(
        res.status,
        `${route.method} ${url}: ${res.text?.slice(0, 200)}`,
      ).toBe(route.method === "GET" ? 200 : 303);
    }
  }, 60_000);

  it("runs every command it gives", async () => {
    const users = path.join(dir, "users.txt");
    const cache = path.join(dir, "cache");
    // A saved search in the cache folder `readout saved` reads.
    const store = await JournalStore.open(cache);
    const at = new Date().toISOString();
    await store.putSearch({
      slug: "ceasefire",
      name: "Ceasefire",
      owner: "local",
      search: "q=ceasefire",
      createdAt: at,
      seenAt: "",
      openedAt: at,
      feedKey: "k",
    });
    await store.close();
    const pack = await c.agent
      .get(`/collections/${fixture.collection}.zip`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on("data", (b: Buffer) => chunks.push(b));
        res.on("end", () => done(null, Buffer.concat(chunks)));
      });
    await writeFile(path.join(dir, "evidence.zip"), pack.body as Buffer);
    const ran: string[] = [];
    for (const line of commands()) {
      const piped = /^printf '%s\\n' '([^']+)' \| (readout .*)$/.exec(line);
      const command = (piped?.[2] ?? line)
        .replaceAll("users.txt", users)
        .replaceAll("./statements", fixtureData);
      if (command.startsWith("readout ")) {
        const argv = command.split(/\s+/).slice(1);
        const { command: name, args } = splitCommand(argv);
        expect(() => loadConfig(args, {}, name), line).not.toThrow();
        if (name === "serve") continue;
        let out = "";
        let err = "";
        const code = await main(
          argv,
          { READOUT_CACHE: cache },
          {
            out: { write: (t: string) => (out += t) },
            err: { write: (t: string) => (err += t) },
            env: {},
            stop: new AbortController().signal,
            ...(piped ? { in: Readable.from([`${piped[1]}\n`]) } : {}),
          },
        );
        expect(code, `${line}\n${err}`).toBe(0);
        if (name === "saved" && argv.includes("--json"))
          expect(JSON.parse(out)).toMatchObject([
            { owner: "local", name: "Ceasefire", slug: "ceasefire", new: 1 },
          ]);
        else if (name === "saved")
          expect(out).toMatch(
            /^1 new {2}Ceasefire {2}\(ceasefire\) {2}\/saved\/ceasefire\n$/,
          );
        ran.push(name);
      } else {
        const shell = spawnSync("bash", ["-c", command], {
          cwd: dir,
          encoding: "utf8",
        });
        if (/command not found/.test(shell.stderr)) continue;
        expect(shell.status, `${line}\n${shell.stderr}`).toBe(0);
        if (command.includes("sha256sum"))
          expect(shell.stdout).toMatch(/: OK\n$/);
        ran.push(command.split(" ")[0]!);
      }
    }
    expect(ran).toEqual(expect.arrayContaining(["user", "saved"]));
    expect(
      (await readFile(users, "utf8")).match(
        /^(alice editor|rita reader) \$scrypt\$/gm,
      ),
    ).toHaveLength(2);
  }, 60_000);

  it("is what the README links to, at headings it has", async () => {
    const readme = await readFile(path.join(root, "README.md"), "utf8");
    const links = [...readme.matchAll(/\]\(docs\/workspace\.md(#[\w-]+)?\)/g)];
    expect(links.length).toBeGreaterThan(0);
    const anchors = new Set(
      [...docs.matchAll(/^#+ (.+)$/gm)].map((m) =>
        m[1]!
          .toLowerCase()
          .replace(/[^\p{L}\p{N} -]/gu, "")
          .replace(/ /g, "-"),
      ),
    );
    for (const [, anchor] of links)
      if (anchor) expect(anchors).toContain(anchor.slice(1));
  });
});
