import type { Request, Response } from "express";
import type { Admit } from "./admission.ts";
import { strictRouter } from "./canonical.ts";
import type { Archive } from "../archive.ts";
import { atomFeed } from "../out/feed.ts";
import {
  firstValue,
  parseQuery,
  paramsOf,
  searchEntries,
} from "../query/params.ts";
import type { SavedRecord } from "../workspace/model.ts";
import type { SavedSummary, Workspace } from "../workspace/workspace.ts";
import { HttpError } from "./errors.ts";
import { statementEntry } from "./exports.ts";
import { whenGone } from "./gone.ts";
import { buildPager } from "./pager.ts";
import { guardWrite, personOf, type People } from "./people.ts";
import { searchModel } from "./search-model.ts";
import { absoluteUrl, urls } from "./urls.ts";
import {
  formatInstant,
  readForm,
  wantsJson,
  workspaceErrors,
  type WorkspaceWeb,
} from "./workspace.ts";

/** New statements listed by name at the top of a saved search's page; the rest are counted. */
const FRESH_LISTED = 50;
/** New statements whose result lines are marked "New". */
const FRESH_MARKED = 1000;
/** Entries in a saved search's feed: the statements most recently read. */
const FEED_ENTRIES = 100;

/**
 * Saved searches: `/saved` (+ `.json`) lists them with the statements new to each since it was
 * last opened; `/saved/<slug>` shows its results with the new ones marked (and counts as
 * opening it), `.json` the same without; `/saved/<slug>.atom` is its feed, newest read first.
 */
export function savedRoutes(web: WorkspaceWeb, admit: Admit) {
  const router = strictRouter();
  const { archive, people, workspace, token } = web;

  // Listing saved searches runs each one (what is new to it): heavy, as a search is.
  router.get(["/saved", "/saved.json"], admit.search, async (req, res) => {
    const person = personOf(res);
    const ws = workspace();
    const searches = await ws.searches(person, whenGone(res));
    const model = {
      person: person.name,
      canWrite: person.role === "editor",
      searches: searches.map((s) => summaryOf(ws, s, people)),
      links: { json: urls.saved("json") },
    };
    if (req.path.endsWith(".json")) return res.json(model);
    res.render("saved-list", {
      title: "Saved searches",
      s: model,
      token: token(req, res),
    });
  });

  // The form that names the current search before it is saved.
  router.get("/saved/new", (req, res) => {
    personOf(res);
    workspace();
    const query = parseQuery(req.query, archive.fields());
    const search = new URLSearchParams(
      searchEntries({ ...paramsOf(query), page: undefined, size: undefined }),
    ).toString();
    res.render("save-search", {
      title: "Save this search",
      query,
      search,
      back: urls.search(paramsOf(query)),
      token: token(req, res),
    });
  });

  router.post("/saved", readForm, guardWrite(), async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const record = await workspace().saveSearch(
      personOf(res),
      body.name,
      body.search,
    );
    if (wantsJson(req))
      return res.status(201).json({
        slug: record.slug,
        name: record.name,
        href: urls.savedSearch(record.slug),
      });
    res.redirect(303, urls.savedSearch(record.slug));
  });

  router.get("/saved/:name", admit.search, async (req, res) => {
    const name = req.params.name as string;
    const format = /\.(json|atom)$/.exec(name)?.[1] as
      "json" | "atom" | undefined;
    const slug = format ? name.slice(0, -format.length - 1) : name;
    const ws = workspace();
    if (format === "atom") return feed(req, res, archive, ws, slug);
    const person = personOf(res);
    const record = await ws.savedSearch(person, slug);
    const pageNumber = Math.max(1, Number(firstValue(req.query.page)) || 1);
    const query = ws.queryOf(record, pageNumber);
    const [fresh, page] = await Promise.all([
      ws.fresh(record, FRESH_MARKED, whenGone(res)),
      archive.search(query, whenGone(res)),
    ]);
    const isNew = new Set(fresh.statements.map((s) => s.id));
    const listed = await archive.statementsById!(
      fresh.statements.slice(0, FRESH_LISTED).map((s) => s.id),
    );
    const result = searchModel(page, query);
    const model = {
      ...summaryOf(ws, { ...record, fresh: fresh.total }, people),
      newSince: record.seenAt,
      newSinceLabel: formatInstant(record.seenAt),
      /** The newest of them, by name (the rest are marked among the results). */
      newStatements: listed.map((s) => ({
        id: s.id,
        title: s.title,
        ...(s.date ? { date: s.date } : {}),
        ...(s.source ? { source: s.source } : {}),
        ...(s.firstRead ? { firstRead: s.firstRead } : {}),
        href: urls.statement(s.id),
      })),
      result: {
        ...result,
        hits: result.hits.map((h) => ({ ...h, isNew: isNew.has(h.id) })),
      },
    };
    if (format === "json") return res.json(model);
    // Opening it marks what it found as seen: only when the person opened it from here, not
    // when another site's page points a request at it.
    const site = req.get("sec-fetch-site");
    if (!site || site === "same-origin" || site === "none")
      await ws.markSeen(person, slug, fresh.latest);
    res.render("saved", {
      title: record.name,
      s: model,
      query,
      pager: buildPager(result.page, result.pageCount, (n) =>
        urls.savedSearch(slug, "html", n > 1 ? [["page", String(n)]] : []),
      ),
      feed: { title: `Readout: ${record.name}`, href: model.links.atom },
      token: token(req, res),
    });
  });

  router.post(
    "/saved/:slug/delete",
    readForm,
    guardWrite(),
    async (req, res) => {
      await workspace().deleteSearch(personOf(res), req.params.slug as string);
      if (wantsJson(req)) return res.json({ deleted: true });
      res.redirect(303, urls.saved());
    },
  );

  router.use(workspaceErrors);
  return router;
}

function summaryOf(ws: Workspace, s: SavedSummary, people: People) {
  const query = ws.queryOf(s);
  return {
    slug: s.slug,
    name: s.name,
    description: query.description,
    search: s.search,
    fresh: s.fresh,
    createdAt: s.createdAt,
    openedAt: s.openedAt,
    openedLabel: formatInstant(s.openedAt),
    href: urls.savedSearch(s.slug),
    links: {
      search: urls.search(paramsOf(query)),
      json: urls.savedSearch(s.slug, "json"),
      // A feed reader cannot sign in: with people, the feed's address carries its key.
      atom: urls.savedSearch(
        s.slug,
        "atom",
        people.users ? [["key", s.feedKey]] : [],
      ),
      delete: urls.deleteSaved(s.slug),
    },
  };
}

/** The feed: the matches most recently first read, each dated by when Readout read it. */
async function feed(
  req: Request,
  res: Response,
  archive: Archive,
  ws: Workspace,
  slug: string,
): Promise<void> {
  const record = await ws.store.search(slug);
  const person = res.locals.person as { name: string } | undefined;
  const key = firstValue(req.query.key);
  if (
    !record ||
    !(record.owner === person?.name || (key && key === record.feedKey))
  )
    throw new HttpError(404, `There is no saved search "${slug}".`);
  const { statements } = await ws.fresh(
    { ...record, seenAt: "" } satisfies SavedRecord,
    FEED_ENTRIES,
    whenGone(res),
  );
  const found = new Map(
    (await archive.statementsById!(statements.map((s) => s.id))).map((s) => [
      s.id,
      s,
    ]),
  );
  const entries = statements.flatMap(({ id, firstRead }) => {
    const s = found.get(id);
    return s ? [statementEntry(req, s, firstRead)] : [];
  });
  res.type("application/atom+xml; charset=utf-8");
  res.send(
    atomFeed({
      title: `Readout: ${record.name}`,
      self: absoluteUrl(
        req,
        urls.savedSearch(slug, "atom", key ? [["key", key]] : []),
      ),
      alternate: absoluteUrl(req, urls.savedSearch(slug)),
      now: new Date(),
      entries,
    }),
  );
}
