/**
 * The framework's ceiling: Express answering every request with the same small page, no
 * search and no template. `constant-app.ts` listens on a free port of 127.0.0.1.
 */
import express from "express";

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Search</title></head><body><p>${"Constant response. ".repeat(20)}</p></body></html>`;

const app = express();
app.use((_req, res) => {
  res.type("html").send(PAGE);
});
const server = app.listen(0, "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  console.log(`Constant app serving at http://127.0.0.1:${port}/`);
});
