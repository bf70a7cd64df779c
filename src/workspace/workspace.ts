import { randomBytes } from "node:crypto";
import type { Archive, Original, ReadSince, Statement } from "../archive.ts";
import {
  paramsOf,
  parseQuery,
  searchEntries,
  type SearchQuery,
} from "../query/params.ts";
import { fileHash, textHash } from "./hash.ts";
import {
  WORKSPACE_LIMITS as LIMITS,
  type CollectionRecord,
  type CollectionSummary,
  type ItemRecord,
  type KeptStatement,
  type SavedRecord,
} from "./model.ts";
import type { WorkspaceStore } from "./store.ts";
import {
  checkName,
  checkNote,
  checkSearchParams,
  checkStatementId,
  checkTags,
  isSlug,
  slugFor,
  WorkspaceError,
} from "./validate.ts";

/** Who is asking: a signed-in person, or the one local person when there is no sign-in. */
export interface Person {
  name: string;
  /** Editors keep collections and saved searches; readers only read what is shared. */
  role: "editor" | "reader";
}

/** What the workspace asks of the archive (a part of the `Archive` seam). */
export interface WorkspaceSource {
  statementsById(ids: string[]): Promise<Statement[]>;
  original(id: string): Promise<Original | undefined>;
  readSince(
    query: SearchQuery,
    since: string | undefined,
    limit: number,
    signal?: AbortSignal,
  ): Promise<ReadSince>;
  fields(): string[];
}

/**
 * The workspace of an archive that keeps one (its store is open and it can look statements
 * up), or undefined.
 */
export function workspaceOf(
  archive: Archive,
  now?: () => Date,
): Workspace | undefined {
  const store = archive.workspace?.();
  const { statementsById, readSince } = archive;
  if (!store || !statementsById || !readSince) return undefined;
  return new Workspace(
    store,
    {
      statementsById: (ids) => statementsById.call(archive, ids),
      readSince: (q, since, limit, signal) =>
        readSince.call(archive, q, since, limit, signal),
      original: (id) => archive.original(id),
      fields: () => archive.fields(),
    },
    now,
  );
}

/** A saved search as its list shows it: with how many statements are new to its owner. */
export interface SavedSummary extends SavedRecord {
  fresh: number;
}

/**
 * The research workspace's rules, written once over any store: who may see and change what,
 * names and their slugs, the limits, what a statement keeps when it is added, and which
 * statements are new to a saved search. Writes take turns, so a limit checked is a limit kept.
 */
export class Workspace {
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    readonly store: WorkspaceStore,
    private readonly source: WorkspaceSource,
    private readonly now: () => Date = () => new Date(),
  ) {}

  // Collections

  /** The person's own collections, and those others share, oldest first. */
  async collections(
    person: Person,
  ): Promise<{ own: CollectionSummary[]; shared: CollectionSummary[] }> {
    const all = await this.store.collections();
    return {
      own: all.filter((c) => c.owner === person.name),
      shared: all.filter((c) => c.owner !== person.name && c.shared),
    };
  }

  /** A collection the person may see; a 404 for one that is not there or not theirs to see. */
  async collection(
    person: Person,
    slug: string,
  ): Promise<{ record: CollectionSummary; mine: boolean }> {
    const record = isSlug(slug)
      ? (await this.store.collections()).find((c) => c.slug === slug)
      : undefined;
    const mine = record?.owner === person.name;
    if (!record || (!mine && !record.shared))
      throw new WorkspaceError(404, `There is no collection "${slug}".`);
    return { record, mine };
  }

  /** A new collection named `name` (its slug made from the name). */
  createCollection(
    person: Person,
    rawName: unknown,
  ): Promise<CollectionRecord> {
    const name = checkName(rawName);
    return this.exclusive(async () => {
      this.mayWrite(person);
      const all = await this.store.collections();
      const own = all.filter((c) => c.owner === person.name).length;
      if (own >= LIMITS.collections)
        throw new WorkspaceError(
          409,
          `You have ${own} collections, the most one person may have: delete one first.`,
        );
      const taken = new Set(all.map((c) => c.slug));
      const at = this.now().toISOString();
      const record: CollectionRecord = {
        slug: slugFor(name, (s) => taken.has(s), "collection"),
        name,
        owner: person.name,
        shared: false,
        createdAt: at,
        updatedAt: at,
      };
      await this.store.putCollection(record);
      return record;
    });
  }

  /** Shares a collection read-only with everyone else, or stops sharing it. */
  share(person: Person, slug: string, shared: boolean): Promise<void> {
    return this.exclusive(async () => {
      const record = await this.owned(person, slug);
      if (record.shared === shared) return;
      await this.store.putCollection({
        ...record,
        shared,
        updatedAt: this.now().toISOString(),
      });
    });
  }

  deleteCollection(person: Person, slug: string): Promise<void> {
    return this.exclusive(async () => {
      await this.owned(person, slug);
      await this.store.deleteCollection(slug);
    });
  }

  /** A collection's statements in the order they were added. */
  async items(
    person: Person,
    slug: string,
    offset = 0,
    limit = Infinity,
  ): Promise<ItemRecord[]> {
    await this.collection(person, slug);
    return this.store.items(slug, offset, limit);
  }

  /**
   * Adds statement `id` to a collection with a note and tags, keeping its text, date and file
   * hash as they are now; a statement already in it keeps those and gets the new note and tags.
   */
  add(
    person: Person,
    slug: string,
    fields: { id: unknown; note?: unknown; tags?: unknown },
  ): Promise<{ item: ItemRecord; added: boolean }> {
    const id = checkStatementId(fields.id);
    const note = checkNote(fields.note);
    const tags = checkTags(fields.tags);
    return this.exclusive(async () => {
      const { count } = await this.owned(person, slug);
      const at = this.now().toISOString();
      const known = await this.store.item(slug, id);
      if (known) {
        const item = { ...known, note, tags, updatedAt: at };
        await this.store.putItem(slug, item);
        return { item, added: false };
      }
      if (count >= LIMITS.items)
        throw new WorkspaceError(
          409,
          `This collection holds ${count.toLocaleString("en")} statements, the most one may hold: start another.`,
        );
      const [statement] = await this.source.statementsById([id]);
      if (!statement)
        throw new WorkspaceError(
          400,
          `id: no statement has the id "${id}"`,
          "id",
        );
      const item: ItemRecord = {
        id,
        note,
        tags,
        addedAt: at,
        updatedAt: at,
        kept: await this.keep(statement),
      };
      await this.store.putItem(slug, item);
      return { item, added: true };
    });
  }

  /** Takes statement `id` out of a collection. */
  remove(person: Person, slug: string, id: string): Promise<void> {
    return this.exclusive(async () => {
      await this.owned(person, slug);
      if (!(await this.store.removeItem(slug, id)))
        throw new WorkspaceError(
          404,
          `The collection has no statement "${id}".`,
        );
    });
  }

  // Saved searches

  /** The person's saved searches, each with how many statements are new since they last opened it. */
  async searches(
    person: Person,
    signal?: AbortSignal,
  ): Promise<SavedSummary[]> {
    const own = (await this.store.searches()).filter(
      (s) => s.owner === person.name,
    );
    const out: SavedSummary[] = [];
    for (const record of own) {
      const { total } = await this.fresh(record, 0, signal);
      out.push({ ...record, fresh: total });
    }
    return out;
  }

  /** A saved search of the person's; a 404 for any other. */
  async savedSearch(person: Person, slug: string): Promise<SavedRecord> {
    const record = isSlug(slug) ? await this.store.search(slug) : undefined;
    if (!record || record.owner !== person.name)
      throw new WorkspaceError(404, `There is no saved search "${slug}".`);
    return record;
  }

  /** Keeps a search (its URL parameters, the page left out) under a name. */
  saveSearch(
    person: Person,
    rawName: unknown,
    rawSearch: unknown,
  ): Promise<SavedRecord> {
    const name = checkName(rawName);
    const query = this.parse(checkSearchParams(rawSearch));
    if (!isSearch(query))
      throw new WorkspaceError(
        400,
        "search: it holds no words, dates or filters to search for",
        "search",
      );
    const search = new URLSearchParams(
      searchEntries({ ...paramsOf(query), page: undefined }),
    ).toString();
    return this.exclusive(async () => {
      this.mayWrite(person);
      const all = await this.store.searches();
      const own = all.filter((s) => s.owner === person.name).length;
      if (own >= LIMITS.searches)
        throw new WorkspaceError(
          409,
          `You have ${own} saved searches, the most one person may have: delete one first.`,
        );
      const taken = new Set(all.map((s) => s.slug));
      const { latest } = await this.source.readSince(query, undefined, 0);
      const at = this.now().toISOString();
      const record: SavedRecord = {
        slug: slugFor(name, (s) => taken.has(s), "search"),
        name,
        owner: person.name,
        search,
        createdAt: at,
        seenAt: latest ?? "",
        openedAt: at,
        feedKey: randomKey(),
      };
      await this.store.putSearch(record);
      return record;
    });
  }

  /** Records that its owner has seen the saved search as the archive stood at `latest`. */
  markSeen(
    person: Person,
    slug: string,
    latest: string | undefined,
  ): Promise<SavedRecord> {
    return this.exclusive(async () => {
      const record = await this.savedSearch(person, slug);
      if (person.role !== "editor") return record;
      const seen = {
        ...record,
        seenAt: latest && latest > record.seenAt ? latest : record.seenAt,
        openedAt: this.now().toISOString(),
      };
      await this.store.putSearch(seen);
      return seen;
    });
  }

  deleteSearch(person: Person, slug: string): Promise<void> {
    return this.exclusive(async () => {
      this.mayWrite(person);
      await this.savedSearch(person, slug);
      await this.store.deleteSearch(slug);
    });
  }

  /** The saved search's statements first read since its owner last opened it, newest first. */
  fresh(
    record: SavedRecord,
    limit: number,
    signal?: AbortSignal,
  ): Promise<ReadSince> {
    return this.source.readSince(
      this.queryOf(record),
      record.seenAt || undefined,
      limit,
      signal,
    );
  }

  /** The saved search as a query. */
  queryOf(record: SavedRecord, page = 1): SearchQuery {
    return this.parse(record.search + (page > 1 ? `&page=${page}` : ""));
  }

  private parse(search: string): SearchQuery {
    const params: Record<string, string | string[]> = Object.create(null);
    for (const [key, value] of new URLSearchParams(search)) {
      const known = params[key];
      params[key] =
        known === undefined
          ? value
          : Array.isArray(known)
            ? [...known, value]
            : [known, value];
    }
    return parseQuery(params, this.source.fields());
  }

  private async keep(statement: Statement): Promise<KeptStatement> {
    const body = statement.body;
    const kept: KeptStatement = {
      title: statement.title,
      body,
      origin: statement.origin,
      textSha256: textHash({ ...statement, body }),
      ...(statement.date ? { date: statement.date } : {}),
      ...(statement.source ? { source: statement.source } : {}),
      ...(statement.url ? { url: statement.url } : {}),
      ...(statement.firstRead ? { firstRead: statement.firstRead } : {}),
    };
    const original = await this.source.original(statement.id);
    if (original) {
      try {
        kept.file = {
          name: original.path.split("/").at(-1)!,
          size: original.size,
          sha256: await fileHash(original.path),
        };
      } catch {
        // Gone between the look and the read: kept without a file, as a record would be.
      }
    }
    return kept;
  }

  private mayWrite(person: Person): void {
    if (person.role !== "editor")
      throw new WorkspaceError(
        403,
        `${person.name} is a reader: readers cannot change collections or saved searches.`,
      );
  }

  /** A collection the person may change. */
  private async owned(
    person: Person,
    slug: string,
  ): Promise<CollectionSummary> {
    this.mayWrite(person);
    const { record, mine } = await this.collection(person, slug);
    if (!mine)
      throw new WorkspaceError(
        403,
        `This collection is ${record.owner}'s: only they can change it.`,
      );
    return record;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.turn.then(work);
    this.turn = run.catch(() => undefined);
    return run;
  }
}

/** Whether a query asks for anything: words, dates or filters. */
function isSearch(query: SearchQuery): boolean {
  const { root, dates } = query.parsed;
  return (
    root !== undefined ||
    dates.from !== undefined ||
    dates.to !== undefined ||
    Object.keys(query.filters).length > 0 ||
    query.years.length > 0
  );
}

function randomKey(): string {
  return randomBytes(18).toString("base64url");
}
