import type { Problem } from "../ingest/statement.ts";
import type {
  CollectionRecord,
  CollectionSummary,
  ItemRecord,
  SavedRecord,
} from "./model.ts";

/**
 * Where an engine keeps the workspace: the memory engine in an append-only journal in its
 * cache folder, PostgreSQL in tables. A store only reads and writes records; every rule (who
 * may write, names, limits) is `Workspace`'s, written once over this interface. A write has
 * reached the disk when its promise resolves.
 */
export interface WorkspaceStore {
  /** What could not be read when it was opened (a journal line cut by a crash), for /about. */
  problems(): Problem[];
  /** Every collection, of every owner, oldest first. */
  collections(): Promise<CollectionSummary[]>;
  collection(slug: string): Promise<CollectionRecord | undefined>;
  /** Adds or replaces a collection (by slug). */
  putCollection(record: CollectionRecord): Promise<void>;
  /** Removes a collection and its statements. */
  deleteCollection(slug: string): Promise<void>;
  /** A collection's statements in the order they were added, from `offset`, at most `limit`. */
  items(slug: string, offset?: number, limit?: number): Promise<ItemRecord[]>;
  item(slug: string, id: string): Promise<ItemRecord | undefined>;
  /** Adds a statement to a collection, or replaces it where it stands (by id). */
  putItem(slug: string, item: ItemRecord): Promise<void>;
  /** Takes a statement out of a collection; false when it was not in it. */
  removeItem(slug: string, id: string): Promise<boolean>;
  /** Every saved search, of every owner, oldest first. */
  searches(): Promise<SavedRecord[]>;
  search(slug: string): Promise<SavedRecord | undefined>;
  /** Adds or replaces a saved search (by slug). */
  putSearch(record: SavedRecord): Promise<void>;
  deleteSearch(slug: string): Promise<void>;
  /** Finishes pending writes. */
  close(): Promise<void>;
}
