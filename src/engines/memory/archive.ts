import type {
  About,
  Archive,
  Completions,
  Hit,
  HitStream,
  LoadState,
  Overview,
  Problem,
  SearchPage,
  Statement,
  StatementView,
  TextChange,
  VersionDiff,
  Original,
} from "../../archive.ts";
import type { History } from "../../versions/history-file.ts";
import type { KeptText } from "../../versions/history.ts";
import { originalOf } from "../../ingest/original.ts";
import { diffStatements } from "../../versions/diff.ts";
import type { SearchQuery } from "../../query/params.ts";
import { completeQuery } from "../../search/complete.ts";
import { runSliced } from "../../search/deadline.ts";
import { buildCorpus, type Corpus } from "./corpus.ts";
import { Library, type LibraryOptions } from "./library.ts";
import { order } from "./order.ts";
import {
  DEFAULT_QUERY_CACHE,
  QueryCache,
  type QueryCacheLimits,
} from "./query-cache.ts";
import { cachedAnswer, searchSteps, toHit } from "./search.ts";
import { statementViewSteps } from "./statement-view.ts";

/** What the archive is read from: a library that loads and follows a folder, or statements in hand. */
interface Source {
  readonly corpus?: Corpus;
  readonly problems: Problem[];
  readonly files: number;
  readonly dataDir?: string;
  readonly loadMs: number;
  readonly state: LoadState;
  readonly origin: string;
  /** Whether opening read files of the folder, not only the saved index. */
  readonly readFiles: boolean;
  /** Earlier texts of changed statements, when kept. */
  readonly history?: History;
  readonly historyProblems?: Problem[];
  open?(): Promise<void>;
  watch?(): void;
  close?(): Promise<void>;
}

const EMPTY: Overview = {
  statements: 0,
  sources: [],
  withoutSource: 0,
  languages: [],
  examples: [],
};

/** Rows an export streams between turns given to other requests. */
const STREAM_TURN = 100;

/**
 * The in-memory engine behind the `Archive` seam: a MiniSearch index built at start-up (or
 * read from the saved index) and searched in this process.
 */
export class MemoryArchive implements Archive {
  /** Match sets of recent queries, for paging, facet clicks and repeated requests. */
  private readonly answers: QueryCache;

  private constructor(
    private readonly source: Source,
    queryCache: QueryCacheLimits = DEFAULT_QUERY_CACHE,
  ) {
    this.answers = new QueryCache(queryCache);
  }

  /**
   * An archive over a data folder: loaded by `open()`, kept in step by `follow()`.
   * `queryCache` bounds the cache of recent queries' match sets (`entries: 0` turns it off).
   */
  static fromFolder(
    options: LibraryOptions & { queryCache?: QueryCacheLimits },
  ): MemoryArchive {
    const { queryCache, ...library } = options;
    return new MemoryArchive(new Library(library), queryCache);
  }

  /** An archive over statements already read (tests, tools); ready at once, follows nothing. */
  static fromStatements(
    statements: Statement[],
    info: {
      problems?: Problem[];
      files?: number;
      dataDir?: string;
      queryCache?: QueryCacheLimits;
    } = {},
  ): MemoryArchive {
    const started = performance.now();
    const corpus = buildCorpus(statements);
    return new MemoryArchive(
      {
        corpus,
        problems: info.problems ?? [],
        files: info.files ?? new Set(statements.map((s) => s.origin.file)).size,
        ...(info.dataDir ? { dataDir: info.dataDir } : {}),
        loadMs: performance.now() - started,
        state: { phase: "ready", done: corpus.index.size, startedAt: started },
        origin: "built from the data",
        readFiles: true,
      },
      info.queryCache,
    );
  }

  open(): Promise<void> {
    return this.source.open?.() ?? Promise.resolve();
  }

  follow(): void {
    this.source.watch?.();
  }

  close(): Promise<void> {
    return this.source.close?.() ?? Promise.resolve();
  }

  state(): LoadState {
    return this.source.state;
  }

  overview(): Overview {
    return this.source.corpus?.overview ?? EMPTY;
  }

  generation(): number {
    return this.source.corpus?.generation ?? -1;
  }

  fields(): string[] {
    return [...(this.source.corpus?.fields.keys() ?? [])];
  }

  async about(): Promise<About> {
    const { files, dataDir, loadMs, origin, readFiles } = this.source;
    const problems = [
      ...this.source.problems,
      ...(this.source.historyProblems ?? []),
    ];
    return {
      ...(dataDir ? { dataDir } : {}),
      files,
      loadSeconds: Math.round(loadMs / 100) / 10,
      origin,
      readFiles,
      fields: this.fields(),
      problems,
    };
  }

  // Searches run in slices, so a heavy one never holds the other requests up for long.
  async search(query: SearchQuery, signal?: AbortSignal): Promise<SearchPage> {
    return runSliced(searchSteps(this.corpus(), query, this.answers), {
      signal,
    });
  }

  async count(query: SearchQuery, signal?: AbortSignal): Promise<number> {
    const corpus = this.corpus();
    const { found } = await runSliced(
      cachedAnswer(corpus, query, this.answers),
      { signal },
    );
    return found.relaxed ? 0 : found.matches.ids.length;
  }

  async stream(query: SearchQuery, signal?: AbortSignal): Promise<HitStream> {
    const corpus = this.corpus();
    const { found } = await runSliced(
      cachedAnswer(corpus, query, this.answers),
      { signal },
    );
    const ranked = order(corpus, found, query);
    const { ids, scores } = found.matches;
    async function* hits(): AsyncGenerator<Hit> {
      for (let n = 0; n < ranked.length && !signal?.aborted; n++) {
        const i = ranked[n]!;
        // Removed since the stream began: its slot is empty now.
        if (corpus.statements[ids[i]!] !== undefined)
          yield toHit(corpus, ids[i]!, scores[i]!, found.spec);
        if (n % STREAM_TURN === STREAM_TURN - 1)
          await new Promise((resolve) => setImmediate(resolve));
      }
    }
    return { total: ids.length, hits: hits() };
  }

  async statement(
    id: string,
    query: SearchQuery,
    part = 1,
  ): Promise<StatementView | undefined> {
    const view = await runSliced(
      statementViewSteps(this.corpus(), id, query, part),
    );
    const kept = view && this.source.history?.list(id);
    if (!view || !kept?.length) return view;
    return {
      ...view,
      history: kept.map(({ seenAt, title }) => ({ seenAt, title })),
    };
  }

  async change(id: string, n: number): Promise<TextChange | undefined> {
    const statement = this.source.corpus?.byId.get(id);
    const kept = this.source.history?.list(id) ?? [];
    const [before, after] = [kept[n - 1], kept[n]];
    if (!statement || !before || !after || !Number.isInteger(n))
      return undefined;
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
    const [from, to] = [as(before), as(after)];
    return { from, to, diff: diffStatements(from, to), texts: kept.length };
  }

  async original(id: string): Promise<Original | undefined> {
    const statement = this.source.corpus?.byId.get(id);
    const { dataDir } = this.source;
    return statement && dataDir
      ? originalOf(dataDir, statement.origin)
      : undefined;
  }

  async diff(from: string, to: string): Promise<VersionDiff | undefined> {
    const corpus = this.corpus();
    const a = corpus.byId.get(from);
    const b = corpus.byId.get(to);
    return a && b ? { from: a, to: b, diff: diffStatements(a, b) } : undefined;
  }

  async complete(q: string): Promise<Completions> {
    return completeQuery(this.corpus().index, q);
  }

  private corpus(): Corpus {
    const corpus = this.source.corpus;
    if (!corpus)
      throw new Error(
        `memory: the archive is not loaded yet (${this.source.state.phase})`,
      );
    return corpus;
  }
}
