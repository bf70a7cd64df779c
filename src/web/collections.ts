import type { RequestHandler } from "express";
import type { Admit } from "./admission.ts";
import { strictRouter } from "./canonical.ts";
import type { Statement } from "../archive.ts";
import { keptStatement } from "../out/collection.ts";
import { firstValue } from "../query/params.ts";
import { formatDate } from "../text/dates.ts";
import { compareStatements, TooLongToCompare } from "../versions/diff-pool.ts";
import type { CollectionRecord, ItemRecord } from "../workspace/model.ts";
import { collectionExports } from "./collection-exports.ts";
import { currentStatements, keptStatus } from "./collection-items.ts";
import { diffModel, tooLongModel } from "./diff-model.ts";
import { HttpError } from "./errors.ts";
import { noteHtml } from "./note-html.ts";
import { buildPager } from "./pager.ts";
import { guardWrite, personOf } from "./people.ts";
import { externalHref, urls } from "./urls.ts";
import {
  formatInstant,
  localPath,
  readForm,
  wantsJson,
  workspaceErrors,
  type WorkspaceWeb,
} from "./workspace.ts";

/** Statements listed per page of a collection. */
const PAGE_SIZE = 100;

/**
 * Collections: `/collections` (+ `.json`), `POST /collections` (`name`), `/collections/<slug>`
 * (+ `.json`), `POST /collections/<slug>/statements` (`id`, `note`, `tags`),
 * `POST /collections/<slug>/statements/<id>/remove`, the exports (collection-exports.ts), and
 * the "Add to collection" page, `/collections/add?id=`.
 */
export function collectionRoutes(web: WorkspaceWeb, admit: Admit) {
  const router = strictRouter();
  const { workspace } = web;

  router.get(["/collections", "/collections.json"], collectionsPage(web));

  router.post("/collections", readForm, guardWrite(), async (req, res) => {
    const person = personOf(res);
    const body = req.body as Record<string, unknown>;
    const ws = workspace();
    const record = await ws.createCollection(person, body.name);
    // From the "Add to collection" page: made and added in one step.
    const id = firstValue(body.id);
    if (id) await ws.add(person, record.slug, body as { id: unknown });
    if (wantsJson(req))
      return res.status(201).json({
        collection: summaryOf({ ...record, count: id ? 1 : 0 }),
      });
    res.redirect(
      303,
      id
        ? addedUrl(record.slug, id, localPath(body.back))
        : urls.collection(record.slug),
    );
  });

  // The page of a statement's "Add to collection" control, and its JSON for the script.
  router.get(["/collections/add", "/collections/add.json"], addPage(web));

  router.use(collectionExports(web, admit));

  router.get("/collections/:name", collectionPage(web));

  router.post(
    "/collections/:slug/statements",
    readForm,
    guardWrite(),
    addStatement(web),
  );

  // `…/statements/<id>/remove` (POST) and `…/statements/<id>/change` (what changed since
  // it was added): the id may hold slashes, so the action is the last segment.
  router.post(
    "/collections/:slug/statements/*id",
    readForm,
    guardWrite(),
    async (req, res, next) => {
      const parts = (req.params as { id: string[] }).id;
      if (parts.at(-1) !== "remove") return next();
      const slug = req.params.slug as string;
      await workspace().remove(
        personOf(res),
        slug,
        parts.slice(0, -1).join("/"),
      );
      if (wantsJson(req)) return res.json({ removed: true });
      res.redirect(303, urls.collection(slug));
    },
  );

  // What changed in a statement since it was added.
  router.get("/collections/:slug/statements/*id", changeSinceAdded(web, admit));

  router.post(
    "/collections/:slug/share",
    readForm,
    guardWrite(),
    async (req, res) => {
      const slug = req.params.slug as string;
      const shared = firstValue((req.body as Record<string, unknown>).shared);
      if (shared !== "on" && shared !== "off")
        throw new HttpError(
          400,
          `shared: "on" or "off", got "${shared.slice(0, 20)}"`,
        );
      await workspace().share(personOf(res), slug, shared === "on");
      if (wantsJson(req)) return res.json({ shared: shared === "on" });
      res.redirect(303, urls.collection(slug));
    },
  );

  router.post(
    "/collections/:slug/delete",
    readForm,
    guardWrite(),
    async (req, res) => {
      await workspace().deleteCollection(
        personOf(res),
        req.params.slug as string,
      );
      if (wantsJson(req)) return res.json({ deleted: true });
      res.redirect(303, urls.collections());
    },
  );

  router.use(workspaceErrors);
  return router;
}

/** The collections the reader may open: their own, and those others share. */
function collectionsPage({ workspace, token }: WorkspaceWeb): RequestHandler {
  return async (req, res) => {
    const person = personOf(res);
    const { own, shared } = await workspace().collections(person);
    const model = {
      person: person.name,
      canWrite: person.role === "editor",
      own: own.map(summaryOf),
      shared: shared.map(summaryOf),
      links: { json: urls.collections("json") },
    };
    if (req.path.endsWith(".json")) return res.json(model);
    res.render("collections", {
      title: "Collections",
      c: model,
      token: token(req, res),
    });
  };
}

/** The "Add to collection" page of a statement: the reader's collections, each a form. */
function addPage({ archive, workspace, token }: WorkspaceWeb): RequestHandler {
  return async (req, res) => {
    const person = personOf(res);
    const ws = workspace();
    const id = firstValue(req.query.id);
    const [statement] = id ? await archive.statementsById!([id]) : [];
    if (!statement)
      throw new HttpError(404, `No statement has the id "${id}".`);
    const { own } = await ws.collections(person);
    const model = {
      statement: {
        id: statement.id,
        title: statement.title,
        ...(statement.date ? { dateLabel: formatDate(statement.date) } : {}),
        ...(statement.source ? { source: statement.source } : {}),
        href: urls.statement(statement.id),
      },
      canWrite: person.role === "editor",
      collections: own.map((c) => ({
        slug: c.slug,
        name: c.name,
        count: c.count,
        action: urls.collectionStatements(c.slug),
      })),
      create: urls.collections(),
      token: token(req, res),
      back:
        localPath(firstValue(req.query.back)) ?? urls.statement(statement.id),
    };
    if (req.path.endsWith(".json")) return res.json(model);
    res.render("collect", { title: "Add to collection", a: model });
  };
}

/** A collection's page (or its JSON): its statements, a page at a time, with notes and tags. */
function collectionPage({
  archive,
  people,
  workspace,
  token,
}: WorkspaceWeb): RequestHandler {
  return async (req, res) => {
    const name = req.params.name as string;
    const json = name.endsWith(".json");
    const slug = json ? name.slice(0, -5) : name;
    const person = personOf(res);
    const ws = workspace();
    const { record, mine } = await ws.collection(person, slug);
    const { count } = record;
    const pageCount = Math.max(1, Math.ceil(count / PAGE_SIZE));
    const page = Math.min(
      pageCount,
      Math.max(1, Number(firstValue(req.query.page)) || 1),
    );
    const items = await ws.items(
      person,
      slug,
      (page - 1) * PAGE_SIZE,
      PAGE_SIZE,
    );
    const current = await currentStatements(archive, items);
    const added = firstValue(req.query.added);
    const model = {
      ...summaryOf(record),
      mine,
      canWrite: mine && person.role === "editor",
      page,
      pageCount,
      items: items.map((item, i) =>
        itemModel(
          slug,
          item,
          current.get(item.id),
          (page - 1) * PAGE_SIZE + i + 1,
        ),
      ),
      links: {
        json: urls.collection(slug, "json"),
        csv: urls.collection(slug, "csv"),
        jsonl: urls.collection(slug, "jsonl"),
        bib: urls.collection(slug, "bib"),
        ris: urls.collection(slug, "ris"),
        zip: urls.collection(slug, "zip"),
        statements: urls.collectionStatements(slug),
        share: urls.shareCollection(slug),
        delete: urls.deleteCollection(slug),
        all: urls.collections(),
      },
    };
    if (json) {
      const { items: shown, ...rest } = model;
      return res.json({
        ...rest,
        items: shown.map(({ noteHtml: _html, ...item }) => item),
      });
    }
    const just = items.find((i) => i.id === added);
    res.render("collection", {
      title: record.name,
      c: model,
      pager: buildPager(page, pageCount, (n) =>
        urls.collection(slug, "html", n),
      ),
      signIn: people.users !== undefined,
      token: token(req, res),
      ...(just
        ? {
            added: {
              title: just.kept.title,
              back: localPath(firstValue(req.query.back)),
            },
          }
        : {}),
    });
  };
}

/** Adds a statement (with a note and tags) to a collection; a form's answer is a redirect. */
function addStatement({ workspace }: WorkspaceWeb): RequestHandler {
  return async (req, res) => {
    const slug = req.params.slug as string;
    const body = req.body as Record<string, unknown>;
    const { item, added } = await workspace().add(personOf(res), slug, {
      id: body.id,
      note: body.note,
      tags: body.tags,
    });
    if (wantsJson(req))
      return res.status(added ? 201 : 200).json({
        added,
        collection: { slug, href: urls.collection(slug) },
        item: {
          id: item.id,
          title: item.kept.title,
          note: item.note,
          tags: item.tags,
        },
      });
    res.redirect(303, addedUrl(slug, item.id, localPath(body.back)));
  };
}

/**
 * What changed in a statement since it was added (`…/statements/<id>/change`, + `.json`): the
 * kept text against today's, admitted as a search.
 */
function changeSinceAdded(
  { archive, workspace }: WorkspaceWeb,
  admit: Admit,
): RequestHandler {
  return async (req, res, next) => {
    const parts = (req.params as { id: string[] }).id;
    const last = parts.at(-1);
    if (last !== "change" && last !== "change.json") return next();
    const slug = req.params.slug as string;
    const id = parts.slice(0, -1).join("/");
    const ws = workspace();
    await ws.collection(personOf(res), slug);
    const item = await ws.store.item(slug, id);
    const [now] = item ? await archive.statementsById!([id]) : [];
    if (!item || !now)
      throw new HttpError(
        404,
        `The collection has no statement "${id}" to compare.`,
      );
    const from = { ...keptStatement(item), title: item.kept.title };
    // A diff is heavy work, done apart (versions/diff-pool.ts), in its turn.
    if (!(await admit.enter(req, res, "search"))) return;
    let diff;
    try {
      diff = await compareStatements(from, now);
    } catch (err) {
      if (!(err instanceof TooLongToCompare)) throw err;
      if (last === "change.json") return res.json(tooLongModel(err));
      return res.render("diff-too-long", {
        title: "Too long to compare",
        d: tooLongModel(err),
      });
    }
    const model = {
      ...diffModel({ from, to: now, diff }),
      links: { json: `${urls.keptChange(slug, id)}.json` },
    };
    if (last === "change.json") return res.json(model);
    res.render("diff", {
      title: `Changed since added: ${now.title}`,
      d: model,
    });
  };
}

function addedUrl(slug: string, id: string, back?: string): string {
  const url = new URL(urls.collection(slug), "http://x");
  url.searchParams.set("added", id);
  if (back) url.searchParams.set("back", back);
  return url.pathname + url.search;
}

function summaryOf(c: CollectionRecord & { count: number }) {
  return {
    slug: c.slug,
    name: c.name,
    owner: c.owner,
    shared: c.shared,
    count: c.count,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    updatedLabel: formatInstant(c.updatedAt),
    href: urls.collection(c.slug),
  };
}

function itemModel(
  slug: string,
  item: ItemRecord,
  now: Statement | undefined,
  n: number,
) {
  const { kept } = item;
  const status = keptStatus(item, now);
  return {
    n,
    anchor: `s${n}`,
    id: item.id,
    title: kept.title,
    ...(kept.date ? { date: kept.date, dateLabel: formatDate(kept.date) } : {}),
    ...(kept.source ? { source: kept.source } : {}),
    ...(externalHref(kept.url) ? { url: externalHref(kept.url) } : {}),
    ...(kept.firstRead ? { firstRead: kept.firstRead } : {}),
    note: item.note,
    noteHtml: noteHtml(item.note),
    tags: item.tags,
    addedAt: item.addedAt,
    addedLabel: formatInstant(item.addedAt),
    status,
    ...(status === "gone" ? {} : { href: urls.statement(item.id) }),
    ...(status === "changed"
      ? { changeHref: urls.keptChange(slug, item.id) }
      : {}),
    removeAction: urls.removeFromCollection(slug, item.id),
  };
}
