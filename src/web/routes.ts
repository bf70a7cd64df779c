import { Router } from "express";
import type { Corpus } from "../corpus.ts";
import { formatDate } from "../dates.ts";
import {
  escapeHtml,
  highlight,
  termMatcher,
  type Html,
  type MarkCounter,
} from "../highlight.ts";
import type { Problem } from "../ingest/statement.ts";
import { firstValue, parseQuery, type SearchQuery } from "../query.ts";
import { search } from "../search.ts";
import { terms } from "../text.ts";
import { HttpError } from "./errors.ts";
import { buildPager } from "./pager.ts";
import { urls, type SearchParams } from "./urls.ts";

/** What the web layer serves: the corpus and the story of how it was loaded. */
export interface Archive {
  corpus: Corpus;
  problems: Problem[];
  /** Files that held statements. */
  files: number;
  dataDir: string;
  loadMs: number;
}

export function routes(archive: Archive): Router {
  const router = Router();
  const { corpus } = archive;

  // Search
  router.get(["/", "/search", "/search.json"], (req, res) => {
    const query = parseQuery(req.query);
    const found = search(corpus, query);
    const params = searchParams(query);
    const model = {
      ...found,
      hits: found.hits.map((hit) => ({
        ...hit,
        href: urls.statement(hit.id, params),
      })),
    };
    if (req.path.endsWith(".json")) return res.json(model);
    res.render("search", {
      title: query.q ? `${query.q} – search` : "Search",
      query,
      result: model,
      overview: corpus.overview,
      pager: buildPager(found.page, found.pageCount, (page) =>
        urls.search({ ...params, page }),
      ),
      anyHref: urls.search({ ...params, page: 1, mode: "any" }),
    });
  });

  // Statements
  router.get("/statements/*id", (req, res) => {
    const [id, format] = statementId(
      corpus,
      (req.params as { id: string[] }).id.join("/"),
    );
    const statement = corpus.byId.get(id)!;
    const query = parseQuery(req.query);
    const params = searchParams(query);
    if (format === "json")
      return res.json({ ...statement, href: urls.statement(id) });
    const matcher = termMatcher(terms(query.q));
    const counter: MarkCounter = { count: 0 };
    const titleHtml = query.q
      ? highlight(statement.title, matcher, counter)
      : escapeHtml(statement.title);
    const paragraphs = statement.body
      .split("\n\n")
      .map((p) => (query.q ? highlight(p, matcher, counter) : escapeHtml(p)));
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
      skipped: archive.problems.filter((p) => !p.kept).length,
      problems: archive.problems,
    };
    if (req.path.endsWith(".json")) return res.json(model);
    res.render("about", {
      title: "About this archive",
      about: model,
      formatDate,
    });
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

function searchParams(query: SearchQuery): SearchParams {
  return { q: query.q, page: query.page, size: query.size, mode: query.mode };
}

// The mark the visitor navigated to gets a class, so it stands out from the others.
function markCurrent(html: Html, current: number): Html {
  return html.replace(
    `<mark id="m${current}">`,
    `<mark id="m${current}" class="current">`,
  ) as Html;
}
