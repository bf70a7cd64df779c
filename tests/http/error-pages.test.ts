import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import type { Archive } from "../../src/archive.ts";
import { createApp } from "../../src/web/app.ts";
import { fixtureArchive } from "../helpers.ts";

let archive: Archive;
beforeAll(async () => {
  archive = await fixtureArchive();
});

// An archive whose searches fail the way a bug would: with a real Error, whose stack names
// the files it passed through by their absolute paths.
function failing(): Archive {
  return Object.assign(Object.create(archive) as Archive, {
    search: () => Promise.reject(new Error("engine: search failed at /srv/x")),
  });
}

// A stack line (`at fn (/abs/path/file.ts:12:3)`) or any absolute path to this checkout.
const STACKISH = /\bat .*:\d+:\d+|node_modules|\/src\/|\.ts:\d+/;

describe("an unexpected error", () => {
  for (const env of ["development", "test", "production", undefined]) {
    it(`shows a generic 500 page with no stack in the ${env ?? "default"} environment`, async () => {
      const saved = process.env.NODE_ENV;
      delete process.env.NODE_ENV;
      const logged: unknown[] = [];
      const error = console.error;
      console.error = (...args: unknown[]) => void logged.push(args);
      try {
        const app = createApp(failing(), env ? { env } : {});
        const page = await request(app).get("/search?q=zeugma").expect(500);
        expect(page.text).toContain("Something went wrong on our side.");
        expect(page.text).not.toMatch(STACKISH);
        expect(page.text).not.toContain("/srv/x");
        const json = await request(app)
          .get("/search.json?q=zeugma")
          .expect(500);
        expect(json.body).toEqual({
          error: { status: 500, message: "Something went wrong on our side." },
        });
      } finally {
        console.error = error;
        if (saved !== undefined) process.env.NODE_ENV = saved;
      }
      // The log keeps the stack: that is where whoever runs Readout looks.
      expect(
        String(
          (logged[0] as unknown[])?.[1] instanceof Error &&
            (logged[0] as Error[])[1]!.stack,
        ),
      ).toMatch(/\bat /);
    });
  }
});

describe("an error after the headers are sent", () => {
  it("cuts the export off without writing a stack into it", async () => {
    const broken = Object.assign(Object.create(archive) as Archive, {
      stream: async () => ({
        total: 2,
        hits: (async function* () {
          yield* [];
          throw new Error("engine: stream failed at /srv/x");
        })(),
      }),
    });
    const error = console.error;
    console.error = () => {};
    try {
      const app = createApp(broken, { env: "development" });
      const res = await request(app)
        .get("/search.csv?q=zeugma")
        .then(
          (r) => r.text,
          (e: Error) => e.message,
        );
      expect(res).not.toMatch(STACKISH);
    } finally {
      console.error = error;
    }
  });
});
