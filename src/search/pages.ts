/**
 * What the pipeline makes: the pages a search and a statement show, and what an export
 * streams. The seam (`src/archive.ts`) hands them to the web and the command line as they are.
 */
import type { DateRange, QueryNode } from "../query/ast.ts";
import type { Mode, Sort } from "../query/params.ts";
import type { Statement } from "../ingest/statement.ts";
import type { StatementDiff } from "../versions/diff.ts";
import type { Html } from "./highlight.ts";
import type { WordVariants } from "./marker.ts";
import type { ConcordanceLine } from "./concordance.ts";
import type { Standout } from "./significant.ts";

export type { Completions } from "./complete.ts";
export type { ConcordanceOrder } from "./concordance.ts";
export type { Standout } from "./significant.ts";

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

/** Every match of a query, in order, for an export. */
export interface HitStream {
  /** Matches when the stream began. */
  total: number;
  hits: AsyncIterable<Hit>;
  /**
   * Parts of the archive that did not answer (a PostgreSQL shard down): those known when the
   * stream begins (the count and the order are read first), and any that fail while its hits
   * are read. Empty or absent when every part answered.
   */
  unavailable?: ReadonlySet<string>;
}

// The analysis views (issue 26): compare over time, concordance, what stands out.

export interface Period {
  label: string;
  /** The period as the `from` and `to` of a search narrowed to it (`2023-05`, `2023`). */
  from: string;
  to: string;
  /** All statements of the period. */
  total: number;
}

export interface Series {
  q: string;
  /** Matching statements per period, one per period. */
  counts: number[];
  /** `counts` ÷ the period's total; null for a period without statements. */
  shares: (number | null)[];
  /** Matching statements over all periods. */
  sum: number;
}

export interface Comparison {
  unit: Timeline["unit"];
  periods: Period[];
  series: Series[];
}

/** A comparison as the seam hands it over: the series, and how each query was read. */
export interface ComparePage extends Comparison {
  /** Per query, in order: whether no statement had every word, so any word was counted. */
  relaxed: boolean[];
  /** Statements that count in more than one period (dated only by a year, say). */
  spread: number;
  /** Nothing matched with a date: there is no period to draw. */
  empty: boolean;
  unavailable: string[];
}

/** One line, with the statement it is from and where in it. */
export interface KwicLine extends Omit<ConcordanceLine, "n"> {
  id: string;
  title: string;
  date?: string;
  source?: string;
  lang?: string;
  /** The part of the body the statement page shows it in (1 for the title). */
  part: number;
  /** Its mark's number on that part's page: `#m<m>`. */
  m: number;
}

export interface ConcordancePage {
  /** Statements that match the query. */
  matches: number;
  /** Statements read for lines, best-ranked first. */
  read: number;
  /** Every line found in them, in the order asked, before paging. */
  lines: KwicLine[];
  /** True when reading stopped at a bound before every matching statement was read. */
  stopped: boolean;
  relaxed: boolean;
  unavailable: string[];
}

export interface TermsPage {
  /** Statements that match: the set. */
  matches: number;
  /** Statements in the archive. */
  archive: number;
  /** Best-ranked matches whose words were read for candidates. */
  sampled: number;
  /** Candidates: grams in enough of the sample. */
  candidates: number;
  /** Of them, those counted in the set and the archive before the time for it ran out. */
  counted: number;
  /** The words and phrases that stand out, best first. */
  terms: Standout[];
  relaxed: boolean;
  unavailable: string[];
}

/** One name of the archive, as the names view lists it: its group's name and statements. */
export interface NameCountLine {
  name: string;
  count: number;
}

/** The people, places and organisations named in a search's matches (the names view). */
export interface NamesPage {
  /** Statements that match (naming every name asked for). */
  matches: number;
  /** Each name field with its most named values, most statements first. */
  fields: { field: string; names: NameCountLine[]; more: number }[];
  /** The names chosen: the matches are the statements naming all of them. */
  chosen: { field: string; name: string }[];
  /** Whether the archive has names at all (read with `--entities`). */
  indexed: boolean;
  unavailable: string[];
}
