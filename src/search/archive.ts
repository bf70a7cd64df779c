import type { SearchQuery } from "../query/params.ts";
import type { Statement } from "../ingest/statement.ts";
import type { Original } from "../ingest/original.ts";
import type {
  About,
  Capabilities,
  LoadState,
  Overview,
  ReadSince,
  Store,
} from "../engines/store.ts";
import type { WorkspaceStore } from "../workspace/store.ts";
import { runSliced, type Steps } from "../runtime/deadline.ts";
import type { KeptText } from "../versions/history.ts";
import { compareStatements } from "../versions/diff-pool.ts";
import { answerOf, QueryCache } from "./answers.ts";
import { completeQuery, type Completions } from "./complete.ts";
import { hitsOf, linesOf, countSteps, searchSteps } from "./page.ts";
import type {
  ComparePage,
  ConcordancePage,
  TermsPage,
  NamesPage,
  Hit,
  HitStream,
  SearchPage,
  StatementView,
  TextChange,
  VersionDiff,
} from "./pages.ts";
import { COUNT_ONLY } from "./match.ts";
import { statementViewSteps } from "./statement-view.ts";
import { fileNames } from "./names.ts";
import { wordPairs, type Line } from "./rank.ts";
import { streamLines } from "./stream.ts";
import { withWords } from "./words.ts";
import { compareSteps } from "./compare-view.ts";
import type { ConcordanceOrder } from "./concordance.ts";
import { termsSteps } from "./terms-view.ts";
import { concordanceSteps } from "./concordance-view.ts";
import { namesSteps } from "./names-view.ts";
import { nameIndex } from "./name-index.ts";
import { NAME_FIELDS } from "../query/fields.ts";
import type { LruLimits } from "../runtime/lru.ts";

/** Hits an export makes at a time, between turns given to other requests. */
const STREAM_BATCH = 100;

/**
 * An archive over a store: the one implementation of the seam's `Archive` (`src/archive.ts`).
 * Searches and statement pages go through the pipeline of `src/search/`, in slices that give
 * other requests a turn, stopping when `signal` aborts; what is the engine's own (loading,
 * following a folder, originals, earlier texts) is the store's.
 */
export class PipelineArchive {
  /** Match sets of recent queries, for paging, facet clicks and repeated requests. */
  private readonly answers: QueryCache;

  constructor(
    readonly store: Store,
    queryCache?: LruLimits,
  ) {
    this.answers = new QueryCache(queryCache);
  }

  async open(): Promise<void> {
    await this.store.open();
    // Names across scripts are filed now, not by the first search that needs them.
    const vocabulary = this.store.vocabulary();
    if (vocabulary) fileNames(vocabulary);
    // So are the archive's people, places and organisations grouped across forms (about
    // 0.4 s at 17,000 statements), which the first names view or `person:` would wait for.
    if (NAME_FIELDS.some((f) => this.store.fieldValues().has(f)))
      nameIndex(this.store);
  }

  follow(): void {
    this.store.follow();
  }

  close(): Promise<void> {
    return this.store.close();
  }

  state(): LoadState {
    return this.store.state();
  }

  overview(): Overview {
    return this.store.overview();
  }

  generation(): number | undefined {
    return this.store.generation();
  }

  fields(): string[] {
    return this.store.fields();
  }

  about(): Promise<About> {
    return this.store.about();
  }

  capabilities(): Capabilities {
    return this.store.capabilities();
  }

  async missingParts(): Promise<string[]> {
    return (await this.store.missingParts?.()) ?? [];
  }

  search(query: SearchQuery, signal?: AbortSignal): Promise<SearchPage> {
    return this.run(searchSteps(this.store, query, this.answers), signal);
  }

  count(query: SearchQuery, signal?: AbortSignal): Promise<number> {
    return this.run(countSteps(this.store, query, this.answers), signal);
  }

  async stream(query: SearchQuery, signal?: AbortSignal): Promise<HitStream> {
    const store = this.store;
    const { answer } = await this.run(
      answerOf(store, query, COUNT_ONLY, this.answers),
      signal,
    );
    const unavailable = new Set([
      ...answer.prepared.unavailable,
      ...(answer.set?.unavailable ?? []),
    ]);
    const total = answer.counts.total;
    const run = <T>(steps: Steps<T>) => this.run(steps, signal);
    const spec = answer.prepared.spec;
    const set = answer.set;
    // Lines a batch at a time: from the store's stream when it has one (memory stays flat
    // however many match), otherwise every match ranked at once.
    async function* batches(): AsyncGenerator<Line[]> {
      if (!set) return;
      if (!store.stream) {
        const lines = await run(
          linesOf(
            store,
            answer,
            { ...query, grouping: "all" },
            Infinity,
            unavailable,
          ),
        );
        for (let i = 0; i < lines.length; i += STREAM_BATCH)
          yield lines.slice(i, i + STREAM_BATCH);
        return;
      }
      const pairs = wordPairs(query.parsed.root, answer.prepared.known);
      for await (const lines of streamLines(
        store.stream(set, query.sort),
        set.plan,
        query.sort,
        pairs,
        run,
        unavailable,
      ))
        for (let i = 0; i < lines.length; i += STREAM_BATCH)
          yield lines.slice(i, i + STREAM_BATCH);
    }
    // A batch's rows are bounded work (STREAM_BATCH snippets), which a busy machine may
    // stretch past a search's time limit: the limit is for finding the matches, not for this.
    const rows = (lines: Line[]) =>
      this.run(
        hitsOf(store, lines, spec, false, unavailable),
        signal,
        Infinity,
      );
    async function* hits(): AsyncGenerator<Hit> {
      for await (const lines of batches()) {
        if (signal?.aborted) return;
        yield* await rows(lines);
      }
    }
    return { total, hits: hits(), unavailable };
  }

  statement(
    id: string,
    query: SearchQuery,
    part = 1,
    signal?: AbortSignal,
  ): Promise<StatementView | undefined> {
    return this.run(statementViewSteps(this.store, id, query, part), signal);
  }

  compare(
    queries: readonly SearchQuery[],
    unit?: "month" | "year",
    signal?: AbortSignal,
  ): Promise<ComparePage> {
    return this.run(
      compareSteps(this.store, queries, unit, this.answers),
      signal,
    );
  }

  concordance(
    query: SearchQuery,
    order?: ConcordanceOrder,
    signal?: AbortSignal,
  ): Promise<ConcordancePage> {
    return this.run(
      concordanceSteps(this.store, query, order, this.answers),
      signal,
    );
  }

  names(query: SearchQuery, signal?: AbortSignal): Promise<NamesPage> {
    return this.run(namesSteps(this.store, query), signal);
  }

  terms(query: SearchQuery, signal?: AbortSignal): Promise<TermsPage> {
    return this.run(termsSteps(this.store, query, this.answers), signal);
  }

  async complete(q: string, signal?: AbortSignal): Promise<Completions> {
    const { value } = await this.run(
      withWords(this.store, function* (words) {
        return completeQuery(words, q);
      }),
      signal,
    );
    return value;
  }

  original(id: string): Promise<Original | undefined> {
    return this.store.original(id);
  }

  async diff(
    from: string,
    to: string,
    signal?: AbortSignal,
  ): Promise<VersionDiff | undefined> {
    const found = await this.statementsById([from, to], signal);
    const [a, b] = [from, to].map((id) => found.find((s) => s.id === id));
    return a && b
      ? { from: a, to: b, diff: await compareStatements(a, b) }
      : undefined;
  }

  async change(
    id: string,
    n: number,
    signal?: AbortSignal,
  ): Promise<TextChange | undefined> {
    const kept = this.store.history(id);
    const [before, after] = [kept[n - 1], kept[n]];
    if (!before || !after || !Number.isInteger(n)) return undefined;
    const [statement] = await this.statementsById([id], signal);
    if (!statement) return undefined;
    // Each kept text as the statement it was, dated when Readout saw it.
    const as = (text: KeptText): Statement => {
      const { date: _date, ...rest } = statement;
      return {
        ...rest,
        title: text.title,
        body: text.text,
        ...(text.seenAt ? { date: text.seenAt.slice(0, 10) } : {}),
      };
    };
    const [a, b] = [as(before), as(after)];
    return {
      from: a,
      to: b,
      diff: await compareStatements(a, b),
      texts: kept.length,
    };
  }

  statementsById(ids: string[], signal?: AbortSignal): Promise<Statement[]> {
    return this.run(this.store.statements(ids), signal);
  }

  async readSince(
    query: SearchQuery,
    since: string | undefined,
    limit: number,
    signal?: AbortSignal,
  ): Promise<ReadSince> {
    const { answer } = await this.run(
      answerOf(this.store, query, COUNT_ONLY, this.answers),
      signal,
    );
    return this.run(this.store.readSince(answer.set, since, limit), signal);
  }

  workspace(): WorkspaceStore | undefined {
    return this.store.workspace();
  }

  /** Reads again what changed (the data folder, the database's catalog), as following does. */
  refresh(): Promise<void> {
    return this.store.refresh();
  }

  private run<T>(
    steps: Steps<T>,
    signal?: AbortSignal,
    seconds?: number,
  ): Promise<T> {
    return runSliced(steps, {
      ...(signal ? { signal } : {}),
      ...(seconds === undefined ? {} : { seconds }),
    });
  }
}
