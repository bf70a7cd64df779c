import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve } from "../browser/browser.ts";
import { fixtureApp } from "../helpers.ts";
import { headerProblems } from "./check.ts";

let server: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  server = await serve(await fixtureApp());
});
afterAll(() => server?.close());

/**
 * Sends a path exactly as written: supertest (through the WHATWG URL parser) would resolve
 * `..` and decode some escapes before the request left, testing the client, not the server.
 */
function rawGet(path: string): Promise<{
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}> {
  const { hostname, port } = new URL(server.base);
  return new Promise((resolve, reject) => {
    const req = http.get({ hostname, port, path }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode!, headers: res.headers, body }),
      );
    });
    req.on("error", reject);
  });
}

// What the files outside public/ hold: package.json, source, templates, git, the OS.
const SECRETS = [
  /"devDependencies"/,
  /"name":\s*"readout"/,
  /export function createApp/,
  /from "\.\.?\//,
  /<%[-=]/,
  /repositoryformatversion/,
  /root:.*:0:0:/,
];

const TARGETS = [
  "package.json",
  "src/cli.ts",
  "src/web/app.ts",
  "views/error.ejs",
  ".git/config",
];

/** The same escape from public/ spelled every way a path can be. */
function traversals(target: string): string[] {
  const enc = target.replace(/\//g, "%2F");
  return [
    `/../${target}`,
    `/../../${target}`,
    `/..%2F${enc}`,
    `/..%2f..%2f${enc}`,
    `/%2e%2e/${target}`,
    `/%2E%2E%2F${enc}`,
    `/.%2e/${target}`,
    `/%252e%252e%252f${enc}`,
    `/..%252f${enc}`,
    `/%c0%ae%c0%ae/${target}`,
    `/..\\${target.replace(/\//g, "\\")}`,
    `/..%5c${target.replace(/\//g, "%5c")}`,
    `/style.css/../../${target}`,
    `/style.css/..%2F..%2F${enc}`,
    `/./../${target}`,
    `//${target}`,
    `/%2F${enc}`,
    `/${target}`,
    `/${target}%00`,
    `/${target}%00.css`,
    `/%00/../${target}`,
    `/statements/../../${target}`,
    `/statements/..%2F..%2F${enc}`,
    `/statements/%2e%2e/%2e%2e/${target}`,
    `/statements/%252e%252e%252f${enc}`,
    `/statements/..%5c..%5c${target.replace(/\//g, "%5c")}`,
    `/statements/${target}%00`,
    `/statements/%00${enc}`,
    `/statements/${target}.json`,
  ];
}

const ABSOLUTE = [
  "/etc/passwd",
  "//etc/passwd",
  "/%2Fetc%2Fpasswd",
  "/statements//etc/passwd",
  "/statements/%2Fetc%2Fpasswd",
  "/statements/%2Fetc%2Fpasswd.json",
  "/statements/..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
  "/..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
  "/file:%2F%2F%2Fetc%2Fpasswd",
  "/C:%5CWindows%5Cwin.ini",
  "/%00",
  "/style.css%00",
  "/style.css%2500",
  "/statements/%00",
  "/statements/%00.json",
  "/search.json%00",
  "/about%00.json",
];

describe("ids and static paths", () => {
  it("never reach a file outside public/, nor fail with a 500", async () => {
    const leaks: string[] = [];
    for (const path of [...TARGETS.flatMap(traversals), ...ABSOLUTE]) {
      const res = await rawGet(path);
      // None of these names a page or a file in public/: anything but a 4xx is wrong.
      if (res.status < 400 || res.status >= 500)
        leaks.push(`${path}: status ${res.status}`);
      for (const secret of SECRETS)
        if (secret.test(res.body))
          leaks.push(`${path}: body matches ${secret}`);
      for (const problem of headerProblems({ headers: res.headers } as never))
        leaks.push(`${path}: ${problem}`);
    }
    expect(leaks).toEqual([]);
  }, 60_000);

  it("still serve public/ itself", async () => {
    const res = await rawGet("/style.css");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/css/);
  });

  it("answer a statement id that escapes its folder with a 404, not a file", async () => {
    const res = await rawGet("/statements/..%2F..%2Fsrc%2Fcli.ts");
    expect(res.status).toBe(404);
    expect(res.body).toContain(
      "No statement has the id &quot;../../src/cli.ts&quot;.",
    );
  });
});
