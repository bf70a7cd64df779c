/**
 * The HTTP baseline: what a first version of Readout would be. Express + EJS over stock
 * MiniSearch, the top 20 of `ms.search(q)` printed from the full statements, no snippets,
 * highlighting or facets. `naive-app.ts <data dir>` listens on a free port of 127.0.0.1.
 */
import express from "express";
import path from "node:path";
import { loadStatements } from "../../src/ingest/load.ts";
import type { StockParams } from "./mix.ts";
import { stockIndex, stockSearch } from "./stock.ts";

const { statements } = await loadStatements(process.argv[2]!);
const ms = stockIndex(statements);
const byId = new Map(statements.map((s) => [s.id, s]));

const app = express();
app.set("views", path.join(import.meta.dirname, "views"));
app.set("view engine", "ejs");
app.get("/search", (req, res) => {
  // Only the bench sends requests here, with the parameters naivePaths() builds.
  const params = req.query as unknown as StockParams;
  const q = typeof params.q === "string" ? params.q : "";
  const results = stockSearch(ms, byId, { ...params, q });
  res.render("naive", {
    q,
    total: results.length,
    hits: results.slice(0, 20).map((r) => byId.get(r.id as string)!),
  });
});
const server = app.listen(0, "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  console.log(`Naive app serving at http://127.0.0.1:${port}/`);
});
