import type {
  Store,
  TermCounts,
  Vocabulary,
  VocabularyAnswer,
  VocabularyRequest,
} from "../engines/store.ts";
import type { Steps } from "../runtime/deadline.ts";

/** The words a query reads, with their counts per field when known (for BM25F's df). */
export interface QueryWords extends Vocabulary {
  /** Counts per field, for a vocabulary read in parts (a whole one's segment counts them). */
  counts?(term: string): TermCounts | undefined;
}

/** Terms read under one prefix at most, when the reader names no bound (a `word*`). */
const PREFIX_TERMS = 5000;
/**
 * Rounds of reading ahead at most: each answer may lead to asking for words found through it
 * (a name's spellings in other scripts, then theirs in Latin letters, then their forms).
 */
const ROUNDS = 6;

/**
 * Runs `use` (expanding a query's words, correcting its spelling, completing a word) over the
 * store's vocabulary, `use` yielding between its units of work (a word's expansion) so that
 * many words give others a turn. A store that holds its vocabulary answers at once. For one that does not
 * (PostgreSQL), `use` runs against what was read so far, noting each thing it asked for and
 * missed; what it missed is read in one request, and `use` runs again, until it misses nothing
 * (what it asks for may depend on what it found: a name's spellings in other scripts, their
 * forms). Whatever the store, `use` sees the same answers.
 */
export function* withWords<T>(
  store: Pick<Store, "vocabulary" | "lookup">,
  use: (words: QueryWords) => Steps<T>,
): Steps<{ value: T; unavailable: string[] }> {
  const own = store.vocabulary();
  if (own) return { value: yield* use(own), unavailable: [] };
  if (!store.lookup)
    throw new Error("words: the store has neither a vocabulary nor a lookup");
  const read = new ReadWords();
  for (let round = 1; ; round++) {
    const view = read.view();
    const value = yield* use(view);
    const missed = view.missed();
    if (!missed || round === ROUNDS)
      return { value, unavailable: [...read.unavailable] };
    read.add(yield* store.lookup(missed));
  }
}

/** What was read of a vocabulary, over the rounds of one query. */
class ReadWords {
  readonly counts = new Map<string, TermCounts>();
  readonly prefixes = new Map<
    string,
    { terms: [string, number][]; limit: number }
  >();
  readonly near = new Map<string, [string, number, number][]>();
  readonly soundKeys = new Map<string, string[]>();
  /** Terms asked for: one not in `counts` is in no statement. */
  readonly asked = new Set<string>();
  readonly unavailable = new Set<string>();

  add(answer: VocabularyAnswer): void {
    for (const [term, c] of answer.counts) this.counts.set(term, c);
    for (const [prefix, terms] of answer.prefixes) {
      const limit = this.pendingLimits.get(prefix) ?? PREFIX_TERMS;
      this.prefixes.set(prefix, { terms, limit });
    }
    for (const [key, terms] of answer.near) this.near.set(key, terms);
    for (const [key, words] of answer.soundKeys) this.soundKeys.set(key, words);
    for (const part of answer.unavailable) this.unavailable.add(part);
    this.pendingLimits.clear();
  }

  /** Prefix limits of the request under way, to know later whether a list is whole. */
  readonly pendingLimits = new Map<string, number>();

  /**
   * A fresh view for one round: expansions are kept per vocabulary object, and a round's
   * must not outlive it.
   */
  view(): QueryWords & { missed(): VocabularyRequest | undefined } {
    const read = this;
    const missed: VocabularyRequest = {
      terms: [],
      prefixes: [],
      near: [],
      soundKeys: [],
    };
    const limits = new Map<string, number>();
    const missTerm = (term: string) => {
      if (!read.asked.has(term) && !missed.terms.includes(term))
        missed.terms.push(term);
    };
    // The terms under a prefix, from its own list or a shorter one read whole.
    const listed = (prefix: string): [string, number][] | undefined => {
      const own = read.prefixes.get(prefix);
      if (own) return own.terms;
      for (const [known, list] of read.prefixes)
        if (prefix.startsWith(known) && list.terms.length < list.limit)
          return list.terms.filter(([t]) => t.startsWith(prefix));
      return undefined;
    };
    return {
      counts: (term) => read.counts.get(term),
      frequency(term) {
        const c = read.counts.get(term);
        if (c) return c.df;
        // Under a prefix read whole, a term not listed is in no statement.
        if (!listed(term)) missTerm(term);
        return 0;
      },
      *withPrefix(prefix, limit = PREFIX_TERMS) {
        const terms = listed(prefix);
        if (terms) return yield* terms;
        limits.set(prefix, Math.max(limit, limits.get(prefix) ?? 0));
      },
      near(term, distance) {
        const key = `${term}\u0000${distance}`;
        const found = read.near.get(key);
        if (found) return found;
        if (!missed.near.some(([t, d]) => t === term && d === distance))
          missed.near.push([term, distance]);
        return [];
      },
      *soundAlike(keys) {
        for (const key of keys) {
          const words = read.soundKeys.get(key);
          if (words) yield* words;
          else if (!missed.soundKeys.includes(key)) missed.soundKeys.push(key);
        }
      },
      missed() {
        missed.prefixes = [...limits];
        for (const [prefix, limit] of limits)
          read.pendingLimits.set(prefix, limit);
        for (const term of missed.terms) read.asked.add(term);
        const empty =
          !missed.terms.length &&
          !missed.prefixes.length &&
          !missed.near.length &&
          !missed.soundKeys.length;
        return empty ? undefined : missed;
      },
    };
  }
}
