import { Router, type Request } from "express";
import type { Archive } from "../archive.ts";
import { firstValue, parseQuery } from "../query/params.ts";
import { batchRoutes } from "./batch.ts";
import { serverTiming } from "./caching.ts";
import { HttpError } from "./errors.ts";
import { exportRoutes } from "./exports.ts";
import { searchModel, searchPager } from "./search-model.ts";
import { statementModel } from "./statement-model.ts";
import { absoluteUrl, tidySearchUrl, urls } from "./urls.ts";

/** The pages of a loaded archive. */
export function routes(archive: Archive): Router {
  const router = Router();
  const readQuery = (req: Request) => parseQuery(req.query, archive.fields());

  // Search
  router.get("/search", (req, res, next) => {
    const tidy = tidySearchUrl(req.path, req.originalUrl.split("?")[1] ?? "");
    if (tidy) return res.redirect(302, tidy);
    next();
  });

  router.use(exportRoutes(archive));
  router.use(batchRoutes(archive));

  router.get(["/", "/search", "/search.json"], async (req, res) => {
    const query = readQuery(req);
    const page = await archive.search(query);
    serverTiming(res, "search", page.tookMs);
    const model = searchModel(page, query);
    if (req.path.endsWith(".json")) return res.json(model);
    res.render("search", {
      title: query.q ? `${query.q} – search` : "Search",
      query,
      result: model,
      pager: searchPager(model, query),
      feed: model.searched
        ? { title: `Readout: ${query.description}`, href: model.links.atom }
        : undefined,
    });
  });

  router.get("/help", (_req, res) => {
    res.render("help", {
      title: "How to search",
      fields: archive.fields().filter((f) => f !== "source"),
    });
  });

  // Statements: `/statements/<id>` and its JSON twin `/statements/<id>.json`.
  router.get("/statements/*id", async (req, res) => {
    const raw = (req.params as { id: string[] }).id.join("/");
    const query = readQuery(req);
    const json = raw.endsWith(".json");
    const part = Number(firstValue(req.query.part)) || 1;
    const view =
      (await archive.statement(raw, query, part)) ??
      (json
        ? await archive.statement(raw.slice(0, -5), query, part)
        : undefined);
    if (!view)
      throw new HttpError(
        404,
        `No statement has the id "${raw.replace(/\.json$/, "")}".`,
      );
    const id = view.statement.id;
    const model = statementModel(
      view,
      query,
      Number(firstValue(req.query.m)) || 1,
      absoluteUrl(req, urls.statement(id)),
      new Date().toISOString().slice(0, 10),
    );
    if (json && id !== raw) return res.json(model);
    res.render("statement", { title: view.statement.title, query, s: model });
  });

  // About
  router.get(["/about", "/about.json"], async (req, res) => {
    const about = await archive.about();
    const model = {
      ...archive.overview(),
      ...about,
      skipped: about.problems.filter((p) => !p.kept).length,
    };
    if (req.path.endsWith(".json")) return res.json(model);
    res.render("about", { title: "About this archive", about: model });
  });

  return router;
}
