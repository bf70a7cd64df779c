import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { fixtureApp } from "../helpers.ts";

let app: Awaited<ReturnType<typeof fixtureApp>>;
beforeAll(async () => {
  app = await fixtureApp();
});

describe("a method a page does not take", () => {
  it("gets 405 with Allow, on the HTML error page", async () => {
    for (const method of ["post", "put", "delete", "patch"] as const) {
      const res = await request(app)[method]("/search?q=zeugma").expect(405);
      expect(res.headers.allow).toBe("GET, HEAD");
      expect(res.headers["content-type"]).toMatch(/^text\/html/);
      expect(res.text).toContain("<h1>Method not allowed</h1>");
      expect(res.text).toContain(
        `/search answers GET and HEAD, not ${method.toUpperCase()}.`,
      );
      expect(res.text).toContain('<form class="search"');
    }
  });

  it("gets 405 with Allow as JSON on a .json path", async () => {
    const res = await request(app).delete("/about.json").expect(405);
    expect(res.headers.allow).toBe("GET, HEAD");
    expect(res.body).toEqual({
      error: {
        status: 405,
        message: "/about.json answers GET and HEAD, not DELETE.",
      },
    });
  });

  it("lists every method the routes for a path take", async () => {
    const res = await request(app).put("/batch").expect(405);
    expect(res.headers.allow).toBe("GET, HEAD, POST");
    await request(app).get("/batch").expect(200);
    const csv = await request(app).get("/batch.csv").expect(405);
    expect(csv.headers.allow).toBe("POST");
  });

  it("covers paths with parameters, statements that do not exist and static files", async () => {
    for (const path of [
      "/statements/press-release",
      "/statements/Azerbaijan-MFA/accents-agdam.json",
      "/statements/no-such-statement",
      "/style.css",
      "/opensearch.xml",
      "/",
    ]) {
      const res = await request(app).post(path).expect(405);
      expect(res.headers.allow).toBe("GET, HEAD");
    }
  });

  it("leaves a path no route takes a 404, whatever the method", async () => {
    const res = await request(app).post("/nowhere").expect(404);
    expect(res.headers.allow).toBeUndefined();
    await request(app).delete("/nowhere.json").expect(404);
  });

  it("still answers the methods a path takes", async () => {
    await request(app).head("/search?q=zeugma").expect(200);
    await request(app).get("/about.json").expect(200);
  });
});
