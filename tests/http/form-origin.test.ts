import express from "express";
import request from "supertest";
import { describe, it } from "vitest";
import { guardWrite } from "../../src/web/people.ts";

// A form is taken from this server's own pages: its Origin is the address the browser used
// (localhost or 127.0.0.1, any port) or the public address (--public-url); links, which no
// longer follow the Host header, must not narrow that.
function app(publicUrl?: string) {
  const served = express();
  if (publicUrl) served.locals.publicUrl = publicUrl;
  // The session and its token, as the app's session middleware would set them.
  served.use(express.urlencoded({ extended: false }), (_req, res, next) => {
    res.locals.session = { token: "t0ken" };
    next();
  });
  served.post("/x", guardWrite(), (_req, res) => {
    res.send("ok");
  });
  served.use(
    (
      err: { status?: number },
      _req: unknown,
      res: express.Response,
      _next: unknown,
    ) => {
      res.status(err.status ?? 500).send("refused");
    },
  );
  return served;
}

describe("a form sent to this server", () => {
  it("is taken from the page the browser addressed, by any name of this computer", async () => {
    await request(app())
      .post("/x")
      .set("Host", "localhost:3000")
      .set("Origin", "http://localhost:3000")
      .type("form")
      .send({ token: "t0ken" })
      .expect(200);
  });

  it("is taken from the public address behind a proxy", async () => {
    await request(app("https://archive.example.org"))
      .post("/x")
      .set("Host", "localhost:3000")
      .set("Origin", "https://archive.example.org")
      .type("form")
      .send({ token: "t0ken" })
      .expect(200);
  });

  it("is refused from another site", async () => {
    await request(app("https://archive.example.org"))
      .post("/x")
      .set("Host", "localhost:3000")
      .set("Origin", "https://evil.example")
      .type("form")
      .send({ token: "t0ken" })
      .expect(403);
  });
});
