/**
 * The seam between Readout's edges (the web pages, the command line) and its search engines.
 * The web layer and the CLI talk only to an `Archive`: one implementation (`src/search/`,
 * the pipeline) over a store of either engine, the in-memory MiniSearch one or PostgreSQL.
 * A page, its JSON twin and the CLI's output never depend on which engine answered; what an
 * engine cannot do, it says in `capabilities()`, and the pages leave out.
 */
import type { Original } from "./ingest/original.ts";
import type { SearchQuery } from "./query/params.ts";
import type {
  ComparePage,
  Completions,
  ConcordanceOrder,
  ConcordancePage,
  TermsPage,
  NamesPage,
  HitStream,
  SearchPage,
  StatementView,
  TextChange,
  VersionDiff,
} from "./search/pages.ts";
import type {
  About,
  Capabilities,
  LoadState,
  Overview,
  ReadSince,
} from "./engines/store.ts";
import type { Problem, Statement } from "./ingest/statement.ts";
import type { WorkspaceStore } from "./workspace/store.ts";
import type { LibraryOptions } from "./engines/memory/library.ts";
import { MemoryStore } from "./engines/memory/store.ts";
import {
  PostgresStore,
  type PostgresOptions,
} from "./engines/postgres/store.ts";
import { parseSpec } from "./engines/postgres/spec.ts";
import { DEFAULT_QUERY_CACHE } from "./search/answers.ts";
import { PipelineArchive } from "./search/archive.ts";

export type * from "./search/pages.ts";
export type {
  About,
  Capabilities,
  LoadState,
  Overview,
  ReadSince,
} from "./engines/store.ts";
export type { Original } from "./ingest/original.ts";
export type { Problem, Statement } from "./ingest/statement.ts";
/** The errors an archive declares, besides its own faults. */
export { SearchTimeout } from "./runtime/deadline.ts";
export { Busy, PartUnavailable } from "./engines/store.ts";
export type { WorkspaceStore } from "./workspace/store.ts";

/**
 * A searchable archive of statements. The search methods may be called only once
 * `state().phase` is `ready`; the cheap, synchronous ones at any time.
 */
export interface Archive {
  /** Loads the archive (a saved index, a build, a connection); rejects when it cannot. */
  open(): Promise<void>;
  /** Keeps the archive in step with its data folder from now on, where it has one. */
  follow(): void;
  /** Stops following and finishes pending writes. */
  close(): Promise<void>;
  /** Where loading stands; the pages show progress until it is `ready`. */
  state(): LoadState;
  /** What is in the archive; cheap, read by every page. */
  overview(): Overview;
  /**
   * A number that changes whenever what the archive holds changes (a file added, changed or
   * removed), so the web can keep rendered pages until then. Without one (undefined), nothing
   * rendered is kept.
   */
  generation?(): number | undefined;
  /** The metadata fields the query language can name (`source:`, `country:`); cheap. */
  fields(): string[];
  about(): Promise<About>;
  /** What this engine can do beyond searching; the pages leave out what it cannot. */
  capabilities(): Capabilities;
  /**
   * Parts of the archive that do not answer now (a PostgreSQL shard down), named by number
   * only ("shard 2"): health and /about say so. None when absent.
   */
  missingParts?(): Promise<string[]>;
  /**
   * One page of results, with facets, timeline, did-you-mean and notes. Stops, rejecting,
   * when `signal` aborts (the client went away), and with a `SearchTimeout` when the search
   * needs more than its share of work.
   */
  search(query: SearchQuery, signal?: AbortSignal): Promise<SearchPage>;
  /** How many statements match with every word (0 when only some words are found): a batch line. */
  count(query: SearchQuery, signal?: AbortSignal): Promise<number>;
  /**
   * Every match in the query's order, for exports, as they are when the stream begins; a
   * statement removed meanwhile may be left out. Stops when `signal` aborts.
   */
  stream(query: SearchQuery, signal?: AbortSignal): Promise<HitStream>;
  /**
   * A statement with the query's matches marked in part `part` of its body (1 when out of
   * range), or undefined when no statement has the id. Stops when `signal` aborts.
   */
  statement(
    id: string,
    query: SearchQuery,
    part?: number,
    signal?: AbortSignal,
  ): Promise<StatementView | undefined>;
  /**
   * Compare over time: each query's matching statements per month or year (`unit`, or chosen
   * from the span of the matches), and all statements of each period within the same filters.
   * Bounded work: at most `MAX_COMPARED` queries, each one count by period.
   */
  compare?(
    queries: readonly SearchQuery[],
    unit?: "month" | "year",
    signal?: AbortSignal,
  ): Promise<ComparePage>;
  /**
   * The keyword-in-context lines of the query's best-ranked matches (bounded: say when it
   * stopped), sorted by `order` or in rank and text order; each names its statement's part
   * and mark.
   */
  concordance?(
    query: SearchQuery,
    order?: ConcordanceOrder,
    signal?: AbortSignal,
  ): Promise<ConcordancePage>;
  /**
   * What stands out: the words and 2–3-word phrases over-represented in the query's matches
   * compared with the rest of the archive (G²), candidates from a sample of the best-ranked
   * matches, counted exactly in both.
   */
  terms?(query: SearchQuery, signal?: AbortSignal): Promise<TermsPage>;
  /**
   * The people, places and organisations named in the query's matches, most named first; a
   * name filter (`person=…`) is a name every statement must give, so the list says who is
   * named together with it. One count over the matches.
   */
  names?(query: SearchQuery, signal?: AbortSignal): Promise<NamesPage>;
  /** Completions of the word being typed at the end of `q`. */
  complete(q: string, signal?: AbortSignal): Promise<Completions>;
  /**
   * The file a statement was read from, to download, when that file is the statement alone
   * (a saved page, a PDF, a Word or text file) and still inside the data folder.
   */
  original(id: string): Promise<Original | undefined>;
  /** What changed from statement `from` to statement `to`; undefined when either is unknown. */
  diff(
    from: string,
    to: string,
    signal?: AbortSignal,
  ): Promise<VersionDiff | undefined>;
  /**
   * What changed in statement `id` from its `n`th kept text to the next (1-based, see
   * `StatementView.history`), and how many texts are kept; undefined when there is no such
   * change.
   */
  change(
    id: string,
    n: number,
    signal?: AbortSignal,
  ): Promise<TextChange | undefined>;
  /** Statements as stored, by id, in the order asked; ids no statement has are left out. */
  statementsById?(ids: string[], signal?: AbortSignal): Promise<Statement[]>;
  /**
   * Of the statements matching `query`, those first read after `since` (every one with a
   * first-read time when undefined), newest first, at most `limit`; stops when `signal` aborts.
   */
  readSince?(
    query: SearchQuery,
    since: string | undefined,
    limit: number,
    signal?: AbortSignal,
  ): Promise<ReadSince>;
  /**
   * Where this archive keeps collections and saved searches, or undefined when it keeps none
   * (the memory engine without a cache folder). Opened by `open()`.
   */
  workspace?(): WorkspaceStore | undefined;
}

/** Where an archive's statements come from, and where its index is kept. */
export interface ArchiveOptions {
  /** Folder of statements, read recursively. */
  data: string;
  /** Folder for the saved index; null: never save or load one. */
  cache: string | null;
  /** Hears what happens while loading and following: cache used or rebuilt, files re-read. */
  log?: (line: string) => void;
  /** Recent queries whose match sets are kept for paging and facet clicks; 0 keeps none. Default 256. */
  queryCache?: number;
  /** PostgreSQL servers (`--pg`): the archive lives there instead of in memory. */
  pg?: string;
  /** With `pg`: keep the database in step with `data` (it was named on the command line). */
  followData?: boolean;
  /** Keep the earlier texts of changed statements in the cache folder. */
  history?: boolean;
  /** Read files with more than one name (`--follow-hard-links`). */
  followHardLinks?: boolean;
  /** The languages scans are read in by OCR; default every one installed; empty: none. */
  ocrLanguages?: string[];
  /** Find each statement's people, places and organisations (`--entities`) as files are read. */
  entities?: boolean;
  /**
   * Collections and saved searches: kept and written (`serve`), only read (`saved`), or
   * left alone (default: the other commands never touch them).
   */
  workspace?: "write" | "read";
}

/** The archive the edges talk to, from the command line's options; not yet opened. */
export function archiveFor(options: ArchiveOptions): Archive {
  const queryCache = options.queryCache;
  if (options.pg)
    return new PostgresArchive({
      spec: parseSpec(options.pg),
      ...(options.followData ? { dataDir: options.data } : {}),
      ...(options.log ? { log: options.log } : {}),
      ...(options.followHardLinks ? { followHardLinks: true } : {}),
      ...(options.ocrLanguages ? { ocrLanguages: options.ocrLanguages } : {}),
      ...(options.entities ? { entities: true } : {}),
      ...(queryCache === undefined ? {} : { queryCache }),
    });
  return MemoryArchive.fromFolder({
    dataDir: options.data,
    cacheDir: options.cache,
    ...(options.log ? { log: options.log } : {}),
    ...(options.history ? { history: true } : {}),
    ...(options.followHardLinks ? { followHardLinks: true } : {}),
    ...(options.ocrLanguages ? { ocrLanguages: options.ocrLanguages } : {}),
    ...(options.entities ? { entities: true } : {}),
    ...(options.workspace ? { workspace: options.workspace } : {}),
    ...(queryCache === undefined ? {} : { queryCache }),
  });
}

/** Recent queries whose match sets are kept; 0 keeps none. Default 256. */
function answers(entries?: number) {
  return {
    ...DEFAULT_QUERY_CACHE,
    entries: entries ?? DEFAULT_QUERY_CACHE.entries,
  };
}

/** The in-memory engine behind the seam (its store is `engines/memory/store.ts`). */
export const MemoryArchive = {
  /**
   * An archive over a data folder: loaded by `open()`, kept in step by `follow()`; with
   * `workspace`, collections and saved searches are kept in a journal in the cache folder
   * (`write`) or only read (`read`).
   */
  fromFolder(
    options: LibraryOptions & {
      queryCache?: number;
      workspace?: "write" | "read";
    },
  ): PipelineArchive {
    const { queryCache, ...library } = options;
    return new PipelineArchive(
      MemoryStore.fromFolder(library),
      answers(queryCache),
    );
  },

  /** An archive over statements already read (tests, tools): ready at once, follows nothing. */
  fromStatements(
    statements: Statement[],
    info: {
      problems?: Problem[];
      files?: number;
      dataDir?: string;
      queryCache?: number;
      /** A folder for the workspace journal (opened by `open()`); default none. */
      workspaceDir?: string;
    } = {},
  ): PipelineArchive {
    const { queryCache, ...rest } = info;
    return new PipelineArchive(
      MemoryStore.fromStatements(statements, rest),
      answers(queryCache),
    );
  },
};

/** The PostgreSQL engine behind the seam (its store is `engines/postgres/store.ts`). */
export class PostgresArchive extends PipelineArchive implements Archive {
  constructor(options: PostgresOptions & { queryCache?: number }) {
    const { queryCache, ...rest } = options;
    super(new PostgresStore(rest), answers(queryCache));
  }
}
