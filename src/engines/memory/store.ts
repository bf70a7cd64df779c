import type { History } from "../../versions/history-file.ts";
import type { KeptText } from "../../versions/history.ts";
import { originalOf, type Original } from "../../ingest/original.ts";
import type { Problem, Statement } from "../../ingest/statement.ts";
import type { Steps } from "../../runtime/deadline.ts";
import type {
  About,
  AggregateRequest,
  Aggregates,
  Candidates,
  Capabilities,
  LoadState,
  MatchPlan,
  MatchSet,
  Member,
  Overview,
  ReadSince,
  Segment,
  Statistics,
  StatementRow,
  Store,
  Vocabulary,
} from "../store.ts";
import { SEPARATOR } from "../store.ts";
import type { WorkspaceStore } from "../../workspace/store.ts";
import { aggregate, nameLists, narrow, type Narrowed } from "./aggregate.ts";
import { latestRead, readAfter } from "./first-read.ts";
import { JournalStore } from "./workspace/journal-store.ts";
import { buildCorpus, derived, WORDS, type Corpus } from "./corpus.ts";
import { Library, type LibraryOptions } from "./library.ts";
import { CorpusSegment } from "./segment.ts";
import { gramCounts } from "./grams.ts";
import type { Boilerplate } from "../../versions/boilerplate.ts";

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
  /** What fails and is being tried again (a save, a kept text). */
  readonly warnings?: string[];
  /** How its files are read: whether hard links are (an original is offered the same way). */
  readonly readOptions?: { followHardLinks?: boolean };
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

/** A match set of the corpus: the docs, narrowed by each of the plan's selections. */
interface CorpusMatches extends MatchSet {
  narrowed: Narrowed;
  segment: Segment;
}

/**
 * The store of the in-memory engine: a MiniSearch index built at start-up (or read from the saved
 * index) and searched in this process. It holds every statement, so it hands the pipeline its
 * whole vocabulary and lets it score the whole corpus (`CorpusSegment`); it narrows and
 * counts the matches over its typed arrays.
 */
export class MemoryStore implements Store {
  private segmentOf?: { generation: number; segment: CorpusSegment };
  /** Collections and saved searches, in a journal in the cache folder; opened by open(). */
  private journal?: JournalStore;

  private constructor(
    private readonly source: Source,
    /** Where the workspace journal is, and whether it is only read; none: no workspace. */
    private readonly journalAt?: { dir: string; readOnly?: boolean },
  ) {}

  /**
   * A store over a data folder: loaded by `open()`, kept in step by `follow()`; with
   * `workspace`, collections and saved searches in a journal in the cache folder.
   */
  static fromFolder(
    options: LibraryOptions & { workspace?: "write" | "read" },
  ): MemoryStore {
    const { workspace, ...library } = options;
    return new MemoryStore(
      new Library(library),
      workspace && library.cacheDir
        ? { dir: library.cacheDir, readOnly: workspace === "read" }
        : undefined,
    );
  }

  /** A store over statements already read (tests, tools); ready at once, follows nothing. */
  static fromStatements(
    statements: Statement[],
    info: {
      problems?: Problem[];
      files?: number;
      dataDir?: string;
      /** A folder for the workspace journal (opened by `open()`); default none. */
      workspaceDir?: string;
    } = {},
  ): MemoryStore {
    const started = performance.now();
    const now = new Date().toISOString();
    const corpus = buildCorpus(
      statements.map((s) => (s.firstRead ? s : { ...s, firstRead: now })),
    );
    return MemoryStore.fromCorpus(corpus, {
      ...info,
      loadMs: performance.now() - started,
    });
  }

  /** A store over a corpus already built (tests, tools). */
  static fromCorpus(
    corpus: Corpus,
    info: {
      problems?: Problem[];
      files?: number;
      dataDir?: string;
      loadMs?: number;
      workspaceDir?: string;
    } = {},
  ): MemoryStore {
    const statements = [...corpus.byId.values()];
    return new MemoryStore(
      {
        corpus,
        problems: info.problems ?? [],
        files: info.files ?? new Set(statements.map((s) => s.origin.file)).size,
        ...(info.dataDir ? { dataDir: info.dataDir } : {}),
        loadMs: info.loadMs ?? 0,
        state: {
          phase: "ready",
          done: corpus.index.size,
          startedAt: performance.now(),
        },
        origin: "built from the data",
        readFiles: true,
      },
      info.workspaceDir ? { dir: info.workspaceDir } : undefined,
    );
  }

  // Lifecycle

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

  async refresh(): Promise<void> {
    await this.source.refresh?.();
  }

  async close(): Promise<void> {
    await this.source.close?.();
    await this.journal?.close();
  }

  workspace(): WorkspaceStore | undefined {
    return this.journal;
  }

  state(): LoadState {
    const warnings = this.source.warnings;
    return warnings?.length
      ? { ...this.source.state, warnings }
      : this.source.state;
  }

  overview(): Overview {
    return this.source.corpus?.overview ?? EMPTY;
  }

  generation(): number {
    return this.source.corpus?.generation ?? -1;
  }

  fields(): string[] {
    const corpus = this.source.corpus;
    if (!corpus) return [];
    return [...corpus.fields.keys(), ...nameLists(corpus).keys()];
  }

  async about(): Promise<About> {
    const { files, dataDir, loadMs, origin, readFiles } = this.source;
    return {
      ...(dataDir ? { dataDir } : {}),
      files,
      loadSeconds: Math.round(loadMs / 100) / 10,
      origin,
      readFiles,
      fields: this.fields(),
      problems: [
        ...this.source.problems,
        ...(this.source.historyProblems ?? []),
      ],
    };
  }

  capabilities(): Capabilities {
    return {
      history: this.source.history !== undefined,
      originals: this.source.dataDir !== undefined,
    };
  }

  async original(id: string): Promise<Original | undefined> {
    const statement = this.source.corpus?.byId.get(id);
    const { dataDir } = this.source;
    return statement && dataDir
      ? originalOf(
          dataDir,
          statement.origin,
          this.source.readOptions?.followHardLinks,
        )
      : undefined;
  }

  history(id: string): KeptText[] {
    return this.source.history?.list(id) ?? [];
  }

  // Data

  statistics(): Statistics {
    const corpus = this.corpus();
    return derived(corpus, "statistics", () => {
      let titleWords = 0;
      let bodyWords = 0;
      const languages = new Set<string>();
      corpus.statements.forEach((s, doc) => {
        if (s === undefined) return;
        titleWords += corpus[WORDS[0]!][doc]!;
        bodyWords += corpus[WORDS[1]!][doc]!;
        const lang = s.lang ?? s.meta.language ?? s.meta.lang;
        languages.add(lang?.trim().toLowerCase() || "und");
      });
      return {
        statements: corpus.index.size,
        titleWords,
        bodyWords,
        languages: [...languages].sort(),
      };
    });
  }

  vocabulary(): Vocabulary {
    return this.corpus().index;
  }

  fieldValues(): Map<string, Map<string, number>> {
    const corpus = this.corpus();
    return derived(corpus, "field-values", () => {
      const out = new Map<string, Map<string, number>>();
      for (const [name, field] of corpus.fields) {
        const counts = new Int32Array(field.values.length);
        for (let doc = 0; doc < field.byDoc.length; doc++)
          if (field.byDoc[doc]! >= 0) counts[field.byDoc[doc]!]!++;
        const values = new Map<string, number>();
        counts.forEach((n, v) => n > 0 && values.set(field.values[v]!, n));
        if (values.size) out.set(name, values);
      }
      // A name field counts the statements naming each form.
      for (const [name, list] of nameLists(corpus)) {
        const counts = new Int32Array(list.values.length);
        list.byDoc.forEach((have) => {
          if (have) for (const v of have) counts[v]!++;
        });
        out.set(
          name,
          new Map(list.values.map((value, v) => [value, counts[v]!])),
        );
      }
      return out;
    });
  }

  *fieldPairs(a: string, b: string): Steps<[string | null, string | null][]> {
    const corpus = this.corpus();
    const fa = corpus.fields.get(a);
    const fb = corpus.fields.get(b);
    const pairs = new Map<string, [string | null, string | null]>();
    if (!fa || !fb) return [];
    for (let doc = 0; doc < fa.byDoc.length; doc++) {
      if (corpus.statements[doc] === undefined) continue;
      const [va, vb] = [fa.byDoc[doc]!, fb.byDoc[doc]!];
      pairs.set(`${va}:${vb}`, [
        va < 0 ? null : fa.values[va]!,
        vb < 0 ? null : fb.values[vb]!,
      ]);
    }
    return [...pairs.values()];
  }

  *match(plan: MatchPlan, want: AggregateRequest): Steps<MatchSet> {
    const corpus = this.corpus();
    const segment = this.segment();
    const scored = yield* plan.score(segment);
    yield;
    const narrowed = narrow(corpus, scored, plan);
    const set: CorpusMatches = {
      plan,
      segment,
      narrowed,
      counts: aggregate(corpus, narrowed, plan, want),
      unavailable: [],
      bytes:
        bytesOf(narrowed.matches) +
        (narrowed.unfaceted === narrowed.matches
          ? 0
          : bytesOf(narrowed.unfaceted)),
    };
    return set;
  }

  *aggregate(set: MatchSet, want: AggregateRequest): Steps<Aggregates> {
    const { narrowed, plan } = set as CorpusMatches;
    return aggregate(this.corpus(), narrowed, plan, want);
  }

  *candidates(set: MatchSet): Steps<Candidates> {
    const { segment, narrowed } = set as CorpusMatches;
    return {
      segment,
      matches: narrowed.matches,
      complete: true,
      unavailable: [],
    };
  }

  *rows(
    lines: readonly { doc: number }[],
  ): Steps<{ rows: (StatementRow | undefined)[]; unavailable: string[] }> {
    const corpus = this.corpus();
    const termId = (term: string) => corpus.vocabulary.get(term);
    const rows = lines.map(({ doc }): StatementRow | undefined => {
      const statement = corpus.statements[doc];
      // Removed since the lines were ranked: its slot is empty now.
      if (!statement) return undefined;
      const positions = corpus.positions[doc];
      const group = corpus.versions.groupOf(statement.id)?.id;
      return {
        statement,
        ...(positions
          ? {
              bodyIds: positions.subarray(positions.indexOf(SEPARATOR) + 1),
              termId,
            }
          : {}),
        ...(group ? { group } : {}),
      };
    });
    return { rows, unavailable: [] };
  }

  *statements(ids: readonly string[]): Steps<Statement[]> {
    const { byId } = this.corpus();
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  *readSince(
    set: MatchSet | undefined,
    since: string | undefined,
    limit: number,
  ): Steps<ReadSince> {
    const { statements } = this.corpus();
    const latest = latestRead(statements);
    const docs = set ? (set as CorpusMatches).narrowed.matches.ids : [];
    return {
      ...readAfter(statements, docs, since, limit),
      ...(latest ? { latest } : {}),
    };
  }

  *termFrequencies(id: string, limit: number): Steps<Map<string, number>> {
    const corpus = this.corpus();
    const doc = corpus.index.shortId(id);
    const counts = new Map<string, number>();
    const positions = doc === undefined ? undefined : corpus.positions[doc];
    for (const n of positions?.subarray(0, limit) ?? []) {
      if (n === SEPARATOR) continue;
      const term = corpus.words[n]!;
      counts.set(term, (counts.get(term) ?? 0) + 1);
    }
    return counts;
  }

  *gramCounts(
    grams: readonly string[],
    set?: MatchSet,
  ): Steps<{ counts: number[]; unavailable: string[] }> {
    const docs = set
      ? (set as CorpusMatches).narrowed.matches.ids
      : this.segment().all();
    return {
      counts: yield* gramCounts(this.corpus(), grams, docs),
      unavailable: [],
    };
  }

  *boilerplate(): Steps<Pick<Boilerplate, "has">> {
    return this.corpus().versions.boilerplate();
  }

  *versions(ids: readonly string[]): Steps<Map<string, Member[]>> {
    const corpus = this.corpus();
    const out = new Map<string, Member[]>();
    for (const id of ids) {
      const group = corpus.versions.groupOf(id);
      if (!group) continue;
      out.set(
        id,
        group.members.flatMap((m) => {
          const statement = corpus.byId.get(m.id);
          return statement
            ? [
                {
                  id: m.id,
                  title: statement.title,
                  ...(m.date ? { date: m.date } : {}),
                  ...(m.source ? { source: m.source } : {}),
                },
              ]
            : [];
        }),
      );
    }
    return out;
  }

  /** The corpus as the pipeline scores it, made again after every change. */
  private segment(): CorpusSegment {
    const corpus = this.corpus();
    if (this.segmentOf?.generation !== corpus.generation)
      this.segmentOf = {
        generation: corpus.generation,
        segment: new CorpusSegment(corpus),
      };
    return this.segmentOf.segment;
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

function bytesOf(m: { ids: Int32Array; scores: Float64Array }): number {
  return m.ids.byteLength + m.scores.byteLength;
}
