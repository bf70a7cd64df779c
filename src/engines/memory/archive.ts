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
  ReadSince,
  WorkspaceStore,
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
import { latestRead, readAfter } from "./first-read.ts";
import { JournalStore } from "./workspace/journal-store.ts";

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
  refresh?(): Promise<unknown>;
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
  /** Collections and saved searches, in a journal in the cache folder; opened by open(). */
  private journal?: JournalStore;

  private constructor(
    private readonly source: Source,
    queryCache: QueryCacheLimits = DEFAULT_QUERY_CACHE,
    /** Where the workspace journal is, and whether it is only read; none: no workspace. */
    private readonly journalAt?: { dir: string; readOnly?: boolean },
  ) {
    this.answers = new QueryCache(queryCache);
  }

  /**
   * An archive over a data folder: loaded by `open()`, kept in step by `follow()`.
   * `queryCache` bounds the cache of recent queries' match sets (`entries: 0` turns it off).
   */
  static fromFolder(
    options: LibraryOptions & {
      queryCache?: QueryCacheLimits;
      /** Keep collections and saved searches in a journal in the cache folder, or only read it. */
      workspace?: "write" | "read";
    },
  ): MemoryArchive {
    const { queryCache, workspace, ...library } = options;
    return new MemoryArchive(
      new Library(library),
      queryCache,
      workspace && library.cacheDir
        ? { dir: library.cacheDir, readOnly: workspace === "read" }
        : undefined,
    );
  }

  /** An archive over statements already read (tests, tools); ready at once, follows nothing. */
  static fromStatements(
    statements: Statement[],
    info: {
      problems?: Problem[];
      files?: number;
      dataDir?: string;
      queryCache?: QueryCacheLimits;
      /** A folder for the workspace journal (opened by `open()`); default none. */
      workspaceDir?: string;
    } = {},
  ): MemoryArchive {
    const started = performance.now();
    const now = new Date().toISOString();
    const corpus = buildCorpus(
      statements.map((s) => (s.firstRead ? s : { ...s, firstRead: now })),
    );
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
      info.workspaceDir ? { dir: info.workspaceDir } : undefined,
    );
  }

  async open(): Promise<void> {
    await this.source.open?.();
    if (this.journalAt && !this.journal)
      this.journal = await JournalStore.open(this.journalAt.dir, {
        readOnly: this.journalAt.readOnly ?? false,
      });
  }

  follow(): void {
    this.source.watch?.();
  }

  /** Reads what changed in the data folder now, as following it does on its own (tests, tools). */
  async refresh(): Promise<void> {
    await this.source.refresh?.();
  }

  async close(): Promise<void> {
    await this.source.close?.();
    await this.journal?.close();
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
      ...(this.journal?.problems() ?? []),
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

  async statementsById(ids: string[]): Promise<Statement[]> {
    const { byId } = this.corpus();
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async readSince(
    query: SearchQuery,
    since: string | undefined,
    limit: number,
    signal?: AbortSignal,
  ): Promise<ReadSince> {
    const corpus = this.corpus();
    const { found } = await runSliced(
      cachedAnswer(corpus, query, this.answers),
      { signal },
    );
    const latest = latestRead(corpus.statements);
    return {
      ...readAfter(corpus.statements, found.matches.ids, since, limit),
      ...(latest ? { latest } : {}),
    };
  }

  workspace(): WorkspaceStore | undefined {
    return this.journal;
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
