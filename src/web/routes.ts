import type { Request, RequestHandler, Response } from "express";
import type { Archive } from "../archive.ts";
import { TooLongToCompare } from "../versions/diff-pool.ts";
import type { Admit } from "./admission.ts";
import { firstValue, parseQuery } from "../query/params.ts";
import { advancedRoutes } from "./advanced.ts";
import { analysisRoutes } from "./analysis.ts";
import { batchRoutes } from "./batch.ts";
import { serverTiming } from "./caching.ts";
import { strictRouter } from "./canonical.ts";
import { HttpError } from "./errors.ts";
import { exportRoutes } from "./exports.ts";
import { whenGone } from "./gone.ts";
import { searchModel, searchPager } from "./search-model.ts";
import { diffModel, tooLongModel } from "./diff-model.ts";
import { PageCache } from "./page-cache.ts";
import { statementModel } from "./statement-model.ts";
import { absoluteUrl, hasPublicUrl, tidySearchUrl, urls } from "./urls.ts";

/**
 * The pages of a loaded archive. Heavy routes wait for a turn from `admit`; `pages` keeps
 * rendered results pages (page-cache.ts).
 */
export function routes(
  archive: Archive,
  admit: Admit,
  pages = new PageCache(),
) {
  const router = strictRouter();
  const readQuery = (req: Request) => parseQuery(req.query, archive.fields());

  // Search
  router.get("/search", (req, res, next) => {
    const tidy = tidySearchUrl(req.path, req.originalUrl.split("?")[1] ?? "");
    if (tidy) return res.redirect(302, tidy);
    next();
  });

  router.use(exportRoutes(archive, admit));
  router.use(batchRoutes(archive, admit));
  router.use(analysisRoutes(archive, admit));
  router.use(advancedRoutes(archive));

  // A page kept from before costs no search, so it is answered without waiting for a turn.
  const kept: RequestHandler = (req, res, next) => {
    const generation = archive.generation?.();
    const html =
      req.path.endsWith(".json") || generation === undefined
        ? undefined
        : pages.get(generation, req.originalUrl);
    if (html === undefined) return next();
    serverTiming(res, "search", 0);
    res.type("html").send(html);
  };
  // The home page searches only when asked to.
  const turn: RequestHandler = (req, res, next) =>
    req.path === "/" && req.query.q === undefined
      ? next()
      : admit.search(req, res, next);

  router.get(["/", "/search", "/search.json"], kept, turn, async (req, res) => {
    const json = req.path.endsWith(".json");
    const generation = archive.generation?.();
    const query = readQuery(req);
    const page = await archive.search(query, whenGone(res));
    serverTiming(res, "search", page.tookMs);
    const model = searchModel(page, query);
    if (json) return res.json(model);
    const html = await renderPage(res, "search", {
      title: query.q ? `${query.q} – search` : "Search",
      query,
      result: model,
      pager: searchPager(model, query),
      feed: model.searched
        ? { title: `Readout: ${query.description}`, href: model.links.atom }
        : { title: "Readout: the newest statements", href: urls.feed() },
    });
    // Kept only if the archive did not change while this page was made.
    if (generation !== undefined && archive.generation?.() === generation)
      pages.set(generation, req.originalUrl, html);
    res.send(html);
  });

  router.get("/help", (_req, res) => {
    res.render("help", {
      title: "How to search",
      fields: archive.fields().filter((f) => f !== "source"),
    });
  });

  // Statements: `/statements/<id>` and its JSON twin `/statements/<id>.json`; and what
  // changed between two versions, `/statements/<id>/diff/<other-id>` (`.json` too). A diff
  // is heavy work (done in a worker, versions/diff-pool.ts) and waits for its turn.
  router.get("/statements/*id", changesPage(archive, admit));
  router.get("/statements/*id", statementPage(archive));

  // A statement's own file (a PDF, a saved page), sent as a download, never shown as a page.
  router.get("/originals/*id", async (req, res) => {
    const id = (req.params as { id: string[] }).id.join("/");
    const original = await archive.original(id);
    if (!original)
      throw new HttpError(404, `No original file to offer for "${id}".`);
    res.sendFile(original.path, {
      headers: original.headers,
      dotfiles: "allow",
    });
  });

  // About
  router.get(["/about", "/about.json"], async (req, res) => {
    const about = await archive.about();
    const model = {
      ...archive.overview(),
      ...about,
      skipped: about.problems.filter((p) => !p.kept).length,
      warnings: archive.state().warnings ?? [],
      unavailable: (await archive.missingParts?.()) ?? [],
    };
    if (req.path.endsWith(".json")) return res.json(model);
    res.render("about", { title: "About this archive", about: model });
  });

  return router;
}

/**
 * What changed: `/statements/<id>/changes/<n>` (a file's kept texts, with `--history`) and
 * `/statements/<id>/diff/<other-id>`, `.json` too; anything else goes on to the statement.
 */
function changesPage(archive: Archive, admit: Admit): RequestHandler {
  return async (req, res, next) => {
    const raw = (req.params as { id: string[] }).id.join("/");
    const json = raw.endsWith(".json");
    const path = json ? raw.slice(0, -5) : raw;
    const changed = /^(.+)\/changes\/(\d{1,6})$/.exec(path);
    if (!changed && !path.includes("/diff/")) return next();
    if (!(await admit.enter(req, res, "search"))) return;
    try {
      // Earlier texts are kept by engines that say so (`--history`): none to look for otherwise.
      if (changed && archive.capabilities().history) {
        const [, id, nth] = changed as unknown as [string, string, string];
        const n = Number(nth);
        const pair = await archive.change(id, n);
        if (pair) {
          const model = diffModel(pair, { id, n, of: pair.texts });
          if (json) return res.json(model);
          return res.render("diff", {
            title: `Changes: ${pair.to.title}`,
            d: model,
          });
        }
      }
      const pair = await versionPair(archive, path);
      if (pair) {
        const model = diffModel(pair);
        if (json) return res.json(model);
        return res.render("diff", {
          title: `Changes: ${pair.to.title}`,
          d: model,
        });
      }
    } catch (err) {
      if (!(err instanceof TooLongToCompare)) throw err;
      const model = tooLongModel(err);
      if (json) return res.json(model);
      return res.render("diff-too-long", {
        title: "Too long to compare",
        d: model,
      });
    }
    next();
  };
}

/** A statement's page, `/statements/<id>`, with its matches marked; `.json` its twin. */
function statementPage(archive: Archive): RequestHandler {
  return async (req, res) => {
    const raw = (req.params as { id: string[] }).id.join("/");
    const query = parseQuery(req.query, archive.fields());
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
      hasPublicUrl(req) ? absoluteUrl(req, urls.statement(id)) : undefined,
      new Date().toISOString().slice(0, 10),
      archive.capabilities().originals ? await archive.original(id) : undefined,
    );
    if (json && id !== raw) return res.json(model);
    res.render("statement", { title: view.statement.title, query, s: model });
  };
}

function renderPage(
  res: Response,
  view: string,
  locals: Record<string, unknown>,
): Promise<string> {
  return new Promise((resolve, reject) =>
    res.render(view, locals, (err: Error | null, html?: string) =>
      err ? reject(err) : resolve(html!),
    ),
  );
}

// `<id>/diff/<other-id>`, split where both ids name statements (an id may hold a slash).
async function versionPair(archive: Archive, path: string) {
  for (let at = path.indexOf("/diff/"); at > 0;) {
    const pair = await archive.diff(path.slice(0, at), path.slice(at + 6));
    if (pair) return pair;
    at = path.indexOf("/diff/", at + 1);
  }
  return undefined;
}
