import type { Facet, SearchPage, Timeline } from "../../archive.ts";
import type { SearchQuery } from "../../query/params.ts";
import type { Corpus } from "./corpus.ts";
import type { Found } from "./find.ts";

/**
 * What a query's match set decides, whatever page, page size or order is shown: kept so that
 * paging, re-sorting and a repeated request do not search again. The parts after `found` are
 * filled the first time a page needs them.
 */
export interface Answer {
  found: Found;
  /** Result lines when versions are grouped. */
  groups?: number;
  /** The spelling suggestion, checked once; null when there is none. */
  didYouMean?: SearchPage["didYouMean"] | null;
  facets?: Facet[];
  timeline?: Timeline | null;
  /** Ranked lines (indexes into `found.matches`) by sort and limit, as `order` returned them. */
  ranked: Map<string, number[]>;
}

/** How much a `QueryCache` holds at most. */
export interface QueryCacheLimits {
  /** Queries kept. 0 turns the cache off. */
  entries: number;
  /** Bytes of match sets and rankings kept, counted from their arrays. */
  bytes: number;
}

/** Default: enough for a few researchers paging and faceting; about 100 common words at 17,000 statements. */
export const DEFAULT_QUERY_CACHE: QueryCacheLimits = {
  entries: 256,
  bytes: 64 * 1024 * 1024,
};

/** Rankings kept per query (sorts × page depths). */
const RANKINGS = 8;

/**
 * The key of a query's match set: its text, the query as parsed (with the `words` choice
 * folded in) and everything that narrows what it matches (mode, dates, facet selections,
 * years, echoes), in a fixed order. Not the page, page size, sort or version grouping, which
 * only decide what of the match set is shown and how.
 */
export function queryKey(query: SearchQuery): string {
  const sorted = (o: Record<string, string[]>) =>
    Object.keys(o)
      .sort()
      .map((k) => [k, [...o[k]!].sort()]);
  return JSON.stringify([
    query.q,
    query.mode,
    query.words,
    query.parsed,
    sorted(query.filters),
    [...query.years].sort(),
    query.echoes,
    query.notes,
  ]);
}

/**
 * A bounded, least-recently-used cache of answers by `queryKey`, for one corpus at one
 * generation: any change to the archive (a file added, changed or removed) bumps
 * `corpus.generation` and empties it on the next look-up.
 */
export class QueryCache {
  private readonly answers = new Map<
    string,
    { answer: Answer; bytes: number }
  >();
  private bytes = 0;
  private corpus: Corpus | undefined;
  private generation = -1;

  constructor(readonly limits: QueryCacheLimits = DEFAULT_QUERY_CACHE) {}

  /** Queries held now. */
  get size(): number {
    return this.answers.size;
  }

  /** The answer kept for `key`, made the most recently used; undefined when none is. */
  get(corpus: Corpus, key: string): Answer | undefined {
    this.follow(corpus);
    const held = this.answers.get(key);
    if (!held) return undefined;
    this.answers.delete(key);
    this.answers.set(key, held);
    return held.answer;
  }

  /** Keeps a new answer, dropping the least recently used past the limits. */
  set(corpus: Corpus, key: string, answer: Answer): void {
    this.follow(corpus);
    if (this.limits.entries <= 0) return;
    this.drop(key);
    const bytes = sizeOf(answer);
    if (bytes > this.limits.bytes) return;
    this.answers.set(key, { answer, bytes });
    this.bytes += bytes;
    this.trim();
  }

  /** Counts again the bytes of an answer whose rankings grew; at most RANKINGS are kept. */
  ranked(answer: Answer): void {
    for (const how of answer.ranked.keys()) {
      if (answer.ranked.size <= RANKINGS) break;
      answer.ranked.delete(how);
    }
    for (const held of this.answers.values()) {
      if (held.answer !== answer) continue;
      this.bytes -= held.bytes;
      held.bytes = sizeOf(answer);
      this.bytes += held.bytes;
      this.trim();
      return;
    }
  }

  private follow(corpus: Corpus): void {
    if (corpus === this.corpus && corpus.generation === this.generation) return;
    this.answers.clear();
    this.bytes = 0;
    this.corpus = corpus;
    this.generation = corpus.generation;
  }

  private drop(key: string): void {
    const held = this.answers.get(key);
    if (!held) return;
    this.answers.delete(key);
    this.bytes -= held.bytes;
  }

  private trim(): void {
    for (const key of this.answers.keys()) {
      if (
        this.answers.size <= this.limits.entries &&
        this.bytes <= this.limits.bytes
      )
        return;
      this.drop(key);
    }
  }
}

// The arrays dominate; small objects (facets, notes) are left out of the count.
function sizeOf(answer: Answer): number {
  const { matches, unfaceted } = answer.found;
  let bytes = matches.ids.byteLength + matches.scores.byteLength;
  if (unfaceted !== matches)
    bytes += unfaceted.ids.byteLength + unfaceted.scores.byteLength;
  for (const lines of answer.ranked.values()) bytes += lines.length * 8;
  return bytes + 1024;
}
