/**
 * What the search pipeline (`src/search/`) asks of an engine: data, never pages. The pipeline
 * owns every step from a parsed query to a results page and from an id to a statement page
 * (expansion, BM25F, proximity, versions, facets, timeline, spelling, hits, notes); a store
 * finds the matches, counts over them where its data lives, and hands over statements and
 * their words. The memory engine holds everything in this process; the PostgreSQL engine
 * answers with SQL over shards. A difference between them is a `Capabilities` flag or a bug.
 */
import type { DateRange, QueryNode, TermNode } from "../query/ast.ts";
import type { Original } from "../ingest/original.ts";
import type { Problem, Statement } from "../ingest/statement.ts";
import type { KeptText } from "../versions/history.ts";
import type { Boilerplate } from "../versions/boilerplate.ts";
import type { Steps } from "../runtime/deadline.ts";
import type { WorkspaceStore } from "../workspace/store.ts";

// Lifecycle: what the pages show of the archive itself.

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
  /**
   * What goes wrong while serving and is being tried again (the saved index or an earlier
   * text could not be written: a full disk); said until it works again.
   */
  warnings?: string[];
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

/** What an engine can do beyond searching: the web hides what it cannot. */
export interface Capabilities {
  /** Earlier texts of a changed statement are kept (`--history`): `change()` answers. */
  history: boolean;
  /** Original files can be downloaded (the archive follows its data folder). */
  originals: boolean;
}

// Errors an engine may throw, besides its own faults.

/** The seam's "busy, ask again in `retryAfter` seconds": one queue type for the web and the engines. */
export { Busy } from "../runtime/admission.ts";

/**
 * A part of the archive (a PostgreSQL shard) did not answer. Searches leave it out and say so
 * (`SearchPage.unavailable`); `part` names it by number only, since pages show it to anyone.
 */
export class PartUnavailable extends Error {
  constructor(
    readonly part: string,
    /** The reason, for the terminal log only (it may name servers). */
    readonly reason: string,
  ) {
    super(`${part} is unavailable`);
  }
}

// Vocabulary: the words an archive holds, for expansion, spelling and completion.

/**
 * What the shared search core (expansions, spelling, completions) asks of an engine's index
 * of words. A store that holds its whole vocabulary hands it over; another reads what a query
 * asks for ahead (`Store.lookup`).
 */
export interface Vocabulary {
  /** Statements holding the term in any field. */
  frequency(term: string): number;
  /**
   * Every indexed term that starts with `prefix`, with its frequency, in the index's order. A
   * caller that reads at most `limit` of them, or needs only the `limit` most frequent, says
   * so: a store reading ahead reads the `limit` most frequent.
   */
  withPrefix(prefix: string, limit?: number): Iterable<[string, number]>;
  /** Indexed terms within `distance` edits of `term`, with their frequency and distance. */
  near(term: string, distance: number): [string, number, number][];
  /**
   * Words of another script that share one of these sound keys (`text/translit.ts`): a store
   * without it has every word filed by `search/names.ts`, reading `withPrefix` of each letter.
   */
  soundAlike?(keys: readonly string[]): Iterable<string>;
  /**
   * When the words changed: statements indexed and one more than the largest id given. Without
   * them, the vocabulary is taken to change only by being replaced.
   */
  readonly size?: number;
  readonly capacity?: number;
}

/** A term's statement counts: in any field, in the title, in the body. */
export interface TermCounts {
  df: number;
  title: number;
  body: number;
}

/** What a query needs read from a vocabulary it does not hold, gathered before asking. */
export interface VocabularyRequest {
  terms: string[];
  /** Prefixes, each with how many of its terms at most (the most frequent). */
  prefixes: [string, number][];
  /** Terms within N edits of a term. */
  near: [string, number][];
  /** Sound keys of names in other scripts. */
  soundKeys: string[];
}

/** What a store read for a `VocabularyRequest`, summed over its parts. */
export interface VocabularyAnswer {
  counts: Map<string, TermCounts>;
  /** Per prefix: its terms (the most frequent up to the limit asked), in code point order. */
  prefixes: Map<string, [string, number][]>;
  /** Per `term\u0000distance`: terms within that many edits, with frequency and distance. */
  near: Map<string, [string, number, number][]>;
  /** Per sound key: the words filed under it. */
  soundKeys: Map<string, string[]>;
  unavailable: string[];
}

// Matching: what a query asks for, and what a store finds.

/** An indexed word that stands for a query word, and how much a match on it counts. */
export interface Variant {
  term: string;
  weight: number;
  /**
   * Why it stands for the word: the word itself, another form of it (`sanctions`,
   * `والمفاوضات`), a word it begins (`*`), nearly spells (`~`), or the same name in
   * another script (`Зеленский` for `zelensky`).
   */
  kind?: "self" | "form" | "prefix" | "fuzzy" | "name";
}

/** Matching statements of a segment, by ascending doc number, with their scores. */
export interface Matches {
  ids: Int32Array;
  scores: Float64Array;
}

/** A metadata field's values, and each doc's (an index into `values`, -1 for none). */
export interface FieldColumn {
  values: readonly string[];
  byDoc: ArrayLike<number>;
}

/** Term ids by doc: title, this separator, then body (what phrase checks read). */
export const SEPARATOR = 0xffffffff;

/**
 * Statements and their words as the pipeline scores them: the in-memory corpus whole,
 * or the rows a database returned for a page. Docs are numbered 0 … capacity - 1; a doc may be
 * a hole (a removed statement) that `has` denies.
 */
export interface Segment {
  /** Holds every statement of the archive: document frequencies are counted from it. */
  readonly complete: boolean;
  readonly capacity: number;
  has(doc: number): boolean;
  /** Every statement, ascending. */
  all(): Int32Array;
  id(doc: number): string;
  /** A term's postings: field id (0 title, 1 body) → doc → term frequency. */
  postings(term: string): Map<number, Map<number, number>> | undefined;
  /** Words in each doc's title (field 0) or body (field 1). */
  words(field: number): ArrayLike<number>;
  /** A doc's words as term ids, title, `SEPARATOR`, body; the ids are `termId`'s. */
  positions(
    doc: number,
  ):
    | (ArrayLike<number> & { indexOf(id: number, from?: number): number })
    | undefined;
  termId(term: string): number | undefined;
  /** A metadata field's column (`source`, `country` …). */
  field(name: string): FieldColumn | undefined;
  /** Orders docs by date (`dateSortKey`); -Infinity when undated. */
  dateKey(doc: number): number;
  /** Equal for docs of one group of versions, distinct otherwise. */
  group(doc: number): number | string;
}

/** What to match: the query tree with its words expanded, and everything that narrows it. */
export interface MatchPlan {
  /** The tree as matched (any word, when relaxed); undefined matches every statement. */
  tree?: QueryNode;
  /** The indexed words a word of the tree stands for. */
  variants(node: TermNode): Variant[];
  dates: DateRange;
  /**
   * Facet selections: any selected value of each field, every field. A name field's
   * (`person`, `place`, `org`: multi-valued) are the forms statements give, which a statement
   * has when it names any of them.
   */
  filters: Record<string, string[]>;
  /** Names the query asks for (`person:Zelensky`), each required (or excluded), like the tree. */
  names: NameFilter[];
  /**
   * Per name field, the forms that are not their own group's name, to that name
   * (`Зеленський` → `Volodymyr Zelenskyy`): a name facet counts a statement once per group.
   */
  nameGroups: Map<string, Map<string, string>>;
  years: string[];
  /** Only statements whose text more than one source published. */
  echoes: boolean;
  /** Scores a segment's statements for the tree (BM25F): the pipeline's, which owns ranking. */
  score(segment: Segment): Steps<Matches>;
  /** What no statement's score exceeds, from its word counts and lengths: see `Ceiling`. */
  ceiling: Ceiling;
}

/** Statements naming one of `forms` in a name field, or (`not`) naming none of them. */
export interface NameFilter {
  field: string;
  forms: string[];
  not?: boolean;
}

/**
 * An upper bound of a plan's score that a store can work out where its data lives, so that it
 * can hand over the statements that may score best first and read nothing else (exact top-k).
 * A statement scores at most the sum over `parts` of
 * `factor × tf × (k + 1) / (tf + k × (1 - b + b × length / average))`, where `tf` adds up the
 * part's words' occurrences in its fields and `length` the fields' words, each times its
 * field's `boosts` entry (0 title, 1 body).
 */
export interface Ceiling {
  k: number;
  b: number;
  boosts: readonly number[];
  parts: {
    /** Indexed words whose occurrences add up. */
    terms: string[];
    /** Field ids counted (0 title, 1 body). */
    fields: number[];
    /** The largest weight × idf among the words. */
    factor: number;
    /** The archive's average weighted length of those fields. */
    average: number;
  }[];
}

/** What to count over the matches besides their number. */
export interface AggregateRequest {
  /** Fields whose values to count, each ignoring its own selection, and the years; none when absent. */
  facets?: string[];
  /**
   * Only the values a page lists are wanted: the `top` most counted of each field, ties
   * included, and the selected ones. A store may leave the rest out (the names of 30,000
   * matches are tens of thousands of values); absent, every value is wanted.
   */
  top?: number;
  /** Statements per month span of their dates, for the timeline. */
  periods: boolean;
  /** Groups of versions among the matches. */
  groups: boolean;
  /** The candidates a page will ask for next: a store may start reading them while it counts. */
  next?: { order: Order; wanted: number };
}

/** Counts over a match set, where the data lives. */
export interface Aggregates {
  /** Matches within the facet selections (and echoes): the total. */
  total: number;
  /** Matches before facet selections and echoes: what tells whether to relax. */
  unfaceted: number;
  /** Matches before the echoes filter whose text more than one source published. */
  echoed: number;
  /** Groups of versions among the matches (each counted once), when asked for. */
  groups?: number;
  /** Per field (and `year`), value → matches, each ignoring its own selection. */
  facets: Map<string, Map<string, number>>;
  /** Matches by the months their dates cover (`periodKey`) → count. */
  periods: Map<number, number>;
  /** First and last day (days since 1970) the matches' dates cover. */
  firstDay?: number;
  lastDay?: number;
}

/** The key of a span of months in `Aggregates.periods`, from its first and last month since year 0. */
export function periodKey(firstMonth: number, lastMonth: number): number {
  return firstMonth * 4096 + (lastMonth - firstMonth);
}

/** The first and last month of a `periodKey`. */
export function periodOf(key: number): [number, number] {
  const first = Math.floor(key / 4096);
  return [first, first + (key % 4096)];
}

/** The statements a plan matched, as a store keeps them; opaque to the pipeline but its counts. */
export interface MatchSet {
  readonly plan: MatchPlan;
  readonly counts: Aggregates;
  /** Parts of the archive that did not answer: the counts are theirs short. */
  readonly unavailable: string[];
  /** Bytes held, for a cache's bound. */
  readonly bytes: number;
}

/** The order a page of matches is wanted in. */
export type Order = "relevance" | "newest" | "oldest";

/**
 * Matches with their scores, for ranking. A store may hand over every match (the memory engine)
 * or the best it could find within a bound (`complete` false: the PostgreSQL engine ranks the
 * newest few thousand). A store that finds candidates best-first says what is left with `more`:
 * no later candidate scores above `bound`, so the pipeline can stop once it has enough.
 */
export interface Candidates {
  segment: Segment;
  matches: Matches;
  complete: boolean;
  more?: { bound: number; next(): Steps<Candidates> };
  unavailable: string[];
}

/** A round of an export's stream (`Store.stream`): rows to score, and where later rounds' stand. */
export interface Round {
  /** Matching statements, for the plan to score. */
  segment: Segment;
  /**
   * Where every match of a later round stands in the order: in relevance order none scores
   * above it; newest first none has a later date key (`Segment.dateKey`); oldest first none an
   * earlier one (undated ones count as Infinity). Absent on the last round.
   */
  rest?: number;
  unavailable: string[];
}

/** One statement as a results line shows it (a huge body may be cut to its first part). */
export interface StatementRow {
  statement: Pick<
    Statement,
    "id" | "title" | "body" | "date" | "source" | "url" | "lang"
  >;
  /** The body's words as term ids of `termId`, when the store has them: snippets read them. */
  bodyIds?: ArrayLike<number> & { indexOf(id: number, from?: number): number };
  termId?(term: string): number | undefined;
  /** The id of its group of versions, when it has other versions. */
  group?: string;
}

/** A statement as a list of versions names it. */
export interface Member {
  id: string;
  title: string;
  date?: string;
  source?: string;
}

/** Everything a store is: lifecycle, then data. */
export interface Store {
  /** Loads the archive (a saved index, a build, a connection); rejects when it cannot. */
  open(): Promise<void>;
  /** Keeps the archive in step with its data folder from now on, where it has one. */
  follow(): void;
  /** Stops following and finishes pending writes. */
  close(): Promise<void>;
  state(): LoadState;
  overview(): Overview;
  /** Changes whenever what the store holds changes; undefined when it cannot tell. */
  generation(): number | undefined;
  fields(): string[];
  about(): Promise<About>;
  /**
   * Parts of the archive that do not answer now (a PostgreSQL shard down), by number only;
   * asked by health and /about. A store in one piece has none to miss and need not say.
   */
  missingParts?(): Promise<string[]>;
  capabilities(): Capabilities;
  original(id: string): Promise<Original | undefined>;
  /** Earlier texts kept of a statement (`--history`), oldest first. */
  history(id: string): KeptText[];
  /** Reads again what changed (the data folder, the database's catalog), as following does. */
  refresh(): Promise<void>;
  /** Where collections and saved searches are kept; none for an archive that keeps none. */
  workspace(): WorkspaceStore | undefined;

  /** Statements, their weighted words and their languages: what BM25F and stemming need. */
  statistics(): Statistics;
  /** The whole vocabulary, when the store holds it; otherwise `lookup` reads parts of it. */
  vocabulary(): Vocabulary | undefined;
  lookup?(request: VocabularyRequest): Steps<VocabularyAnswer>;
  /** Every value of each metadata field with its statements, for facets. */
  fieldValues(): Map<string, Map<string, number>>;
  /** The distinct pairs of values two fields take on one statement (null: none), for facets. */
  fieldPairs(a: string, b: string): Steps<[string | null, string | null][]>;

  /** The matches of a plan, with the counts asked for. */
  match(plan: MatchPlan, want: AggregateRequest): Steps<MatchSet>;
  /** More counts over matches found before (a page after an export of the same query). */
  aggregate(set: MatchSet, want: AggregateRequest): Steps<Aggregates>;
  /** Matches to rank for the first `wanted` in `order`, scored by the plan. */
  candidates(set: MatchSet, order: Order, wanted: number): Steps<Candidates>;
  /**
   * Every match in `order`, in rounds, for an export that streams: a store that has it reads
   * a little at a time, and returning the iterator early frees what it holds. Without it an
   * export ranks every match at once (`candidates` with `wanted` Infinity).
   */
  stream?(set: MatchSet, order: Order): AsyncGenerator<Round>;
  /** Result lines' statements, in the order asked; undefined where one is gone. */
  rows(
    lines: readonly { segment: Segment; doc: number }[],
  ): Steps<{ rows: (StatementRow | undefined)[]; unavailable: string[] }>;
  /** Statements as stored, in the order asked; ids no statement has are left out. */
  statements(ids: readonly string[]): Steps<Statement[]>;
  /**
   * Of the matches (none when the query asked for nothing), those first read after `since`
   * (all with a time when undefined), newest first, at most `limit`; and the archive's newest
   * first-read time.
   */
  readSince(
    set: MatchSet | undefined,
    since: string | undefined,
    limit: number,
  ): Steps<ReadSince>;
  /** A statement's words with their frequencies (the first `limit` words read), for "related". */
  termFrequencies(id: string, limit: number): Steps<Map<string, number>>;
  /**
   * How many statements hold each gram (folded words joined by one space, side by side in the
   * title or in the body): among the matches of `set`, or in the whole archive without one.
   * For what stands out: a few hundred grams a call.
   */
  gramCounts(
    grams: readonly string[],
    set?: MatchSet,
  ): Steps<{ counts: number[]; unavailable: string[] }>;
  /** The archive's boilerplate shingle features (`versions/boilerplate.ts`), which what stands out leaves out. */
  boilerplate(): Steps<Pick<Boilerplate, "has">>;
  /** Each statement's group of versions, earliest first, itself included; absent when it has none. */
  versions(ids: readonly string[]): Steps<Map<string, Member[]>>;
}

/** Archive-wide figures. */
export interface Statistics {
  statements: number;
  /** Words in all titles and all bodies. */
  titleWords: number;
  bodyWords: number;
  /** Languages of the statements (`Statement.lang`), and "und" when some have none. */
  languages: string[];
}
