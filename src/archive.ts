/**
 * The seam between Readout's edges (the web pages, the command line) and its search engines.
 * The web layer and the CLI talk only to an `Archive`; the in-memory MiniSearch engine and the
 * PostgreSQL engine each implement it and return these same page types, so a page, its JSON
 * twin and the CLI's output never depend on which engine answered.
 */
import type { Html } from "./search/highlight.ts";
import type { Original } from "./ingest/original.ts";
import type { StatementDiff } from "./versions/diff.ts";

export type { Original } from "./ingest/original.ts";
import type { Problem, Statement } from "./ingest/statement.ts";
import type { DateRange, QueryNode } from "./query/ast.ts";
import type { Mode, SearchQuery, Sort } from "./query/params.ts";
import type { WordVariants } from "./search/marker.ts";

export type { Problem, Statement } from "./ingest/statement.ts";
import type { WorkspaceStore } from "./workspace/store.ts";
export type { WorkspaceStore } from "./workspace/store.ts";

/** Where loading stands, for the progress page and the terminal. */
export interface LoadState {
  phase: "starting" | "reading" | "indexing" | "ready" | "failed";
  /** Statements read or indexed so far, and how many there are when known. */
  done: number;
  total?: number;
  /** Pages read by OCR so far while reading. */
  ocrPages?: number;
  startedAt: number;
  /** Why loading failed. */
  error?: string;
}

/** What is in the archive, for the home page and every page's footer. */
export interface Overview {
  statements: number;
  firstDate?: string;
  lastDate?: string;
  sources: { name: string; count: number }[];
  /** Statements that name no source. */
  withoutSource: number;
  /** The languages of the statements (`en`, `ru` …), most statements first. */
  languages: { code: string; count: number }[];
  /** Queries that find something here, for the home page. */
  examples: string[];
}

/** How the archive came to be, for /about: where from, how long it took, what went wrong. */
export interface About {
  /** The data folder, when the archive follows one. */
  dataDir?: string;
  /** Files that hold at least one statement. */
  files: number;
  loadSeconds: number;
  /** How the index came to be, in words: "built from the data", "from the saved index" … */
  origin: string;
  /**
   * Whether opening it read files of the data folder (a build, or files changed since the
   * saved index), so `problems` were just found, rather than read back with the saved index.
   */
  readFiles: boolean;
  /** `source` and every metadata key, as the query language names them. */
  fields: string[];
  /** Every file or record that could not be taken as it was. */
  problems: Problem[];
}

/** One result line: everything the results page prints of a statement. */
export interface Hit {
  id: string;
  title: string;
  /** The title with matched words marked. */
  titleHtml: Html;
  date?: string;
  /** The date as a person reads it (`7 September 2023`). */
  dateLabel?: string;
  source?: string;
  url?: string;
  score: number;
  /** The best-matching passage of the body, matched words marked. */
  snippet: Html;
  /** Its language (`en`, `ru` …), when known: pages mark its text with it. */
  lang?: string;
  /** The id of its group of near-identical versions, when it has other versions. */
  group?: string;
  /** Its other versions, earliest first, when results group versions (the hit stands for them). */
  versions?: VersionRef[];
}

/** Another statement, as a list of versions or related statements names it. */
export interface VersionRef {
  id: string;
  title: string;
  date?: string;
  source?: string;
}

/** One facet: the values of a field among the matches, with counts, and which are selected. */
export interface Facet {
  field: string;
  values: { value: string; count: number; selected: boolean }[];
}

/** Matching statements per year, or per month when they span less than three years. */
export interface Timeline {
  unit: "year" | "month";
  bars: { label: string; from: string; to: string; count: number }[];
  max: number;
  /** Statements counted in more than one bar: dated only by year (or month) on a finer scale. */
  spread: number;
}

/** One page of results, and how the query was understood. */
export interface SearchPage {
  q: string;
  mode: Mode;
  sort: Sort;
  /** The query in words: `“joint statement” AND Karabakh, not Armenia`. */
  description: string;
  /** The query tree as parsed, and its date range. */
  parsed: { root?: QueryNode; dates: DateRange };
  /** Facet selections, as in the URL. */
  filters: Record<string, string[]>;
  years: string[];
  /** False when the request holds nothing to search for (the home page). */
  searched: boolean;
  total: number;
  page: number;
  size: number;
  pageCount: number;
  /** True when no statement had every word and the results hold some of them. */
  relaxed: boolean;
  /** `group`: near-identical versions are one result; `all`: every statement is one. */
  grouping: "group" | "all";
  /** Result lines: `total` with each group of versions counted once (equal to it with `all`). */
  groups: number;
  /** Whether only statements published by more than one source were asked for. */
  echoes: boolean;
  /** Matching statements whose text more than one source published (before that filter). */
  echoed: number;
  tookMs: number;
  notes: string[];
  /** The other words each query word also found (`sanction`: `sanctions`, `Лавров` …). */
  variants: WordVariants[];
  /** A corrected query that finds more, when this one finds little. */
  didYouMean?: { q: string; total: number };
  /** Counts by source, year and low-cardinality metadata field, among all matches. */
  facets: Facet[];
  /** Matches per year or month. */
  timeline?: Timeline;
  hits: Hit[];
  /**
   * True when part of the archive did not answer (a PostgreSQL shard down or too slow): the
   * page holds what the rest found; `unavailable` names the parts missing.
   */
  partial?: true;
  unavailable?: string[];
}

/** A statement like another one, for the "Related statements" list. */
export type RelatedStatement = VersionRef;

/** Who published a text, and who first. */
export interface Echoes {
  /** Each source with the date of its earliest version and how many versions it published. */
  sources: { source: string; date?: string; count: number }[];
  /** The source that published first, or several when the dates cannot tell them apart. */
  first: string[];
}

/** Two versions of a statement and what changed from the first to the second. */
export interface VersionDiff {
  from: Statement;
  to: Statement;
  diff: StatementDiff;
}

/** A change between two kept texts of one statement, and how many texts it has had. */
export interface TextChange extends VersionDiff {
  texts: number;
}

/** One statement as its page shows it, with the query's matches marked. */
export interface StatementView {
  statement: Statement;
  /** The title, escaped, with matches marked. */
  titleHtml: Html;
  /**
   * The paragraphs of the part shown (see `src/parts.ts`), escaped, matches marked as
   * `<mark id="mN">`, numbered across the title and this part.
   */
  paragraphs: Html[];
  /** Marks on the page. */
  matches: number;
  /** The part of the body shown, from 1, and how many there are. */
  part: number;
  parts: number;
  related: RelatedStatement[];
  /** For a statement with pages (a PDF): the page each shown paragraph begins on. */
  pages?: number[];
  /**
   * The texts its file has had, oldest first, the last being the current one: kept only when
   * earlier texts are kept (`--history`) and the file changed.
   */
  history?: { seenAt: string; title: string }[];
  /** Its other versions (near-identical statements), earliest first. */
  versions: VersionRef[];
  /** Who published its text, when its versions come from more than one source. */
  echoes?: Echoes;
}

/** Whole queries the text typed so far may complete to, best first. */
export interface Completions {
  q: string;
  completions: string[];
}

/** Every match of a query, in order, for an export. */
export interface HitStream {
  /** Matches when the stream began. */
  total: number;
  hits: AsyncIterable<Hit>;
}

/**
 * Of the statements a query matches, those Readout first read after a moment (see
 * `Statement.firstRead`): what a saved search calls new.
 */
export interface ReadSince {
  /** How many match and were first read after the moment. */
  total: number;
  /** The newest of them first, as many as were asked for. */
  statements: { id: string; firstRead: string }[];
  /**
   * The newest first-read time in the whole archive: the moment to ask from next time (an
   * archive time, so a statement an import writes later than it started is still new).
   */
  latest?: string;
}

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
   * removed), so the web can keep rendered pages until then. Optional: without it, nothing
   * rendered is kept.
   */
  generation?(): number;
  /** The metadata fields the query language can name (`source:`, `country:`); cheap. */
  fields(): string[];
  about(): Promise<About>;
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
   * range), or undefined when no statement has the id.
   */
  statement(
    id: string,
    query: SearchQuery,
    part?: number,
  ): Promise<StatementView | undefined>;
  /** Completions of the word being typed at the end of `q`. */
  complete(q: string): Promise<Completions>;
  /**
   * The file a statement was read from, to download, when that file is the statement alone
   * (a saved page, a PDF, a Word or text file) and still inside the data folder.
   */
  original(id: string): Promise<Original | undefined>;
  /** What changed from statement `from` to statement `to`; undefined when either is unknown. */
  diff(from: string, to: string): Promise<VersionDiff | undefined>;
  /**
   * What changed in statement `id` from its `n`th kept text to the next (1-based, see
   * `StatementView.history`), and how many texts are kept; undefined when there is no such
   * change.
   */
  change(id: string, n: number): Promise<TextChange | undefined>;
  /** Statements as stored, by id, in the order asked; ids no statement has are left out. */
  statementsById?(ids: string[]): Promise<Statement[]>;
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
