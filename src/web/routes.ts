import { Router } from "express";
import { cite } from "../cite.ts";
import type { Corpus } from "../engines/memory/corpus.ts";
import { formatDate } from "../text/dates.ts";
import {
  escapeHtml,
  highlight,
  type Html,
  type MarkCounter,
} from "../highlight.ts";
import type { Archive } from "./archive.ts";
import { firstValue, parseQuery } from "../query/params.ts";
import { matchSpec } from "../engines/memory/evaluate.ts";
import { specMarker } from "../search/marker.ts";
import { related } from "../engines/memory/related.ts";
import { search } from "../engines/memory/search.ts";
import { HttpError } from "./errors.ts";
import { batchRoutes } from "./batch.ts";
import { exportRoutes } from "./exports.ts";
import { searchModel, searchPager } from "./search-model.ts";
import { absoluteUrl, paramsOf, tidySearchUrl, urls } from "./urls.ts";

/** The pages of a loaded archive. */
export function routes(archive: Archive): Router {
  const router = Router();
  const corpus = archive.corpus!;
  const readQuery = (params: Record<string, unknown>) =>
    parseQuery(params, corpus.fields.keys());

  // Search
  router.get("/search", (req, res, next) => {
    const tidy = tidySearchUrl(req.path, req.originalUrl.split("?")[1] ?? "");
    if (tidy) return res.redirect(302, tidy);
    next();
  });

  router.use(exportRoutes(corpus));
  router.use(batchRoutes(corpus));

  router.get(["/", "/search", "/search.json"], (req, res) => {
    const query = readQuery(req.query);
    const model = searchModel(search(corpus, query), query);
    if (req.path.endsWith(".json")) return res.json(model);
    res.render("search", {
      title: query.q ? `${query.q} – search` : "Search",
      query,
      result: model,
      pager: searchPager(model, query),
      anyHref: urls.search({ ...paramsOf(query), page: 1, mode: "any" }),
      clearHref: urls.search({
        q: query.q,
        mode: query.mode,
        sort: query.sort,
      }),
      feed: model.searched
        ? { title: `Readout: ${query.description}`, href: model.links.atom }
        : undefined,
    });
  });

  router.get("/help", (_req, res) => {
    res.render("help", {
      title: "How to search",
      fields: [...corpus.fields.keys()].filter((f) => f !== "source"),
    });
  });

  // Statements
  router.get("/statements/*id", (req, res) => {
    const [id, format] = statementId(
      corpus,
      (req.params as { id: string[] }).id.join("/"),
    );
    const statement = corpus.byId.get(id)!;
    const permalink = absoluteUrl(req, urls.statement(id));
    const citation = cite(
      statement,
      permalink,
      new Date().toISOString().slice(0, 10),
    );
    const similar = related(corpus, corpus.index.shortId(id)!).map(
      ({ doc }) => {
        const other = corpus.statements[doc]!;
        return {
          id: other.id,
          title: other.title,
          ...(other.date
            ? { date: other.date, dateLabel: formatDate(other.date) }
            : {}),
          ...(other.source ? { source: other.source } : {}),
          href: urls.statement(other.id),
        };
      },
    );
    if (format === "json") {
      return res.json({
        ...statement,
        href: urls.statement(id),
        permalink,
        citation,
        related: similar,
      });
    }
    const query = readQuery(req.query);
    const params = paramsOf(query);
    const spec = matchSpec(corpus, query.parsed.root);
    const counter: MarkCounter = { count: 0 };
    const mark = (text: string, field: "title" | "body") =>
      query.parsed.root
        ? highlight(text, specMarker(spec, field), counter)
        : escapeHtml(text);
    const titleHtml = mark(statement.title, "title");
    const paragraphs = statement.body.split("\n\n").map((p) => mark(p, "body"));
    const current = Math.min(
      Math.max(1, Number(firstValue(req.query.m)) || 1),
      counter.count,
    );
    const matchHref = (m: number) => urls.statement(id, { ...params, m });
    res.render("statement", {
      title: statement.title,
      statement,
      dateLabel: statement.date && formatDate(statement.date),
      titleHtml: markCurrent(titleHtml, current),
      paragraphs: paragraphs.map((p) => markCurrent(p, current)),
      query,
      matches: counter.count,
      current,
      prevHref: current > 1 ? matchHref(current - 1) : undefined,
      nextHref: current < counter.count ? matchHref(current + 1) : undefined,
      firstHref: matchHref(current),
      backHref: urls.search(params),
      jsonHref: urls.statement(id, {}, "json"),
      permalink,
      citation,
      related: similar,
      // Only web addresses become links: a `javascript:` URL from a document must not run.
      originalHref:
        statement.url && /^https?:\/\//i.test(statement.url)
          ? statement.url
          : undefined,
    });
  });

  // About
  router.get(["/about", "/about.json"], (req, res) => {
    const model = {
      ...corpus.overview,
      files: archive.files,
      dataDir: archive.dataDir,
      loadSeconds: Math.round(archive.loadMs / 100) / 10,
      origin: archive.origin ?? "",
      fields: [...corpus.fields.keys()],
      skipped: archive.problems.filter((p) => !p.kept).length,
      problems: archive.problems,
    };
    if (req.path.endsWith(".json")) return res.json(model);
    res.render("about", { title: "About this archive", about: model });
  });

  return router;
}

/** The id a statement URL names, and whether it asks for the JSON twin. */
function statementId(corpus: Corpus, raw: string): [string, "html" | "json"] {
  if (corpus.byId.has(raw)) return [raw, "html"];
  if (raw.endsWith(".json") && corpus.byId.has(raw.slice(0, -5)))
    return [raw.slice(0, -5), "json"];
  throw new HttpError(
    404,
    `No statement has the id "${raw.replace(/\.json$/, "")}".`,
  );
}

// The mark the visitor navigated to gets a class, so it stands out from the others.
function markCurrent(html: Html, current: number): Html {
  return html.replace(
    `<mark id="m${current}">`,
    `<mark id="m${current}" class="current">`,
  ) as Html;
}
