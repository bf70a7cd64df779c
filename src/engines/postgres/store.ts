import type { Statement } from "../../ingest/statement.ts";
import { originalOf, type Original } from "../../ingest/original.ts";
import { earlier } from "../../versions/version-index.ts";
import type { KeptText } from "../../versions/history.ts";
import { wait, type Steps } from "../../runtime/deadline.ts";
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
  Order,
  Overview,
  ReadSince,
  Round,
  Segment,
  Statistics,
  StatementRow,
  Store,
  VocabularyAnswer,
  VocabularyRequest,
} from "../store.ts";
import { aggregate } from "./aggregate.ts";
import {
  bestSql,
  candidateLimits,
  datedSql,
  readBest,
  readByDate,
  readHits,
  statementRowOf,
  wantedOf,
  type HitRow,
  type Mark,
  type Wanted,
} from "./candidates.ts";
import { fieldPairs, readCatalog, type Catalog } from "./catalog.ts";
import {
  all,
  compileDates,
  compileMatch,
  compileNames,
  Sql,
} from "./compile.ts";
import { AdmissionQueue } from "../../runtime/admission.ts";
import { followFolder, landsSoon, type Follower } from "../../ingest/follow.ts";
import { loadStatements } from "../../ingest/load.ts";
import {
  importFolder,
  planImport,
  type ImportOptions,
  type ImportPlan,
  type ImportSummary,
} from "./import.ts";
import { RowSegment, type CandidateRow } from "./segment.ts";
import { compileFilters, storable } from "./compile.ts";
import {
  connectionLimits,
  cursorRows,
  fanOut,
  partName,
  Shards,
  ShardUnavailable,
} from "./shards.ts";
import { gramCounts, readBoilerplate } from "./grams.ts";
import type { Boilerplate } from "../../versions/boilerplate.ts";
import type { ClusterSpec } from "./spec.ts";
import { lookup } from "./vocabulary.ts";
import { readSince } from "./first-read.ts";
import { TablesStore } from "./workspace-store.ts";
import type { WorkspaceStore } from "../../workspace/store.ts";

export interface PostgresOptions {
  spec: ClusterSpec;
  /** A data folder to keep the database in step with (imported at open, followed after). */
  dataDir?: string;
  log?: (line: string) => void;
  /** Read files with more than one name (`--follow-hard-links`). Default false. */
  followHardLinks?: boolean;
  /** How often the catalog (counts, fields, overview) is read again, in ms; default 30 s. */
  refreshMs?: number;
  /** The languages scans are read in by OCR; default every one installed; empty: none. */
  ocrLanguages?: string[];
  /** Find each statement's people, places and organisations (`--entities`) as files change. */
  entities?: boolean;
  /** Reads the folder's files (tests stand in a slow reader); default `loadStatements`. */
  load?: typeof loadStatements;
}

/**
 * How many pieces of work run on the shards at once, and how many wait (at most `waitMs`)
 * for a turn, so a burst cannot take more connections than the pools hold.
 */
export const QUERY_QUEUE = { running: 8, waiting: 32, waitMs: 5_000 };

/** A plan's matches as SQL: the condition, what candidates read, and what counting found. */
interface SqlMatches extends MatchSet {
  where: (sql: Sql) => string;
  wanted: Wanted;
  /** Matches per shard within every selection: a shard with none is not asked for candidates. */
  perShard: number[];
  /** The first round of candidates in relevance order, read while the matches were counted. */
  early?: Promise<ReadCandidates>;
}

/** What a round read from each shard (undefined: the shard did not answer). */
type ReadCandidates = {
  results: ({ rows: CandidateRow[]; all: boolean; last?: Mark } | undefined)[];
  missing: number[];
};

/** How far the matches' ceilings make exact: a little above, for the rounding of two sums. */
const CEILING_MARGIN = 1 + 1e-9;

/**
 * The PostgreSQL engine's store: statements spread over shards, each with replicas for reads.
 * It finds and counts matches with SQL (a tsquery over each statement's vector of Readout's
 * own terms), and hands the pipeline the rows of a page's candidates, their positions and the
 * archive's statistics, ranked by the one pipeline. Serves as the read-only role;
 * imports (with a data folder) as the writer role.
 */
export class PostgresStore implements Store {
  private shards: Shards;
  private catalog?: Catalog;
  /** The boilerplate of the archive as of a catalog read (what stands out leaves it out). */
  private boilerplateOf?: {
    catalog: object;
    boilerplate: Promise<Boilerplate>;
  };
  private loadState: LoadState = {
    phase: "starting",
    done: 0,
    startedAt: performance.now(),
  };
  private loadMs = 0;
  private origin = "";
  private refresher?: NodeJS.Timeout;
  private follower?: Follower;
  private importing: Promise<unknown> = Promise.resolve();
  /** Files a live update is reading or writing: later looks leave them to it. */
  private readonly reading = new Set<string>();
  /** Live updates under way, waited for by close(). */
  private readonly updates = new Set<Promise<void>>();
  private readonly gate = new AdmissionQueue(QUERY_QUEUE);
  /** Collections and saved searches, in tables on the first shard, once open() found them. */
  private tables?: TablesStore;

  constructor(private readonly options: PostgresOptions) {
    this.shards = new Shards(
      options.spec,
      "readout_reader",
      undefined,
      options.log,
    );
  }

  // Lifecycle

  async open(): Promise<void> {
    const started = performance.now();
    try {
      if (this.options.dataDir) {
        this.loadState = { phase: "reading", done: 0, startedAt: started };
        const summary = await this.importNow();
        this.origin = `imported into PostgreSQL: ${describeImport(summary)}`;
      } else this.origin = `from PostgreSQL, ${this.shards.count} shard(s)`;
      await this.refresh();
      // Tables an import made; a database imported by an earlier Readout has none yet.
      if (await TablesStore.present(this.shards))
        this.tables = new TablesStore(this.shards);
      else
        this.options.log?.(
          "Collections and saved searches are off: the database has no workspace tables yet; run readout import once to add them.",
        );
      this.loadMs = performance.now() - started;
      this.loadState = {
        phase: "ready",
        done: this.catalog!.stats.statements,
        startedAt: started,
      };
      this.refresher = setInterval(
        () => void this.refresh().catch(() => undefined),
        this.options.refreshMs ?? 30_000,
      );
      this.refresher.unref();
    } catch (err) {
      this.loadState = {
        phase: "failed",
        done: 0,
        startedAt: started,
        error: (err as Error).message,
      };
      throw err;
    }
  }

  /**
   * Follows the data folder by the rule both engines keep (ingest/follow.ts): a look plans
   * what changed, reads it outside the import lock, and waits for it at most SLOW_READ_MS
   * (`landsSoon`); a slow file goes on being read and is written when done, while files saved
   * meanwhile are read and written by later looks. Writes still take turns (`importing`):
   * PostgreSQL's import lock allows one.
   */
  follow(): void {
    const { dataDir, log } = this.options;
    if (!dataDir) return;
    const look = async (): Promise<boolean> => {
      try {
        const writer = new Shards(this.options.spec, "readout_writer", 1);
        const plan = await planImport(writer, dataDir, {
          ...this.readOptions(),
          live: true,
          exclude: this.reading,
        }).finally(() => writer.close());
        if (plan.changed.length + plan.removedFiles.length === 0) return false;
        const update = this.update(plan);
        const landed = await landsSoon(update);
        // Saves made to it while it was read were left to it: look again once it is in.
        if (!landed) void update.then(look);
        return true;
      } catch (err) {
        log?.(`Could not update the database: ${(err as Error).message}`);
        return false;
      }
    };
    this.follower = followFolder(dataDir, { ...(log ? { log } : {}), look });
  }

  /** Reads a plan's files, then writes them in the import's turn; never rejects (it logs). */
  private update(plan: ImportPlan): Promise<void> {
    const { dataDir, log } = this.options;
    const files = [...plan.changed.map((s) => s.file), ...plan.removedFiles];
    for (const file of files) this.reading.add(file);
    const read = new Set(plan.changed.map((s) => s.file));
    const load = this.options.load ?? loadStatements;
    const update = (
      read.size
        ? load(dataDir!, { ...this.readOptions(), include: (f) => read.has(f) })
        : Promise.resolve({ statements: [], problems: [], files: 0 })
    )
      .then((loaded) => {
        const write = this.importing.then(() =>
          this.importNow(true, { ...plan, loaded }),
        );
        this.importing = write.catch(() => undefined);
        return write;
      })
      .then(async (summary) => {
        if (summary.added + summary.updated + summary.removed)
          log?.(`Updated: ${describeImport(summary)}.`);
        await this.refresh();
      })
      .catch((err: Error) =>
        log?.(`Could not update the database: ${err.message}`),
      )
      .finally(() => {
        for (const file of files) this.reading.delete(file);
        this.updates.delete(update);
      });
    this.updates.add(update);
    return update;
  }

  /** How files are read, as the options say: hard links, OCR languages, names. */
  private readOptions() {
    return {
      ...(this.options.followHardLinks ? { followHardLinks: true } : {}),
      ...(this.options.ocrLanguages
        ? { ocrLanguages: this.options.ocrLanguages }
        : {}),
      ...(this.options.entities ? { entities: true } : {}),
    };
  }

  async close(): Promise<void> {
    await this.follower?.close();
    clearInterval(this.refresher);
    await Promise.all(this.updates);
    await this.importing;
    await this.shards.close();
  }

  state(): LoadState {
    return this.loadState;
  }

  overview(): Overview {
    return (
      this.catalog?.overview ?? {
        statements: 0,
        sources: [],
        withoutSource: 0,
        languages: [],
        examples: [],
      }
    );
  }

  /**
   * Undefined: another process may import at any time, and a shard may stop answering, so
   * nothing found is kept for later requests.
   */
  generation(): undefined {
    return undefined;
  }

  fields(): string[] {
    return this.catalog?.fields ?? [];
  }

  async about(): Promise<About> {
    const catalog = this.ready();
    return {
      ...(this.options.dataDir ? { dataDir: this.options.dataDir } : {}),
      files: catalog.files,
      loadSeconds: Math.round(this.loadMs / 100) / 10,
      origin: this.origin,
      // The import reads the folder's new and changed files; their problems are in the catalog.
      readFiles: this.options.dataDir !== undefined,
      fields: catalog.fields,
      problems: catalog.problems,
    };
  }

  capabilities(): Capabilities {
    return { history: false, originals: this.options.dataDir !== undefined };
  }

  /** Shards none of whose servers answers a trivial query within the connection time limit. */
  async missingParts(): Promise<string[]> {
    const { missing } = await fanOut(this.shards, (shard) =>
      this.shards.read(
        shard,
        (client) => client.query("SELECT 1"),
        connectionLimits.connectMs,
      ),
    );
    return missing.map(partName);
  }

  /**
   * A statement's original file: only when this server follows the folder it imports from
   * (`--data`), the one place the file is known to be.
   */
  async original(id: string): Promise<Original | undefined> {
    const { dataDir } = this.options;
    if (!dataDir) return undefined;
    const [statement] = await this.fetchStatements([id]);
    return statement
      ? originalOf(dataDir, statement.origin, this.options.followHardLinks)
      : undefined;
  }

  /** Earlier texts are kept by the memory engine only (`--history`): none here. */
  history(): KeptText[] {
    return [];
  }

  workspace(): WorkspaceStore | undefined {
    return this.tables;
  }

  /** Reads the catalog again (counts, fields, overview): after an import, and every so often. */
  async refresh(): Promise<void> {
    this.catalog = await readCatalog(this.shards);
  }

  // Data

  statistics(): Statistics {
    return this.ready().stats;
  }

  vocabulary(): undefined {
    return undefined;
  }

  *lookup(request: VocabularyRequest): Steps<VocabularyAnswer> {
    return yield* this.admit(() => lookup(this.shards, request));
  }

  fieldValues(): Map<string, Map<string, number>> {
    return this.ready().values;
  }

  *fieldPairs(a: string, b: string): Steps<[string | null, string | null][]> {
    return yield* this.admit(() => fieldPairs(this.shards, a, b));
  }

  *match(plan: MatchPlan, want: AggregateRequest): Steps<MatchSet> {
    const known = new Set(this.ready().fields);
    const match = (sql: Sql) =>
      all([
        compileMatch(plan.tree, plan.variants, sql),
        ...compileNames(plan.names, sql),
        ...compileDates(plan.dates, sql),
      ]);
    const where = (sql: Sql) =>
      all([
        match(sql),
        ...compileFilters(plan.filters, plan.years, known, sql),
        ...(plan.echoes ? ["echoed"] : []),
      ]);
    const wanted = wantedOf(plan.tree, plan.variants);
    // A first page in relevance order reads its first round of candidates while the matches
    // are counted: the round does not depend on the count, so the two passes run at once.
    const early =
      want.next?.order === "relevance"
        ? this.readRound({ where, wanted, plan }, want.next.wanted)
        : undefined;
    // Awaited when the page asks for its candidates; a failure before then is not unhandled.
    early?.catch(() => undefined);
    const counted = yield* this.admit(() =>
      aggregate(this.shards, match, plan, known, want),
    );
    const set: SqlMatches = {
      plan,
      counts: counted.counts,
      unavailable: counted.missing.map(partName),
      bytes: 0,
      where,
      wanted,
      perShard: counted.perShard,
      ...(early ? { early } : {}),
    };
    return set;
  }

  *aggregate(set: MatchSet, want: AggregateRequest): Steps<Aggregates> {
    const { plan } = set;
    const known = new Set(this.ready().fields);
    const match = (sql: Sql) =>
      all([
        compileMatch(plan.tree, plan.variants, sql),
        ...compileNames(plan.names, sql),
        ...compileDates(plan.dates, sql),
      ]);
    const counted = yield* this.admit(() =>
      aggregate(this.shards, match, plan, known, want),
    );
    return counted.counts;
  }

  /**
   * In relevance order, rounds of each shard's best matches by their ceiling (see `readBest`),
   * with what is left for the pipeline to ask for until it has the top `wanted`: exact at any
   * size, reading the vectors of only the rows that can still make the page. In a date order
   * the first `wanted` and their ties; for an export, every match.
   */
  *candidates(set: MatchSet, order: Order, wanted: number): Steps<Candidates> {
    const m = set as SqlMatches;
    if (order !== "relevance" || !Number.isFinite(wanted)) {
      const read = Number.isFinite(wanted)
        ? this.readShards(m, order as Exclude<Order, "relevance">, wanted)
        : this.readEverything(m, order);
      return yield* this.candidatesOf(m, yield* this.admit(() => read));
    }
    return yield* this.bestFirst(
      m,
      m.early ?? this.readRound(m, wanted),
      wanted,
    );
  }

  /** A round of best-first candidates, and how to read the next while a shard has more. */
  private *bestFirst(
    m: SqlMatches,
    round: Promise<ReadCandidates>,
    wanted: number,
  ): Steps<Candidates> {
    const read = yield* this.admit(() => round);
    const found = yield* this.candidatesOf(m, read);
    const after = read.results.map((r, shard) =>
      r && !r.all && m.perShard[shard] ? r.last : undefined,
    );
    const left = after.filter((mark) => mark !== undefined);
    if (left.length === 0) return found;
    return {
      ...found,
      more: {
        bound: Math.max(...left.map((mark) => mark.ceiling)) * CEILING_MARGIN,
        // Each round reads four times the last: a loose ceiling takes a few rounds, not many.
        next: () => {
          const more = Math.max(candidateLimits.perShard, wanted) * 4;
          return this.bestFirst(m, this.readRound(m, more, after), more);
        },
      },
    };
  }

  /** Rows read from the shards as candidates to score, in the order the shards gave them. */
  private *candidatesOf(
    m: SqlMatches,
    { results, missing }: ReadCandidates,
  ): Steps<Candidates> {
    const rows: CandidateRow[] = [];
    const shards: number[] = [];
    // A shard that matched nothing, or did not answer the count, has no candidates.
    results.forEach((r, shard) => {
      if (!r || !m.perShard[shard]) return;
      for (const row of r.rows) {
        rows.push(row);
        shards.push(shard);
      }
    });
    const segment = new RowSegment(rows, shards);
    return {
      segment,
      matches: yield* m.plan.score(segment),
      complete: results.every((r, shard) => !m.perShard[shard] || r?.all),
      unavailable: missing.map(partName),
    };
  }

  *rows(
    lines: readonly { segment: Segment; doc: number }[],
  ): Steps<{ rows: (StatementRow | undefined)[]; unavailable: string[] }> {
    const ids = lines.map((l) => l.segment.id(l.doc));
    const found = new Map<string, StatementRow>();
    // Rows an export's cursor read carry their lines' columns already.
    for (const { segment, doc } of lines) {
      const row = segment instanceof RowSegment ? segment.row(doc) : undefined;
      if (row?.body !== undefined)
        found.set(row.id, statementRowOf(row as HitRow));
    }
    const byShard = new Map<number, string[]>();
    for (const id of ids) {
      if (found.has(id)) continue;
      const shard = this.shards.shardOf(id);
      byShard.set(shard, [...(byShard.get(shard) ?? []), id]);
    }
    if (byShard.size === 0)
      return { rows: ids.map((id) => found.get(id)), unavailable: [] };
    const { missing } = yield* this.admit(() =>
      fanOut(this.shards, async (shard) => {
        const wanted = byShard.get(shard);
        if (!wanted) return;
        const rows = await this.shards.read(shard, (client) =>
          readHits(client, wanted),
        );
        for (const [id, row] of rows) found.set(id, row);
      }),
    );
    return {
      rows: ids.map((id) => found.get(id)),
      unavailable: missing.map(partName),
    };
  }

  *statements(ids: readonly string[]): Steps<Statement[]> {
    return yield* this.admit(() => this.fetchStatements(ids));
  }

  *readSince(
    set: MatchSet | undefined,
    since: string | undefined,
    limit: number,
  ): Steps<ReadSince> {
    if (!this.tables) return { total: 0, statements: [] };
    const where = set ? (set as SqlMatches).where : undefined;
    return yield* this.admit(() =>
      readSince(
        this.shards,
        { searched: where !== undefined, where: where ?? (() => "false") },
        since,
        limit,
      ),
    );
  }

  *termFrequencies(id: string): Steps<Map<string, number>> {
    const rows = yield* this.admit(() =>
      this.shards.read(this.shards.shardOf(id), async (client) => {
        const { rows } = await client.query<{ lexeme: string; n: number }>(
          `SELECT u.lexeme, cardinality(u.positions) AS n
           FROM statements s, unnest(s.tv) u
           WHERE s.id = $1 AND strpos(u.lexeme, '=') = 0`,
          [id],
        );
        return rows;
      }),
    );
    return new Map(rows.map((r) => [r.lexeme, r.n]));
  }

  *gramCounts(
    grams: readonly string[],
    set?: MatchSet,
  ): Steps<{ counts: number[]; unavailable: string[] }> {
    const where = set && (set as SqlMatches).where;
    const { counts, missing } = yield* this.admit(() =>
      gramCounts(this.shards, grams, where),
    );
    return { counts, unavailable: missing.map(partName) };
  }

  /** Counted once per catalog read: the groups change only with an import. */
  *boilerplate(): Steps<Pick<Boilerplate, "has">> {
    const catalog = this.ready();
    if (this.boilerplateOf?.catalog !== catalog)
      this.boilerplateOf = {
        catalog,
        boilerplate: readBoilerplate(this.shards),
      };
    const kept = this.boilerplateOf;
    try {
      return yield* this.admit(() => kept.boilerplate);
    } catch (err) {
      if (this.boilerplateOf === kept) this.boilerplateOf = undefined;
      throw err;
    }
  }

  *versions(ids: readonly string[]): Steps<Map<string, Member[]>> {
    const out = new Map<string, Member[]>();
    if (ids.length === 0) return out;
    const groupOf = new Map<string, string>();
    const members = new Map<string, Member[]>();
    yield* this.admit(async () => {
      await fanOut(this.shards, async (shard) => {
        const mine = ids.filter((id) => this.shards.shardOf(id) === shard);
        if (!mine.length) return;
        const { rows } = await this.shards.read(shard, (client) =>
          client.query<{ id: string; group_id: string }>(
            "SELECT id, group_id FROM statements WHERE id = ANY($1) AND group_id IS NOT NULL",
            [mine],
          ),
        );
        for (const r of rows) groupOf.set(r.id, r.group_id);
      });
      const groups = [...new Set(groupOf.values())];
      if (!groups.length) return;
      await fanOut(this.shards, async (shard) => {
        const { rows } = await this.shards.read(shard, (client) =>
          client.query<{
            id: string;
            title: string;
            date: string | null;
            source: string | null;
            group_id: string;
          }>(
            "SELECT id, title, date, source, group_id FROM statements WHERE group_id = ANY($1)",
            [groups],
          ),
        );
        for (const r of rows)
          members.set(r.group_id, [
            ...(members.get(r.group_id) ?? []),
            {
              id: r.id,
              title: r.title,
              ...(r.date ? { date: r.date } : {}),
              ...(r.source ? { source: r.source } : {}),
            },
          ]);
      });
    });
    for (const [id, group] of groupOf) {
      const list = members.get(group);
      if (list) out.set(id, [...list].sort(earlier));
    }
    return out;
  }

  /** Every shard's candidates for the first `wanted` in a date order (shards with matches only). */
  private readShards(
    m: SqlMatches,
    order: Exclude<Order, "relevance">,
    wanted: number,
  ): Promise<ReadCandidates> {
    return fanOut(this.shards, (shard) =>
      !m.perShard[shard]
        ? Promise.resolve({ rows: [], all: true })
        : this.shards.read(shard, (client) => {
            const sql = new Sql();
            return readByDate(
              client,
              sql,
              m.where(sql),
              m.wanted,
              order,
              wanted,
            );
          }),
    );
  }

  /**
   * A round of each shard's best candidates by ceiling, at least `wanted` of each: the first
   * (`after` undefined), or the next after where each shard stopped (none: it has no more).
   */
  private readRound(
    m: Pick<SqlMatches, "where" | "wanted" | "plan"> & { perShard?: number[] },
    wanted: number,
    after?: (Mark | undefined)[],
  ): Promise<ReadCandidates> {
    const limit = Math.max(candidateLimits.perShard, wanted);
    return fanOut(this.shards, (shard) =>
      (m.perShard && !m.perShard[shard]) || (after && !after[shard])
        ? Promise.resolve({ rows: [], all: true })
        : this.shards.read(shard, (client) => {
            const sql = new Sql();
            return readBest(
              client,
              sql,
              m.where(sql),
              m.wanted,
              m.plan.ceiling,
              limit,
              after?.[shard],
            );
          }),
    );
  }

  /** Every match of every shard, in one round. */
  private readEverything(m: SqlMatches, order: Order): Promise<ReadCandidates> {
    return fanOut(this.shards, async (shard) => {
      const rows: CandidateRow[] = [];
      if (m.perShard[shard])
        for await (const batch of this.cursor(m, order, shard))
          rows.push(...batch);
      return { rows, all: true };
    });
  }

  /**
   * Every match in `order`, a round at a time, for an export: a cursor per shard read a batch
   * at a time, so the first rows come while the rest are read and memory stays flat. Each
   * round says where the rows still to come stand (see `Round.rest`).
   */
  async *stream(set: MatchSet, order: Order): AsyncGenerator<Round> {
    const m = set as SqlMatches;
    const feeds = new Map<number, AsyncGenerator<CandidateRow[]>>();
    m.perShard.forEach((n, shard) => {
      if (n) feeds.set(shard, this.cursor(m, order, shard));
    });
    const last = new Map<number, CandidateRow & Partial<Mark>>();
    try {
      while (feeds.size) {
        const rows: CandidateRow[] = [];
        const shards: number[] = [];
        const unavailable: string[] = [];
        await Promise.all(
          [...feeds].map(async ([shard, feed]) => {
            try {
              const next = await feed.next();
              if (next.done) return void feeds.delete(shard);
              for (const row of next.value) {
                rows.push(row);
                shards.push(shard);
              }
              last.set(shard, next.value.at(-1)!);
            } catch (err) {
              if (!(err instanceof ShardUnavailable)) throw err;
              feeds.delete(shard);
              unavailable.push(partName(shard));
            }
          }),
        );
        const open = [...feeds.keys()].flatMap((s) => last.get(s) ?? []);
        const rest =
          feeds.size === 0
            ? undefined
            : order === "relevance"
              ? Math.max(...open.map((r) => r.ceiling!)) * CEILING_MARGIN
              : order === "newest"
                ? Math.max(...open.map((r) => r.date_key ?? -Infinity))
                : Math.min(...open.map((r) => r.date_key ?? Infinity));
        yield {
          segment: new RowSegment(rows, shards),
          ...(rest === undefined ? {} : { rest }),
          unavailable,
        };
      }
    } finally {
      await Promise.all(
        [...feeds.values()].map((feed) => feed.return(undefined)),
      );
    }
  }

  /** A shard's matches in `order` through a cursor, `candidateLimits.exportBatch` rows at a time. */
  private cursor(
    m: SqlMatches,
    order: Order,
    shard: number,
  ): AsyncGenerator<CandidateRow[]> {
    const sql = new Sql();
    const where = m.where(sql);
    // Rows carry what their result lines show: an export makes a line of each at once.
    const text =
      order === "relevance"
        ? bestSql(
            sql,
            where,
            m.wanted,
            m.plan.ceiling,
            undefined,
            undefined,
            true,
          )
        : datedSql(sql, where, m.wanted, order, undefined, true);
    return cursorRows<CandidateRow>(
      this.shards,
      shard,
      text,
      sql.values,
      candidateLimits.exportBatch,
      10 * 60_000,
    );
  }

  /** Statements as stored, with when they were first read, in the order asked. */
  private async fetchStatements(ids: readonly string[]): Promise<Statement[]> {
    const byShard = new Map<number, string[]>();
    for (const id of new Set(ids.filter(storable))) {
      const shard = this.shards.shardOf(id);
      byShard.set(shard, [...(byShard.get(shard) ?? []), id]);
    }
    const found = new Map<string, Statement>();
    // Before an import by this version there is no first_read table: no times to give.
    const firstRead = this.tables
      ? "f.at AS first_read FROM statements s LEFT JOIN first_read f ON f.id = s.id"
      : "NULL AS first_read FROM statements s";
    await Promise.all(
      [...byShard].map(([shard, wanted]) =>
        this.shards.read(shard, async (client) => {
          const { rows } = await client.query<StoredRow>(
            `SELECT s.id, s.title, s.body, s.date, s.source, s.url, s.lang, s.meta, s.file,
               s.line, s.pages, ${firstRead} WHERE s.id = ANY($1)`,
            [wanted],
          );
          for (const row of rows) found.set(row.id, statementOf(row));
        }),
      ),
    );
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  /** Work on the shards, a few at a time (see `QUERY_QUEUE`), waited for by the pipeline. */
  private *admit<T>(work: () => Promise<T>): Steps<T> {
    return yield* wait(this.gate.run(work));
  }

  private async importNow(
    live = false,
    planned?: ImportOptions["planned"],
  ): Promise<ImportSummary> {
    const writer = new Shards(this.options.spec, "readout_writer", 2);
    try {
      return await importFolder(writer, this.options.dataDir!, {
        live,
        ...(planned ? { planned } : {}),
        ...this.readOptions(),
        // Progress shows while opening; once ready, pages keep answering during an update.
        onProgress: (p) => {
          if (this.loadState.phase !== "ready")
            this.loadState = {
              phase: "indexing",
              done: p.statements,
              startedAt: this.loadState.startedAt,
            };
        },
      });
    } finally {
      await writer.close();
    }
  }

  private ready(): Catalog {
    if (!this.catalog)
      throw new Error(
        `postgres: the archive is not open yet (${this.loadState.phase})`,
      );
    return this.catalog;
  }
}

/** A statement's row as `fetchStatements` reads it. */
interface StoredRow {
  id: string;
  title: string;
  body: string;
  date: string | null;
  source: string | null;
  url: string | null;
  lang: string | null;
  meta: Record<string, string>;
  file: string;
  line: number | null;
  pages: number[] | null;
  first_read: Date | null;
}

function statementOf(row: StoredRow): Statement {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    meta: row.meta,
    origin: {
      file: row.file,
      ...(row.line === null ? {} : { line: row.line }),
    },
    ...(row.date ? { date: row.date } : {}),
    ...(row.source ? { source: row.source } : {}),
    ...(row.url ? { url: row.url } : {}),
    ...(row.lang ? { lang: row.lang } : {}),
    ...(row.pages ? { pages: row.pages } : {}),
    ...(row.first_read ? { firstRead: row.first_read.toISOString() } : {}),
  };
}

function describeImport(s: ImportSummary): string {
  return `${s.read} files read; ${s.added} added, ${s.updated} updated, ${s.removed} removed, ${s.unchanged} unchanged`;
}
