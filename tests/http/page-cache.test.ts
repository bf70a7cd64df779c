import request from "supertest";
import { describe, expect, it } from "vitest";
import type { Archive } from "../../src/archive.ts";
import { createApp } from "../../src/web/app.ts";
import { fixtureArchive } from "../helpers.ts";

/** The fixture archive with a generation the test sets, counting its searches. */
async function countedArchive(withGeneration = true) {
  const archive = await fixtureArchive();
  const state = { generation: 1, searches: 0 };
  const counted = Object.create(archive) as Archive;
  counted.search = (query, signal) => {
    state.searches++;
    return archive.search(query, signal);
  };
  counted.generation = withGeneration ? () => state.generation : undefined;
  return { counted, state };
}

describe("rendered results pages", () => {
  it("sends a repeated page again without searching, until the archive changes", async () => {
    const { counted, state } = await countedArchive();
    const app = createApp(counted, { env: "test" });
    const first = await request(app).get("/search?q=statement");
    const again = await request(app).get("/search?q=statement");
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.text).toBe(first.text);
    expect(again.headers["content-type"]).toBe(first.headers["content-type"]);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(state.searches).toBe(1);
    // Another page of the same search is another page.
    await request(app).get("/search?q=statement&page=2");
    expect(state.searches).toBe(2);
    state.generation = 2;
    await request(app).get("/search?q=statement");
    expect(state.searches).toBe(3);
  });

  it("keeps nothing when told to keep 0 pages, or when the archive has no generation", async () => {
    for (const [withVersion, pageCache] of [
      [true, 0],
      [false, 128],
    ] as const) {
      const { counted, state } = await countedArchive(withVersion);
      const app = createApp(counted, { env: "test", pageCache });
      await request(app).get("/search?q=statement");
      await request(app).get("/search?q=statement");
      expect(state.searches).toBe(2);
    }
  });
});
