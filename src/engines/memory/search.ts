import { SEPARATOR, type Corpus } from "./corpus.ts";
import { formatDate } from "../../text/dates.ts";
import { highlight, snippet, type Html } from "../../search/highlight.ts";
import type { Hit, SearchPage } from "../../archive.ts";
import { withText, type SearchQuery } from "../../query/params.ts";
import type { MatchSpec } from "./evaluate.ts";
import { countFacets } from "./facets.ts";
import { findSteps } from "./find.ts";
import { runNow, type Steps } from "../../search/deadline.ts";
import { order } from "./order.ts";
import { collapse, countGroups, otherVersions } from "./grouping.ts";
import { specIdMarker, specMarker, variantsOf } from "../../search/marker.ts";
import { correctQuery } from "../../search/spelling.ts";
import { timeline } from "./timeline.ts";
import { queryKey, type Answer, type QueryCache } from "./query-cache.ts";

/** A query finding fewer results than this gets a spelling suggestion, when one helps. */
const FEW = 3;

/** `searchSteps` run to the end at once, within the search time limit. */
export function search(
  corpus: Corpus,
  query: SearchQuery,
  cache?: QueryCache,
): SearchPage {
  return runNow(searchSteps(corpus, query, cache));
}

/**
 * One page of results for a query, yielding between units of work (see `Steps`). With a
 * `cache`, what the query's match set decides (the matches, facets, timeline, spelling
 * suggestion and the page's ranking) is reused when the same query was answered before at
 * this corpus generation; only the page's hits are made again.
 */
export function* searchSteps(
  corpus: Corpus,
  query: SearchQuery,
  cache?: QueryCache,
): Steps<SearchPage> {
  const started = performance.now();
  const answer = yield* cachedAnswer(corpus, query, cache);
  const { found } = answer;
  yield;
  const { matches } = found;
  const notes = [...found.notes];
  const total = matches.ids.length;
  const grouped = query.grouping === "group";
  const groups = grouped
    ? (answer.groups ??= countGroups(corpus, matches.ids))
    : total;
  const pageCount = Math.max(1, Math.ceil(groups / query.size));
  const page = Math.min(query.page, pageCount);
  if (page < query.page)
    notes.push(
      `There are only ${pageCount} pages of results; showing page ${page}.`,
    );
  const wanted = page * query.size;
  const how = `${query.grouping}:${query.sort}:${wanted}`;
  let lines = answer.ranked.get(how);
  if (!lines) {
    lines = grouped ? [] : order(corpus, found, query, wanted);
    // A group is one line: rank further until the page is full or every match is ranked.
    for (let limit = wanted * 2; grouped; limit *= 4) {
      lines = collapse(
        corpus,
        matches.ids,
        order(corpus, found, query, limit),
        wanted,
      );
      if (lines.length === wanted || limit >= total) break;
      yield;
    }
    answer.ranked.set(how, lines);
    cache?.ranked(answer);
  }
  const hits = lines.slice((page - 1) * query.size, wanted).map((i) => {
    const hit = toHit(corpus, matches.ids[i]!, matches.scores[i]!, found.spec);
    const versions = grouped ? otherVersions(corpus, hit.id) : [];
    return versions.length ? { ...hit, versions } : hit;
  });
  yield;
  const { root, dates } = query.parsed;
  if (answer.didYouMean === undefined) {
    answer.didYouMean = null;
    if (root && total < FEW) {
      const corrected = correctQuery(corpus.index, query.q, root);
      yield;
      const better = corrected
        ? yield* findSteps(
            corpus,
            withText(query, corrected, corpus.fields.keys()),
          )
        : undefined;
      if (corrected && better && better.matches.ids.length > total)
        answer.didYouMean = { q: corrected, total: better.matches.ids.length };
    }
  }
  const didYouMean = answer.didYouMean;
  yield;
  if (found.searched && !answer.facets) {
    answer.facets = countFacets(
      corpus,
      found.unfaceted,
      query.filters,
      query.years,
    );
    answer.timeline = timeline(corpus, matches) ?? null;
  }
  return {
    q: query.q,
    mode: query.mode,
    sort: query.sort,
    description: query.description,
    parsed: { ...(root ? { root } : {}), dates },
    filters: query.filters,
    years: query.years,
    searched: found.searched,
    total,
    page,
    size: query.size,
    pageCount,
    relaxed: found.relaxed,
    grouping: query.grouping,
    groups,
    echoes: query.echoes,
    echoed: found.echoed,
    tookMs: Math.round((performance.now() - started) * 10) / 10,
    notes,
    variants: variantsOf(found.spec),
    ...(didYouMean ? { didYouMean } : {}),
    facets: found.searched ? answer.facets! : [],
    ...(found.searched && answer.timeline ? { timeline: answer.timeline } : {}),
    hits,
  };
}

/**
 * The answer kept for this query, or a new one found now and kept. An answer found while the
 * archive changed is not kept: it may hold statements of the generation before.
 */
export function* cachedAnswer(
  corpus: Corpus,
  query: SearchQuery,
  cache?: QueryCache,
): Steps<Answer> {
  const key = cache ? queryKey(query) : "";
  const kept = cache?.get(corpus, key);
  if (kept) return kept;
  const generation = corpus.generation;
  const answer: Answer = {
    found: yield* findSteps(corpus, query),
    ranked: new Map(),
  };
  if (corpus.generation === generation) cache?.set(corpus, key, answer);
  return answer;
}

/** A result line for one statement, its title and best passage marked. */
export function toHit(
  corpus: Corpus,
  doc: number,
  score: number,
  spec: MatchSpec,
): Hit {
  const statement = corpus.statements[doc]!;
  const hit: Hit = {
    id: statement.id,
    title: statement.title,
    titleHtml: highlight(statement.title, specMarker(spec, "title")),
    score: Math.round(score * 1000) / 1000,
    snippet: bodySnippet(corpus, doc, statement.body, spec),
  };
  if (statement.date)
    Object.assign(hit, {
      date: statement.date,
      dateLabel: formatDate(statement.date),
    });
  if (statement.source) hit.source = statement.source;
  if (statement.url) hit.url = statement.url;
  if (statement.lang) hit.lang = statement.lang;
  const group = corpus.versions.groupOf(statement.id);
  if (group) hit.group = group.id;
  return hit;
}

/** The best passage of the body, found from the index's positions without tokenizing the body. */
function bodySnippet(
  corpus: Corpus,
  doc: number,
  body: string,
  spec: MatchSpec,
): Html {
  const positions = corpus.positions[doc];
  if (!positions) return snippet(body, specMarker(spec, "body"));
  const ids = positions.subarray(positions.indexOf(SEPARATOR) + 1);
  return snippet(
    body,
    specIdMarker(spec, "body", (term) => corpus.vocabulary.get(term)),
    32,
    ids,
  );
}
