/**
 * What the research workspace keeps: collections of statements with notes and tags, and saved
 * searches. These records are what a store writes (a journal line, a table row) and reads back;
 * the rules about them live in `workspace.ts`.
 */

/** Bounds on what one request or one person can make the workspace hold. */
export const WORKSPACE_LIMITS = {
  /** A note, in bytes of UTF-8. */
  noteBytes: 100 * 1024,
  /** Statements in one collection. */
  items: 10_000,
  /** Characters of a collection's or saved search's name. */
  nameLength: 100,
  /** Tags on one statement, and characters of each. */
  tags: 20,
  tagLength: 40,
  /** Collections, and saved searches, one person may have. */
  collections: 500,
  searches: 200,
  /** Characters of a saved search's parameters (its URL's query string). */
  searchLength: 4000,
};

/** A statement as it was when added to a collection: a later change to its file shows. */
export interface KeptStatement {
  title: string;
  date?: string;
  source?: string;
  url?: string;
  body: string;
  /** When Readout first read the statement. */
  firstRead?: string;
  /** Where it was read from, relative to the data folder. */
  origin: { file: string; line?: number };
  /** SHA-256 of the title, date and body (see `textHash`): a later edit changes it. */
  textSha256: string;
  /** Its own file (a PDF, a saved page) when it has one: name, size and SHA-256. */
  file?: { name: string; size: number; sha256: string };
}

/** One statement in a collection. */
export interface ItemRecord {
  /** The statement's id. */
  id: string;
  /** Markdown, as the person wrote it. */
  note: string;
  tags: string[];
  /** ISO-8601 instants. */
  addedAt: string;
  updatedAt: string;
  kept: KeptStatement;
}

/** A named list of statements, owned by one person, perhaps shared read-only with the others. */
export interface CollectionRecord {
  /** Its name in URLs: unique among all collections. */
  slug: string;
  name: string;
  owner: string;
  shared: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A collection as lists show it: with how many statements it holds. */
export interface CollectionSummary extends CollectionRecord {
  count: number;
}

/** A search kept under a name, and what its owner has seen of it. */
export interface SavedRecord {
  /** Its name in URLs: unique among all saved searches. */
  slug: string;
  name: string;
  owner: string;
  /** The search's URL parameters (`q=…&source=…`), defaults left out. */
  search: string;
  createdAt: string;
  /**
   * The newest first-read time of the archive when its owner last opened it: statements read
   * after this are new to them. An archive time, not a clock time, so an import that commits
   * later than it started is still new.
   */
  seenAt: string;
  /** When its owner last opened it (a clock time, for the page). */
  openedAt: string;
  /** The secret in its feed's URL, so a feed reader can follow it without signing in. */
  feedKey: string;
}

/** Orders statements newest first-read first, then by id: what "new" lists show. */
export function newestReadFirst(
  a: { id: string; firstRead: string },
  b: { id: string; firstRead: string },
): number {
  if (a.firstRead !== b.firstRead) return a.firstRead < b.firstRead ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
