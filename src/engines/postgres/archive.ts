import { watch, type FSWatcher } from "node:fs";
import path from "node:path";
import type {
  About,
  Archive,
  Completions,
  Hit,
  HitStream,
  LoadState,
  Overview,
  ReadSince,
  RelatedStatement,
  SearchPage,
  Statement,
  StatementView,
  TextChange,
  VersionDiff,
  WorkspaceStore,
} from "../../archive.ts";
import { diffStatements } from "../../versions/diff.ts";
import { originalOf, type Original } from "../../ingest/original.ts";
import {
  escapeHtml,
  highlight,
  type MarkCounter,
} from "../../search/highlight.ts";
import type { QueryNode } from "../../query/ast.ts";
import type { SearchQuery } from "../../query/params.ts";
import { bodyParts } from "../../text/parts.ts";
import { completeQuery } from "../../search/complete.ts";
import { specMarker } from "../../search/marker.ts";
import type { Vocabulary } from "../../search/vocabulary.ts";
import { allCandidates, type HitRow } from "./candidates.ts";
import { readCatalog, type Catalog } from "./catalog.ts";
import { matchSpecOf } from "../../search/marker.ts";
import { Sql } from "./compile.ts";
import { Gate } from "./gate.ts";
import { importFolder, type ImportSummary } from "./import.ts";
import { wordPairs, together, type Candidate } from "./score.ts";
import {
  countOf,
  hitOf,
  orderCandidates,
  prepare,
  rank,
  searchPage,
  toHits,
  type Context,
} from "./search.ts";
import { fanOut, Shards } from "./shards.ts";
import type { ClusterSpec } from "./spec.ts";
import { emptyNeeds, expansionNeeds, fetchVocabulary } from "./vocabulary.ts";
import { expand } from "../../search/expand.ts";
import { readSince } from "./first-read.ts";
import { TablesStore } from "./workspace-store.ts";

export interface PostgresOptions {
  spec: ClusterSpec;
  /** A data folder to keep the database in step with (imported at open, followed after). */
  dataDir?: string;
  log?: (line: string) => void;
  /** How often the catalog (counts, fields, overview) is read again, in ms; default 30 s. */
  refreshMs?: number;
  /** The languages scans are read in by OCR; default every one installed; empty: none. */
  ocrLanguages?: string[];
}

/** Rows an export reads from a shard per batch. */
const EXPORT_BATCH = 200;
/** How many of a statement's words make its "more like this" query (as related.ts). */
const RELATED_WORDS = 12;

/**
 * The PostgreSQL engine behind the `Archive` seam: statements spread over shards, each with
 * replicas for reads; searched with the memory engine's query language and BM25F, from the
 * archive's global statistics. Serves as the read-only role; imports (with a data folder) as
 * the writer role.
 */
export class PostgresArchive implements Archive {
  private shards: Shards;
  private catalog?: Catalog;
  private loadState: LoadState = {
    phase: "starting",
    done: 0,
    startedAt: performance.now(),
  };
  private loadMs = 0;
  private origin = "";
  private refresher?: NodeJS.Timeout;
  private watcher?: FSWatcher;
  private importing: Promise<unknown> = Promise.resolve();
  private readonly gate = new Gate();
  /** Collections and saved searches, in tables on the first shard, once open() found them. */
  private tables?: TablesStore;

  constructor(private readonly options: PostgresOptions) {
    this.shards = new Shards(options.spec, "readout_reader");
  }

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

  follow(): void {
    const dir = this.options.dataDir;
    if (!dir) return;
    let timer: NodeJS.Timeout | undefined;
    this.watcher = watch(dir, { recursive: true }, (_event, name) => {
      if (
        String(name ?? "")
          .split(path.sep)
          .some((p) => p.startsWith("."))
      )
        return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        this.importing = this.importing.then(async () => {
          try {
            const summary = await this.importNow();
            if (summary.read)
              this.options.log?.(`Updated: ${describeImport(summary)}.`);
            await this.refresh();
          } catch (err) {
            this.options.log?.(
              `Could not update the database: ${(err as Error).message}`,
            );
          }
        });
      }, 300);
    });
  }

  async close(): Promise<void> {
    this.watcher?.close();
    clearInterval(this.refresher);
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

  search(query: SearchQuery): Promise<SearchPage> {
    return this.gate.run(() => searchPage(this.context(), query));
  }

  count(query: SearchQuery): Promise<number> {
    return this.gate.run(async () => {
      const p = await prepare(this.context(), query, false);
      return p.relaxed ? 0 : p.aggregate.total;
    });
  }

  async stream(query: SearchQuery, signal?: AbortSignal): Promise<HitStream> {
    const ctx = this.context();
    const p = await this.gate.run(() => prepare(ctx, query, false));
    const pairs = wordPairs(query.parsed.root, p.vocabulary);
    const shards = this.shards;
    // Every match is scored (a batch at a time through a cursor), keeping only what ordering
    // needs; then the rows are read a batch at a time as the client takes them.
    async function* hits(): AsyncGenerator<Hit> {
      if (!p.searched || p.aggregate.total === 0) return;
      const scored: Candidate[] = [];
      await fanOut(shards, (shard) =>
        shards.read(
          shard,
          async (client) => {
            const sql = new Sql();
            for await (const batch of allCandidates(
              client,
              shard,
              sql,
              p.where(sql),
              p.lexemes,
              EXPORT_BATCH * 5,
            )) {
              if (signal?.aborted) return;
              for (const c of batch) {
                c.score = p.scorer.score(p.tree, c) ?? 0;
                const near = pairs.length ? together(c, pairs) : 0;
                c.occurrences = new Map();
                c.near = near;
                scored.push(c);
              }
            }
          },
          10 * 60_000,
        ),
      );
      const ordered = orderCandidates(
        scored,
        { query, vocabulary: p.vocabulary },
        Infinity,
      );
      for (let i = 0; i < ordered.length && !signal?.aborted; i += EXPORT_BATCH)
        yield* await toHits(ctx, ordered.slice(i, i + EXPORT_BATCH), p);
    }
    return { total: p.aggregate.total, hits: hits() };
  }

  async statement(
    id: string,
    query: SearchQuery,
    part = 1,
  ): Promise<StatementView | undefined> {
    const statement = await this.fetchStatement(id);
    if (!statement) return undefined;
    const { root } = query.parsed;
    const vocabulary = root
      ? await fetchVocabulary(this.shards, expansionNeeds(root))
      : undefined;
    const spec =
      root && vocabulary
        ? matchSpecOf(root, (n) => expand(vocabulary, n, []))
        : undefined;
    const counter: MarkCounter = { count: 0 };
    const mark = (text: string, field: "title" | "body") =>
      spec
        ? highlight(text, specMarker(spec, field), counter)
        : escapeHtml(text);
    const titleHtml = mark(statement.title, "title");
    const parts = bodyParts(statement.body);
    const shown = part >= 1 && part <= parts.length ? Math.floor(part) : 1;
    const paragraphs = parts[shown - 1]!.map((p) => mark(p, "body"));
    return {
      statement,
      titleHtml,
      paragraphs,
      matches: counter.count,
      // Near-duplicate grouping is the memory engine's (src/versions): not on PostgreSQL yet.
      versions: [],
      part: shown,
      parts: parts.length,
      related: await this.related(id),
    };
  }

  /** A statement as stored, or undefined when no statement has the id. */
  private async fetchStatement(id: string): Promise<Statement | undefined> {
    return (await this.statementsById([id]))[0];
  }

  /** Statements as stored, with when they were first read, in the order asked. */
  async statementsById(ids: string[]): Promise<Statement[]> {
    const byShard = new Map<number, string[]>();
    for (const id of new Set(ids)) {
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
          const { rows } = await client.query<
            HitRow & {
              meta: Record<string, string>;
              file: string;
              line: number | null;
              first_read: Date | null;
            }
          >(
            `SELECT s.id, s.title, s.body, s.date, s.source, s.url, s.lang, s.meta, s.file, s.line,
               ${firstRead} WHERE s.id = ANY($1)`,
            [wanted],
          );
          for (const row of rows) found.set(row.id, statementOf(row));
        }),
      ),
    );
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  async readSince(
    query: SearchQuery,
    since: string | undefined,
    limit: number,
  ): Promise<ReadSince> {
    if (!this.tables) return { total: 0, statements: [] };
    const p = await this.gate.run(() => prepare(this.context(), query, false));
    return readSince(this.shards, p, since, limit);
  }

  workspace(): WorkspaceStore | undefined {
    return this.tables;
  }

  /**
   * A statement's original file: only when this server follows the folder it imports from
   * (`--data`), the one place the file is known to be.
   */
  async original(id: string): Promise<Original | undefined> {
    const { dataDir } = this.options;
    if (!dataDir) return undefined;
    const statement = await this.fetchStatement(id);
    return statement ? originalOf(dataDir, statement.origin) : undefined;
  }

  /** Earlier texts are kept by the memory engine only (`--history`): none here. */
  async change(): Promise<TextChange | undefined> {
    return undefined;
  }

  /** Two statements and what changed from the first to the second. */
  async diff(from: string, to: string): Promise<VersionDiff | undefined> {
    const [a, b] = await Promise.all([
      this.fetchStatement(from),
      this.fetchStatement(to),
    ]);
    return a && b ? { from: a, to: b, diff: diffStatements(a, b) } : undefined;
  }

  async complete(q: string): Promise<Completions> {
    // completeQuery asks for one prefix: learn which, read its terms, then answer.
    const asked: string[] = [];
    const recorder: Pick<Vocabulary, "withPrefix"> = {
      withPrefix: (prefix) => (asked.push(prefix), []),
    };
    completeQuery(recorder, q);
    if (asked.length === 0) return { q: q.slice(0, 200), completions: [] };
    const needs = emptyNeeds();
    needs.prefixes.set(asked[0]!, 100);
    const vocabulary = await fetchVocabulary(this.shards, needs);
    return completeQuery(vocabulary, q);
  }

  /** Statements like this one: its most distinctive words searched as any-word (as related.ts). */
  private async related(id: string): Promise<RelatedStatement[]> {
    const catalog = this.ready();
    const shard = this.shards.shardOf(id);
    const counts = await this.shards.read(shard, async (client) => {
      const { rows } = await client.query<{ lexeme: string; n: number }>(
        `SELECT u.lexeme, cardinality(u.positions) AS n
         FROM statements s, unnest(s.tv) u
         WHERE s.id = $1 AND strpos(u.lexeme, '=') = 0`,
        [id],
      );
      return rows;
    });
    const needs = emptyNeeds();
    const candidates = counts.filter(
      (r) => r.lexeme.length >= 3 && !/^\d/.test(r.lexeme),
    );
    for (const r of candidates) needs.terms.add(r.lexeme);
    const vocabulary = await fetchVocabulary(this.shards, needs);
    const n = catalog.stats.statements;
    const words = candidates
      .map((r) => ({
        term: r.lexeme,
        df: vocabulary.frequency(r.lexeme),
        tf: r.n,
      }))
      .filter((w) => w.df >= 2 && w.df <= n / 4)
      .map((w) => [w.term, w.tf * Math.log(n / w.df)] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, RELATED_WORDS);
    if (words.length === 0) return [];
    const root: QueryNode = {
      type: "or",
      children: words.map(([term]) => ({
        type: "term",
        text: term,
        term,
        exact: true,
        at: { start: 0, end: 0 },
      })),
    };
    const query = {
      q: "",
      page: 1,
      size: 6,
      mode: "any",
      sort: "relevance",
      words: "exact",
      from: "",
      to: "",
      filters: Object.create(null),
      years: [],
      parsed: { root, dates: {}, notes: [] },
      description: "",
      notes: [],
      grouping: "all",
      echoes: false,
    } as SearchQuery;
    const ctx = this.context();
    const p = await prepare(ctx, query, false);
    const ranked = (await rank(ctx, p, 6))
      .filter((c) => c.id !== id)
      .slice(0, 5);
    const hits = await toHits(ctx, ranked, p);
    return hits.map((h) => ({
      id: h.id,
      title: h.title,
      ...(h.date ? { date: h.date } : {}),
      ...(h.source ? { source: h.source } : {}),
    }));
  }

  /** Reads the catalog again (counts, fields, overview): after an import, and every so often. */
  async refresh(): Promise<void> {
    this.catalog = await readCatalog(this.shards);
  }

  private async importNow(): Promise<ImportSummary> {
    const writer = new Shards(this.options.spec, "readout_writer", 2);
    try {
      return await importFolder(writer, this.options.dataDir!, {
        ...(this.options.ocrLanguages
          ? { ocrLanguages: this.options.ocrLanguages }
          : {}),
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

  private context(): Context {
    return { shards: this.shards, catalog: this.ready() };
  }

  private ready(): Catalog {
    if (!this.catalog)
      throw new Error(
        `postgres: the archive is not open yet (${this.loadState.phase})`,
      );
    return this.catalog;
  }
}

function statementOf(
  row: HitRow & {
    meta: Record<string, string>;
    file: string;
    line: number | null;
    first_read: Date | null;
  },
): Statement {
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
    ...(row.first_read ? { firstRead: row.first_read.toISOString() } : {}),
  };
}

function describeImport(s: ImportSummary): string {
  return `${s.read} files read; ${s.added} added, ${s.updated} updated, ${s.removed} removed, ${s.unchanged} unchanged`;
}

export { countOf, hitOf };
