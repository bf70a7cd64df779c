import type { PoolClient } from "pg";
import type { Problem } from "../../ingest/statement.ts";
import type {
  CollectionRecord,
  CollectionSummary,
  ItemRecord,
  SavedRecord,
} from "../../workspace/model.ts";
import type { WorkspaceStore } from "../../workspace/store.ts";
import type { Shards } from "./shards.ts";

/**
 * The PostgreSQL engine's workspace store: tables on the first shard's primary (see
 * workspace-schema.ts), read there too, so a page shows what was just written. The server's
 * role reads the archive only, by default; each write here opens a READ WRITE transaction,
 * which the workspace tables alone are granted for. A write is committed when its promise
 * resolves.
 */
export class TablesStore implements WorkspaceStore {
  constructor(private readonly shards: Shards) {}

  /** Whether the tables are there (an import by this version made them). */
  static async present(shards: Shards): Promise<boolean> {
    return shards.write(0, async (client) => {
      const { rows } = await client.query<{ t: string | null }>(
        "SELECT to_regclass('workspace_searches')::text AS t",
      );
      return Boolean(rows[0]?.t);
    });
  }

  problems(): Problem[] {
    return [];
  }

  async collections(): Promise<CollectionSummary[]> {
    const rows = await this.read<CollectionRow & { count: string }>(
      `SELECT c.*, (SELECT count(*) FROM workspace_items i WHERE i.slug = c.slug) AS count
       FROM workspace_collections c ORDER BY c.created_at, c.slug`,
    );
    return rows.map((r) => ({ ...collectionOf(r), count: Number(r.count) }));
  }

  async collection(slug: string): Promise<CollectionRecord | undefined> {
    const [row] = await this.read<CollectionRow>(
      "SELECT * FROM workspace_collections WHERE slug = $1",
      [slug],
    );
    return row ? collectionOf(row) : undefined;
  }

  putCollection(r: CollectionRecord): Promise<void> {
    return this.change(
      `INSERT INTO workspace_collections (slug, name, owner, shared, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, owner = EXCLUDED.owner,
         shared = EXCLUDED.shared, updated_at = EXCLUDED.updated_at`,
      [r.slug, r.name, r.owner, r.shared, r.createdAt, r.updatedAt],
    );
  }

  deleteCollection(slug: string): Promise<void> {
    return this.change("DELETE FROM workspace_collections WHERE slug = $1", [
      slug,
    ]);
  }

  async items(
    slug: string,
    offset = 0,
    limit = Infinity,
  ): Promise<ItemRecord[]> {
    const rows = await this.read<ItemRow>(
      `SELECT * FROM workspace_items WHERE slug = $1 ORDER BY position
       OFFSET $2 ${Number.isFinite(limit) ? "LIMIT $3" : ""}`,
      Number.isFinite(limit) ? [slug, offset, limit] : [slug, offset],
    );
    return rows.map(itemOf);
  }

  async item(slug: string, id: string): Promise<ItemRecord | undefined> {
    const [row] = await this.read<ItemRow>(
      "SELECT * FROM workspace_items WHERE slug = $1 AND id = $2",
      [slug, id],
    );
    return row ? itemOf(row) : undefined;
  }

  putItem(slug: string, item: ItemRecord): Promise<void> {
    // A statement already in the collection keeps its place (its position).
    return this.change(
      `INSERT INTO workspace_items (slug, id, note, tags, added_at, updated_at, kept)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (slug, id) DO UPDATE SET note = EXCLUDED.note, tags = EXCLUDED.tags,
         added_at = EXCLUDED.added_at, updated_at = EXCLUDED.updated_at, kept = EXCLUDED.kept`,
      [
        slug,
        item.id,
        item.note,
        item.tags,
        item.addedAt,
        item.updatedAt,
        JSON.stringify(item.kept),
      ],
    );
  }

  async removeItem(slug: string, id: string): Promise<boolean> {
    let removed = false;
    await this.transaction(async (client) => {
      const res = await client.query(
        "DELETE FROM workspace_items WHERE slug = $1 AND id = $2",
        [slug, id],
      );
      removed = (res.rowCount ?? 0) > 0;
    });
    return removed;
  }

  async searches(): Promise<SavedRecord[]> {
    const rows = await this.read<SearchRow>(
      "SELECT * FROM workspace_searches ORDER BY created_at, slug",
    );
    return rows.map(searchOf);
  }

  async search(slug: string): Promise<SavedRecord | undefined> {
    const [row] = await this.read<SearchRow>(
      "SELECT * FROM workspace_searches WHERE slug = $1",
      [slug],
    );
    return row ? searchOf(row) : undefined;
  }

  putSearch(r: SavedRecord): Promise<void> {
    return this.change(
      `INSERT INTO workspace_searches (slug, name, owner, search, created_at, seen_at, opened_at, feed_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, owner = EXCLUDED.owner,
         search = EXCLUDED.search, seen_at = EXCLUDED.seen_at, opened_at = EXCLUDED.opened_at,
         feed_key = EXCLUDED.feed_key`,
      [
        r.slug,
        r.name,
        r.owner,
        r.search,
        r.createdAt,
        r.seenAt,
        r.openedAt,
        r.feedKey,
      ],
    );
  }

  deleteSearch(slug: string): Promise<void> {
    return this.change("DELETE FROM workspace_searches WHERE slug = $1", [
      slug,
    ]);
  }

  async close(): Promise<void> {
    // The connections are the archive's, closed with it.
  }

  private read<R extends object>(text: string, values: unknown[] = []) {
    return this.shards.write(
      0,
      async (client) =>
        (await client.query<R & Record<string, unknown>>(text, values)).rows,
    );
  }

  private change(text: string, values: unknown[]): Promise<void> {
    return this.transaction(async (client) => {
      await client.query(text, values);
    });
  }

  private transaction(work: (client: PoolClient) => Promise<void>) {
    return this.shards.write(0, async (client) => {
      await client.query("BEGIN READ WRITE");
      try {
        await work(client);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw err;
      }
    });
  }
}

interface CollectionRow {
  slug: string;
  name: string;
  owner: string;
  shared: boolean;
  created_at: string;
  updated_at: string;
}

interface ItemRow {
  id: string;
  note: string;
  tags: string[];
  added_at: string;
  updated_at: string;
  kept: ItemRecord["kept"];
}

interface SearchRow {
  slug: string;
  name: string;
  owner: string;
  search: string;
  created_at: string;
  seen_at: string;
  opened_at: string;
  feed_key: string;
}

function collectionOf(r: CollectionRow): CollectionRecord {
  return {
    slug: r.slug,
    name: r.name,
    owner: r.owner,
    shared: r.shared,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function itemOf(r: ItemRow): ItemRecord {
  return {
    id: r.id,
    note: r.note,
    tags: r.tags,
    addedAt: r.added_at,
    updatedAt: r.updated_at,
    kept: r.kept,
  };
}

function searchOf(r: SearchRow): SavedRecord {
  return {
    slug: r.slug,
    name: r.name,
    owner: r.owner,
    search: r.search,
    createdAt: r.created_at,
    seenAt: r.seen_at,
    openedAt: r.opened_at,
    feedKey: r.feed_key,
  };
}
