/**
 * What stands out through the pipeline, as Elasticsearch's `significant_terms` works: the
 * candidates come from a sample of the best-ranked matches (their words and 2–3-word phrases,
 * stop words and the archive's boilerplate left out), and each candidate's statements are
 * then counted exactly by the store, in the whole match set and in the archive, for G².
 */
import type { Store } from "../engines/store.ts";
import type { SearchQuery } from "../query/params.ts";
import { budgetSpent, type Steps } from "../runtime/deadline.ts";
import { tokenize } from "../text/terms.ts";
import { boilerplateWords } from "../versions/boilerplate.ts";
import { SHINGLE, wordHashes } from "../versions/shingles.ts";
import { answerOf, type QueryCache } from "./answers.ts";
import { COUNT_ONLY } from "./match.ts";
import { topStatements } from "./page.ts";
import type { TermsPage } from "./pages.ts";
import {
  candidateGrams,
  standOut,
  statementGrams,
  tallyGrams,
  type GramCounts,
  type Standout,
} from "./significant.ts";

/** Statements read for candidates however long they take: fewer would find nothing in 3. */
const MIN_SAMPLE = 20;

/** Candidates counted per store call, between checks of the time spent. */
const COUNT_BATCH = 25;

/**
 * How much one request reads: the words of the 200 best-ranked matches, at most 150,000 of
 * them (a few hundred milliseconds of tokenizing), and exact counts for the 300 grams most
 * frequent in them, as many as time allows.
 */
export const TERMS_LIMITS = {
  sample: 200,
  /** Words read at most, over the sample: a few long speeches are enough. */
  sampleWords: 150_000,
  candidates: 300,
  /** Reading the sample stops once this share of the request's time is spent. */
  sampleUntil: 0.3,
  /** Counting stops once this share of the request's time is spent. */
  countUntil: 0.6,
  /** A gram in fewer sampled matches than this is not a candidate. */
  minInSet: 3,
  shown: 50,
};

/** The words and phrases over-represented in a query's matches compared with the rest of the archive. */
export function* termsSteps(
  store: Store,
  query: SearchQuery,
  cache?: QueryCache,
  limits = TERMS_LIMITS,
): Steps<TermsPage> {
  const { answer } = yield* answerOf(store, query, COUNT_ONLY, cache);
  const matches = answer.counts.total;
  const archive = store.statistics().statements;
  const unavailable = new Set(answer.set?.unavailable ?? []);
  const page = (sampled: number, candidates: number, terms: Standout[]) => ({
    matches,
    archive,
    sampled,
    candidates,
    counted: candidates,
    terms,
    relaxed: answer.relaxed,
    unavailable: [...unavailable].sort(),
  });
  if (!answer.set || matches === 0) return page(0, 0, []);
  const statements = yield* topStatements(
    store,
    answer,
    query,
    limits.sample,
    unavailable,
  );
  const boilerplate = yield* store.boilerplate();
  // The query's own words stand out by definition: a gram of nothing else is left out.
  const asked = new Set(tokenize(query.q).map((t) => t.term));
  const tally = new Map<string, number>();
  // Statements where a gram is found away from boilerplate's edges (see `widen`).
  const clear = new Map<string, number>();
  let sampled = 0;
  let words = 0;
  for (const s of statements) {
    if (words >= limits.sampleWords) break;
    if (sampled >= MIN_SAMPLE && budgetSpent() > limits.sampleUntil) break;
    sampled++;
    const grams = statementGrams(s.title, s.lang);
    const hashes = wordHashes(s.body);
    words += hashes.length;
    const skip = boilerplateWords(hashes, boilerplate);
    const away = new Set(grams);
    for (const gram of statementGrams(s.body, s.lang, skip)) grams.add(gram);
    if (skip.includes(1))
      for (const gram of statementGrams(s.body, s.lang, widen(skip)))
        away.add(gram);
    else for (const gram of grams) away.add(gram);
    for (const gram of grams)
      if (gram.split(" ").every((w) => asked.has(w))) grams.delete(gram);
    tallyGrams(tally, grams);
    tallyGrams(clear, away);
    yield;
  }
  const candidates = candidateGrams(
    tally,
    limits.candidates,
    limits.minInSet,
  ).filter((gram) => clear.has(gram));
  // Counted most frequent first, a batch at a time, until the time allowed for counting is
  // spent: a common word's phrases cost a look at every statement that has their words.
  const counted: GramCounts[] = [];
  for (let i = 0; i < candidates.length; i += COUNT_BATCH) {
    if (i > 0 && budgetSpent() > limits.countUntil) break;
    const batch = candidates.slice(i, i + COUNT_BATCH);
    const inSet = yield* store.gramCounts(batch, answer.set);
    const inArchive = yield* store.gramCounts(batch);
    for (const part of [...inSet.unavailable, ...inArchive.unavailable])
      unavailable.add(part);
    // Counted in two calls: an archive that changed between them must not break the table.
    batch.forEach((gram, j) => {
      const set = Math.min(inSet.counts[j]!, matches);
      counted.push({
        gram,
        inSet: set,
        inArchive: Math.min(Math.max(inArchive.counts[j]!, set), archive),
      });
    });
  }
  const terms = standOut(counted, matches, archive, { limit: limits.shown });
  return {
    ...page(sampled, candidates.length, terms),
    counted: counted.length,
  };
}

/**
 * Boilerplate's words and the few either side of them. Only one shingle in four is a feature,
 * so the words at a passage's edges are often not marked (`…electronic mail`); a gram found
 * in the sample only there is taken for part of the passage. One found elsewhere too (a name
 * after "held a telephone conversation with") stays.
 */
function widen(skip: Uint8Array): Uint8Array {
  const out = new Uint8Array(skip.length);
  for (let i = 0; i < skip.length; i++)
    if (skip[i]) out.fill(1, Math.max(0, i - SHINGLE + 1), i + SHINGLE);
  return out;
}
