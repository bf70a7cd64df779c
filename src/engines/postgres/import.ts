import { availableParallelism } from "node:os";
import type { PoolClient } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Problem, Statement } from "../../ingest/statement.ts";
import { stampFolder, stampKey } from "../../ingest/stamps.ts";
import {
  checkFolder,
  loadStatements,
  type LoadResult,
} from "../../ingest/load.ts";
import { formatOf } from "../../ingest/formats.ts";
import { filesAwaitingOcr } from "../../ingest/ocr.ts";
import { BUILT_IN_NAMES, PREFIX } from "../../query/fields.ts";
import { TOKENIZER_FINGERPRINT } from "../../text/fingerprint.ts";
import { NAME_INITIALS, nameKeys } from "../../text/translit.ts";
import { ShardCounts, type RowTask } from "./batch.ts";
import { RowPool } from "./row-pool.ts";
import { ROW_COLUMNS, statementHash } from "./rows.ts";
import { ensureSchema } from "./setup.ts";
import { ImportVersions } from "./versions.ts";
import { Shards } from "./shards.ts";
import { forgetFirstRead, recordFirstRead } from "./workspace-schema.ts";

/** What an import did, for the summary line. */
export interface ImportSummary {
  files: number;
  /** Files read this time: new or changed since the last import. */
  read: number;
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  statements: number;
  problems: Problem[];
  seconds: number;
}

export interface ImportOptions {
  /** Hears the progress: statements read and written so far, of how many files. */
  onProgress?: (p: {
    statements: number;
    files: number;
    totalFiles: number;
  }) => void;
  log?: (line: string) => void;
  maxFileBytes?: number;
  /** Read files with more than one name (`--follow-hard-links`). Default false. */
  followHardLinks?: boolean;
  /** The languages scans are read in by OCR; default every one installed; empty: none. */
  ocrLanguages?: string[];
  /** Find each statement's people, places and organisations (`--entities`). */
  entities?: boolean;
  /** Which files (relative paths) belong to the archive; default all. */
  include?: (file: string) => boolean;
  /** Files read together, up to about this many bytes (default 64 MiB). */
  batchBytes?: number;
  /** A look while following the folder: files changed too recently for their stamps are read again (ingest/stamps.ts). */
  live?: boolean;
  /** Worker threads building rows; 0 builds them in this thread. Default: `defaultRowWorkers()`. */
  rowWorkers?: number;
  /**
   * An update already planned (`planImport`) and read: its files are written as they were
   * stamped and read, none read again. A live look reads before it takes the import lock,
   * so a slow file holds up no other.
   */
  planned?: ImportPlan & { loaded: LoadResult };
}

/** What an update reads and removes, as a look found it. */
export interface ImportPlan {
  changed: FileStamp[];
  removedFiles: string[];
  /** Files in the folder. */
  files: number;
}

/** The advisory lock an import holds on every shard, so two never interleave. */
const IMPORT_LOCK = 7_265_001;

/**
 * Threads reading the files: none on two cores or fewer, where the files are read in this
 * thread between the writes. Measured on the 2-core bench machine (20,000 synthetic
 * statements, one 122 MB file, two runs each): reading in workers 541–623 statements/s,
 * 24.6–28.2 s of CPU and a peak RSS of 1.2 GB; in this thread 650–701/s, 21.7–22.0 s and
 * 0.82 GB. A worker's statements cross to this thread by a structured clone, which costs
 * about what parsing them here does, while the worker's own heap holds the whole file and
 * its copy, and on two cores it takes the core PostgreSQL's backends need. With more
 * cores, or with a file only a worker may read, the ingest's default (one per core, at most
 * four).
 */
function readWorkers(batch: FileStamp[]): number | undefined {
  // Saved pages, PDFs and Word files are read in workers whatever the cores: there a
  // hostile file is stopped by the workers' time and memory limits.
  const isolated = batch.some((s) => formatOf(s.file)?.isolated);
  return availableParallelism() <= 2 && !isolated ? 0 : undefined;
}

/** Files read together, up to about this many bytes, so memory stays bounded. */
const BATCH_BYTES = 64 * 1024 * 1024;

export interface FileStamp {
  file: string;
  stamp: string;
  size: number;
  settling?: boolean;
}

/** One shard's part of the import: a connection holding one transaction for the whole run. */
interface ShardWork {
  client: PoolClient;
  /** The shard held no statements: its text index is built once at the end, not row by row. */
  empty: boolean;
}

/** What one import run holds while it writes: its shards' transactions and what it found. */
interface Run {
  shards: Shards;
  works: ShardWork[];
  pool: RowPool;
  /** Per shard: id → hash of the statements the touched files held, not yet seen again. */
  before: Map<string, string>[];
  /** Files read now, and files gone: their statements may change or go. */
  touched: string[];
  versions: ImportVersions;
  summary: ImportSummary;
  /** Where each id was first read in this run, for duplicates. */
  seen: Map<string, Statement["origin"]>;
  problemsByFile: Map<string, Problem[]>;
  statementsByFile: Map<string, number>;
}

/**
 * Loads a data folder into the shards: reads only the files added or changed since the last
 * import (by size and time), and within them writes only the statements that changed, by id;
 * statements of files gone are removed. Each shard's changes are one transaction, committed
 * at the end (the first shard, which keeps the catalog of files, last): an import stopped
 * halfway leaves the previous contents searchable, and running it again completes it.
 */
export async function importFolder(
  shards: Shards,
  dir: string,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const started = performance.now();
  await checkFolder(dir);
  await ensureSchema(shards);
  const { changed, removedFiles, summary } = await whatChanged(
    shards,
    dir,
    options,
  );
  const works: ShardWork[] = [];
  const pool = new RowPool(shards.count, options.rowWorkers);
  try {
    for (let i = 0; i < shards.count; i++) works.push(await begin(shards, i));
    const touched = [...changed.map((s) => s.file), ...removedFiles];
    const run: Run = {
      shards,
      works,
      pool,
      before: await previousRows(works, touched),
      touched,
      versions: await ImportVersions.read(works[0]!.client),
      summary,
      seen: new Map(),
      problemsByFile: new Map(),
      statementsByFile: new Map(),
    };
    await readAndWrite(run, dir, changed, options);
    // What is left of the files read before is gone from the folder.
    const gone = run.before.map((rows) => [...rows.keys()]);
    summary.removed += gone.flat().length;
    await Promise.all(
      works.map(async (work, s) => {
        await deleteRows(work, gone[s]!);
        await forgetFirstRead(work.client, gone[s]!);
      }),
    );
    run.versions.change(gone.flat(), []);
    const counts = await pool.counts();
    await Promise.all(
      works.map((work, shard) => finish(work, counts[shard]!, options.log)),
    );
    await run.versions.save(
      works.map((w) => w.client),
      (id) => shards.shardOf(id),
    );
    await writeCatalog(
      works[0]!.client,
      changed,
      removedFiles,
      run.problemsByFile,
      run.statementsByFile,
    );
    // The first shard holds the catalog: it commits last, so an import stopped before it
    // is read again in full next time.
    for (const work of works.slice(1)) await work.client.query("COMMIT");
    await works[0]!.client.query("COMMIT");
  } catch (err) {
    await Promise.all(
      works.map((w) => w.client.query("ROLLBACK").catch(() => undefined)),
    );
    throw err;
  } finally {
    for (const w of works) w.client.release();
    await pool.close();
  }
  await Promise.all(
    works.map((_, shard) =>
      // Marks pages all-visible too, so counting matches reads the index, not the rows.
      shards.write(shard, (client) =>
        client.query("VACUUM (ANALYZE) statements"),
      ),
    ),
  );
  const after = await readCatalog(shards);
  summary.problems = after.problems;
  summary.statements = after.statements;
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

/**
 * The files to read (new or changed since the last import, or all when the tokenizer changed,
 * or a scan whose OCR is there now) and the files gone, leaving out `exclude` (files an
 * update under way is reading).
 */
export async function planImport(
  shards: Shards,
  dir: string,
  options: ImportOptions & { exclude?: ReadonlySet<string> } = {},
): Promise<ImportPlan> {
  const stamps = (await stampFiles(dir)).filter(
    (s) => options.include?.(s.file) ?? true,
  );
  const catalog = await readCatalog(shards);
  const retokenize = catalog.tokenizer !== TOKENIZER_FINGERPRINT;
  const ocrNow = await filesAwaitingOcr(catalog.problems, options.ocrLanguages);
  const mine = (file: string) => !options.exclude?.has(file);
  const changed = stamps.filter(
    (s) =>
      mine(s.file) &&
      (retokenize ||
        catalog.files.get(s.file)?.stamp !== s.stamp ||
        ocrNow.has(s.file) ||
        (options.live && s.settling)),
  );
  const listed = new Set(stamps.map((s) => s.file));
  const removedFiles = [...catalog.files.keys()].filter(
    (f) => !listed.has(f) && mine(f),
  );
  return { changed, removedFiles, files: stamps.length };
}

async function whatChanged(
  shards: Shards,
  dir: string,
  options: ImportOptions,
) {
  const { changed, removedFiles, files } =
    options.planned ?? (await planImport(shards, dir, options));
  const summary: ImportSummary = {
    files,
    read: changed.length,
    added: 0,
    updated: 0,
    removed: 0,
    unchanged: 0,
    statements: 0,
    problems: [],
    seconds: 0,
  };
  return { changed, removedFiles, summary };
}

/**
 * Reads the changed files a batch at a time and writes their statements. The next batch is
 * read while this one is written: reading and writing take turns on different threads and
 * processes, and at most two batches are held at once.
 */
async function readAndWrite(
  run: Run,
  dir: string,
  changed: FileStamp[],
  options: ImportOptions,
): Promise<void> {
  const load = (batch: FileStamp[]) => {
    const include = new Set(batch.map((s) => s.file));
    const loading = loadStatements(dir, {
      workers: readWorkers(batch),
      include: (file) => include.has(file),
      ...(options.maxFileBytes ? { maxFileBytes: options.maxFileBytes } : {}),
      ...(options.followHardLinks ? { followHardLinks: true } : {}),
      ...(options.ocrLanguages ? { ocrLanguages: options.ocrLanguages } : {}),
      ...(options.entities ? { entities: true } : {}),
    });
    // Awaited in its turn; a failure before then is not an unhandled rejection.
    loading.catch(() => undefined);
    return loading;
  };
  const list = options.planned
    ? [changed].filter((batch) => batch.length)
    : [...batches(changed, options.batchBytes ?? BATCH_BYTES)];
  let next = options.planned
    ? Promise.resolve(options.planned.loaded)
    : list.length
      ? load(list[0]!)
      : undefined;
  let done = 0;
  let filesDone = 0;
  for (const [b, batch] of list.entries()) {
    const loaded = await next!;
    next = b + 1 < list.length ? load(list[b + 1]!) : undefined;
    for (const p of loaded.problems) push(run.problemsByFile, p.file, p);
    const fresh = await firstOfEachId(run, loaded.statements);
    await writeStatements(run, fresh);
    done += fresh.length;
    filesDone += batch.length;
    options.onProgress?.({
      statements: done,
      files: filesDone,
      totalFiles: changed.length,
    });
  }
}

/** The statements whose id no earlier statement took (in this run or in files not read now); the others are problems. */
async function firstOfEachId(
  run: Run,
  statements: Statement[],
): Promise<Statement[]> {
  const kept = await keptElsewhere(
    run.shards,
    run.works,
    statements,
    run.touched,
  );
  const fresh: Statement[] = [];
  for (const statement of statements) {
    const first = run.seen.get(statement.id) ?? kept.get(statement.id);
    if (first) {
      const firstAt = first.line ? `${first.file}:${first.line}` : first.file;
      push(run.problemsByFile, statement.origin.file, {
        file: statement.origin.file,
        ...(statement.origin.line === undefined
          ? {}
          : { line: statement.origin.line }),
        message: `duplicate id "${statement.id}", first used by ${firstAt}`,
        kept: false,
      });
      continue;
    }
    run.seen.set(statement.id, statement.origin);
    run.statementsByFile.set(
      statement.origin.file,
      (run.statementsByFile.get(statement.origin.file) ?? 0) + 1,
    );
    fresh.push(statement);
  }
  return fresh;
}

/**
 * Per shard: what to delete (changed) and what to write (new or changed), told by hash before
 * any word is read; then the rows are built and streamed to the shards as they come, so
 * PostgreSQL takes them in while the next ones are tokenized.
 */
async function writeStatements(run: Run, fresh: Statement[]): Promise<void> {
  const { summary } = run;
  const writes: RowTask[] = [];
  const deletes: string[][] = run.works.map(() => []);
  for (const statement of fresh) {
    const hash = statementHash(statement);
    const shard = run.shards.shardOf(statement.id);
    const old = run.before[shard]!.get(statement.id);
    run.before[shard]!.delete(statement.id);
    if (old === hash) {
      summary.unchanged++;
      continue;
    }
    if (old === undefined) summary.added++;
    else {
      summary.updated++;
      deletes[shard]!.push(statement.id);
    }
    writes.push({ statement, hash, shard });
  }
  await Promise.all(
    run.works.map((work, shard) => deleteRows(work, deletes[shard]!)),
  );
  await writeRows(run.pool, run.works, writes);
  await Promise.all(
    run.works.map((work, shard) =>
      recordFirstRead(
        work.client,
        writes.filter((w) => w.shard === shard).map((w) => w.statement.id),
      ),
    ),
  );
  run.versions.change(
    deletes.flat(),
    writes.map((w) => w.statement),
  );
}

async function begin(shards: Shards, shard: number): Promise<ShardWork> {
  const client = await shards.connect(shard);
  await client.query("SET statement_timeout = 0");
  await client.query("BEGIN");
  const lock = await client.query<{ ok: boolean }>(
    "SELECT pg_try_advisory_xact_lock($1) AS ok",
    [IMPORT_LOCK],
  );
  if (!lock.rows[0]?.ok) {
    client.release();
    throw new Error(
      `import: another import is writing to ${shards.label(shard)}; wait for it to finish`,
    );
  }
  const { rows } = await client.query<{ n: string }>(
    "SELECT statements AS n FROM stats",
  );
  const empty = Number(rows[0]?.n ?? 0) === 0;
  if (empty) {
    // Built in one go at the end: many times faster than row by row. Nobody reads an empty shard.
    await client.query("DROP INDEX IF EXISTS statements_tv");
    await client.query("SET maintenance_work_mem = '512MB'");
  }
  return { client, empty };
}

/** Per shard: id → hash of the statements the touched files held. */
async function previousRows(
  works: ShardWork[],
  files: string[],
): Promise<Map<string, string>[]> {
  return Promise.all(
    works.map(async (work) => {
      const out = new Map<string, string>();
      if (work.empty || files.length === 0) return out;
      const { rows } = await work.client.query<{ id: string; hash: string }>(
        "SELECT id, hash FROM statements WHERE file = ANY($1)",
        [files],
      );
      for (const r of rows) out.set(r.id, r.hash);
      return out;
    }),
  );
}

/** Statements already stored from files this import does not touch, by the ids of `statements`. */
async function keptElsewhere(
  shards: Shards,
  works: ShardWork[],
  statements: Statement[],
  touched: string[],
): Promise<Map<string, Statement["origin"]>> {
  const out = new Map<string, Statement["origin"]>();
  const ids: string[][] = works.map(() => []);
  for (const s of statements) ids[shards.shardOf(s.id)]!.push(s.id);
  await Promise.all(
    works.map(async (work, shard) => {
      if (work.empty || ids[shard]!.length === 0) return;
      const { rows } = await work.client.query<{
        id: string;
        file: string;
        line: number | null;
      }>(
        "SELECT id, file, line FROM statements WHERE id = ANY($1) AND NOT (file = ANY($2))",
        [ids[shard], touched],
      );
      for (const r of rows)
        out.set(r.id, {
          file: r.file,
          ...(r.line === null ? {} : { line: r.line }),
        });
    }),
  );
  return out;
}

/** Deletes statements by id, taking their words out of the vocabulary and the counts. */
async function deleteRows(work: ShardWork, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await work.client.query(
    `WITH gone AS (
       DELETE FROM statements WHERE id = ANY($1)
       RETURNING tv, title_words, body_words, source, lang, meta, person, place, org
     ), words AS (
       SELECT u.lexeme, count(*) AS n,
         count(*) FILTER (WHERE 'A' = ANY(u.weights)) AS t,
         count(*) FILTER (WHERE 'D' = ANY(u.weights)) AS b
       FROM gone, unnest(gone.tv) u
       WHERE strpos(u.lexeme, '=') = 0 GROUP BY u.lexeme
     ), v AS (
       UPDATE vocabulary SET df = vocabulary.df - words.n,
         df_title = vocabulary.df_title - words.t, df_body = vocabulary.df_body - words.b
       FROM words
       WHERE vocabulary.term = words.lexeme RETURNING 1
     ), f AS (
       SELECT 'source' AS field, source AS value, count(*) AS n FROM gone
       WHERE source IS NOT NULL GROUP BY source
       UNION ALL
       SELECT 'lang', lang, count(*) FROM gone
       WHERE lang IS NOT NULL GROUP BY lang
       UNION ALL
       -- Under the names field_values has them by (query/fields.ts fieldName).
       SELECT CASE WHEN lower(m.key) = ANY($2::text[]) OR starts_with(m.key, $3)
         THEN $3 || m.key ELSE m.key END, m.value, count(*)
       FROM gone, jsonb_each_text(gone.meta) m
       GROUP BY 1, m.value
       UNION ALL
       SELECT 'person', v, count(*) FROM gone, unnest(gone.person) v GROUP BY v
       UNION ALL
       SELECT 'place', v, count(*) FROM gone, unnest(gone.place) v GROUP BY v
       UNION ALL
       SELECT 'org', v, count(*) FROM gone, unnest(gone.org) v GROUP BY v
     ), fv AS (
       UPDATE field_values SET count = field_values.count - f.n FROM f
       WHERE field_values.field = f.field AND field_values.value = f.value RETURNING 1
     )
     UPDATE stats SET statements = statements - (SELECT count(*) FROM gone),
       title_words = title_words - (SELECT coalesce(sum(title_words), 0) FROM gone),
       body_words = body_words - (SELECT coalesce(sum(body_words), 0) FROM gone)`,
    [ids, BUILT_IN_NAMES, PREFIX],
  );
}

/** Statements handed to a row worker at once. */
const ROWS_PER_TASK = 100;

/**
 * Builds the rows of `writes` in the pool's workers and streams them to the shards, one COPY
 * per shard, all at once: a few tasks per worker are under way while the rows built before
 * are sent, so PostgreSQL takes rows in while the next ones are tokenized.
 */
async function writeRows(
  pool: RowPool,
  works: ShardWork[],
  writes: RowTask[],
): Promise<void> {
  if (writes.length === 0) return;
  const streams = works.map((work) => copyStream(work));
  const queue: Promise<string[]>[] = [];
  const window = 2 * Math.max(1, pool.size);
  const send = async () => {
    const chunks = await queue.shift()!;
    await Promise.all(
      chunks.map((chunk, shard) => streams[shard]!.write(chunk)),
    );
  };
  try {
    for (let i = 0; i < writes.length; i += ROWS_PER_TASK) {
      const built = pool.build(writes.slice(i, i + ROWS_PER_TASK));
      // A failure is thrown when its turn comes, not reported as unhandled before.
      built.catch(() => undefined);
      queue.push(built);
      if (queue.length >= window) await send();
    }
    while (queue.length) await send();
  } finally {
    await Promise.allSettled(queue);
  }
  await Promise.all(streams.map((s) => s.end()));
}

/** A COPY into the shard's statements, opened with its first rows. */
function copyStream(work: ShardWork) {
  let stream: ReturnType<typeof copyFrom> | undefined;
  let finished: Promise<void> = Promise.resolve();
  return {
    async write(chunk: string): Promise<void> {
      if (!chunk) return;
      if (!stream) {
        stream = work.client.query(
          copyFrom(`COPY statements (${ROW_COLUMNS.join(", ")}) FROM STDIN`),
        );
        const s = stream;
        finished = new Promise<void>((resolve, reject) => {
          s.on("finish", resolve);
          s.on("error", reject);
        });
        // A failed COPY rejects `finished` before anyone awaits it: not an unhandled rejection.
        finished.catch(() => undefined);
      }
      if (!stream.write(chunk))
        await Promise.race([
          new Promise((resolve) => stream!.once("drain", resolve)),
          finished,
        ]);
    },
    async end(): Promise<void> {
      if (!stream) return;
      stream.end();
      await finished;
    },
  };
}

/** Adds the counted words and values to the shard's tables, and rebuilds its index if dropped. */
async function finish(
  work: ShardWork,
  counts: ShardCounts,
  log?: (line: string) => void,
): Promise<void> {
  const { client } = work;
  await client.query(
    'CREATE TEMP TABLE new_terms (term text COLLATE "C", n int, t int, b int) ON COMMIT DROP',
  );
  await copyLines(
    client,
    "COPY new_terms FROM STDIN",
    counts.vocabulary.lines(
      (term, n, t, b) => `${escapeCopy(term)}\t${n}\t${t}\t${b}\n`,
    ),
  );
  await client.query(
    `INSERT INTO vocabulary (term, df, df_title, df_body) SELECT term, n, t, b FROM new_terms
     ON CONFLICT (term) DO UPDATE SET df = vocabulary.df + EXCLUDED.df,
       df_title = vocabulary.df_title + EXCLUDED.df_title,
       df_body = vocabulary.df_body + EXCLUDED.df_body`,
  );
  await client.query("DELETE FROM vocabulary WHERE df <= 0");
  // Cyrillic and Arabic words by sound key, for names across scripts (search/names.ts). A
  // word gone from the vocabulary stays filed: a search skips it.
  await client.query(
    'CREATE TEMP TABLE new_keys (key text COLLATE "C", term text COLLATE "C") ON COMMIT DROP',
  );
  await copyLines(
    client,
    "COPY new_keys FROM STDIN",
    counts.vocabulary.lines((term) =>
      NAME_INITIALS.includes(term[0]!)
        ? nameKeys(term)
            .map((key) => `${escapeCopy(key)}\t${escapeCopy(term)}\n`)
            .join("")
        : "",
    ),
  );
  await client.query(
    "INSERT INTO name_keys SELECT DISTINCT key, term FROM new_keys ON CONFLICT DO NOTHING",
  );
  await client.query(
    "CREATE TEMP TABLE new_values (field text, value text, n int) ON COMMIT DROP",
  );
  await copyLines(
    client,
    "COPY new_values FROM STDIN",
    [...counts.fieldValues].map(([key, n]) => {
      const [field, value] = JSON.parse(key) as [string, string];
      return `${escapeCopy(field)}\t${escapeCopy(value)}\t${n}\n`;
    }),
  );
  await client.query(
    `INSERT INTO field_values (field, value, count) SELECT field, value, n FROM new_values
     ON CONFLICT (field, value) DO UPDATE SET count = field_values.count + EXCLUDED.count`,
  );
  await client.query("DELETE FROM field_values WHERE count <= 0");
  await client.query(
    `UPDATE stats SET statements = statements + $1, title_words = title_words + $2,
       body_words = body_words + $3`,
    [counts.statements, counts.titleWords, counts.bodyWords],
  );
  if (work.empty) {
    log?.("Building the text index…");
    await client.query(
      "CREATE INDEX IF NOT EXISTS statements_tv ON statements USING gin (tv) WITH (fastupdate = off)",
    );
  }
}

async function copyLines(client: PoolClient, sql: string, lines: string[]) {
  const stream = client.query(copyFrom(sql));
  const finished = new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
  });
  for (let i = 0; i < lines.length; i += 1000)
    if (!stream.write(lines.slice(i, i + 1000).join("")))
      await new Promise((resolve) => stream.once("drain", resolve));
  stream.end();
  await finished;
}

function escapeCopy(text: string): string {
  return text.replace(/[\\\t\n\r]/g, (c) =>
    c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r",
  );
}

/** The catalog kept on the first shard: which files were read, when, and what went wrong. */
async function readCatalog(shards: Shards): Promise<{
  files: Map<string, { stamp: string }>;
  problems: Problem[];
  statements: number;
  tokenizer?: string;
}> {
  return shards.write(0, async (client) => {
    const files = new Map<string, { stamp: string }>();
    const problems: Problem[] = [];
    const { rows } = await client.query<{
      file: string;
      stamp: string;
      problems: Problem[];
    }>('SELECT file, stamp, problems FROM files ORDER BY file COLLATE "C"');
    for (const r of rows) {
      files.set(r.file, { stamp: r.stamp });
      problems.push(...r.problems);
    }
    const meta = await client.query<{ value: string }>(
      "SELECT value FROM readout_meta WHERE key = 'tokenizer'",
    );
    const counts = await Promise.all(
      Array.from({ length: shards.count }, (_, i) =>
        i === 0
          ? client.query<{ n: string }>("SELECT statements AS n FROM stats")
          : shards.write(i, (c) =>
              c.query<{ n: string }>("SELECT statements AS n FROM stats"),
            ),
      ),
    );
    return {
      files,
      problems,
      statements: counts.reduce((n, r) => n + Number(r.rows[0]?.n ?? 0), 0),
      ...(meta.rows[0] ? { tokenizer: meta.rows[0].value } : {}),
    };
  });
}

async function writeCatalog(
  client: PoolClient,
  changed: FileStamp[],
  removed: string[],
  problems: Map<string, Problem[]>,
  statements: Map<string, number>,
): Promise<void> {
  await client.query("DELETE FROM files WHERE file = ANY($1)", [
    [...removed, ...changed.map((s) => s.file)],
  ]);
  for (let i = 0; i < changed.length; i += 1000) {
    const part = changed.slice(i, i + 1000);
    await client.query(
      `INSERT INTO files (file, stamp, statements, problems)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::jsonb[])`,
      [
        part.map((s) => s.file),
        part.map((s) => s.stamp),
        part.map((s) => statements.get(s.file) ?? 0),
        part.map((s) => JSON.stringify(problems.get(s.file) ?? [])),
      ],
    );
  }
  await client.query(
    `INSERT INTO readout_meta (key, value) VALUES ('tokenizer', $1)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [TOKENIZER_FINGERPRINT],
  );
}

// Stamped by the rule both engines share (ingest/stamps.ts), kept as text in `files`.
async function stampFiles(dir: string): Promise<FileStamp[]> {
  return (await stampFolder(dir)).map((s) => ({
    file: s.file,
    stamp: stampKey(s),
    size: s.size,
    ...(s.settling ? { settling: true } : {}),
  }));
}

function* batches(files: FileStamp[], limit: number): Generator<FileStamp[]> {
  let batch: FileStamp[] = [];
  let bytes = 0;
  for (const file of files) {
    if (batch.length && bytes + file.size > limit) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(file);
    bytes += file.size;
  }
  if (batch.length) yield batch;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
