import { watch, type FSWatcher } from "node:fs";
import { History } from "../../versions/history-file.ts";
import { fileNames } from "../../search/names.ts";
import path from "node:path";
import {
  addStatements,
  buildCorpus,
  removeStatements,
  type Corpus,
} from "./corpus.ts";
import {
  checkFolder,
  loadStatements,
  type Problem,
  type Statement,
} from "../../ingest/load.ts";
import type { LoadState } from "../../archive.ts";
import { stampFirstRead } from "./first-read.ts";
import { readFirstReads } from "./snapshot/first-reads.ts";
import {
  compareStamps,
  readCache,
  stampFolder,
  writeCache,
  type FileStamp,
} from "./snapshot/cache.ts";

/** How often the folder is looked at when it cannot be watched. */
const POLL_SECONDS = 2;

export interface LibraryOptions {
  dataDir: string;
  /** Folder for the saved index; null: never save or load one. */
  cacheDir: string | null;
  maxFileBytes?: number;
  /** The languages scans are read in by OCR; default every one installed; empty: none. */
  ocrLanguages?: string[];
  /** Hears what happens: cache used or rebuilt, files re-read, problems found. */
  log?: (line: string) => void;
  /** Keep the earlier text of a statement whose file changes, in the cache folder (`--history`). */
  history?: boolean;
}

/**
 * The archive as served: its corpus once ready, the problems found reading it, and how far
 * loading has come. The web app reads it on every request, so it can answer (with a progress
 * page) while the index is being built, and see live updates as they land.
 */
export class Library {
  corpus?: Corpus;
  problems: Problem[] = [];
  stamps: FileStamp[] = [];
  state: LoadState = {
    phase: "starting",
    done: 0,
    startedAt: performance.now(),
  };
  loadMs = 0;
  /** How the index came to be, in words, for /about. */
  origin = "";
  /** Whether opening read files of the folder, not only the saved index. */
  readFiles = false;
  /** Earlier texts of changed statements, when kept (`history`). */
  history?: History;
  historyProblems: Problem[] = [];
  private watcher?: FSWatcher;
  /** Looks at the folder on a timer once watching it has failed. */
  private polling?: NodeJS.Timeout;
  private saving?: NodeJS.Timeout;
  /** A save under way; closing waits for it, so a stop never leaves a half-written file. */
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly options: LibraryOptions) {}

  get dataDir(): string {
    return this.options.dataDir;
  }

  /** Files that hold at least one indexed statement. */
  get files(): number {
    return new Set(
      [...(this.corpus?.byId.values() ?? [])].map((s) => s.origin.file),
    ).size;
  }

  /**
   * Loads the archive: from the saved index when it is whole and made by this version,
   * re-reading only the files changed since; otherwise by reading and indexing everything.
   * Saves the index afterwards when anything was read.
   */
  async open(): Promise<void> {
    const { dataDir, cacheDir } = this.options;
    const log = this.options.log ?? (() => {});
    const started = performance.now();
    try {
      this.state = { phase: "reading", done: 0, startedAt: started };
      await checkFolder(dataDir);
      if (this.options.history && cacheDir) await this.openHistory(cacheDir);
      const stamps = await stampFolder(dataDir, cacheDir ?? undefined);
      const listed = new Set(stamps.map((s) => s.file));
      const cached = cacheDir
        ? await readCache(cacheDir)
        : { reason: "the index cache is off" };
      if ("corpus" in cached) {
        this.corpus = cached.corpus;
        this.problems = cached.manifest.problems;
        this.stamps = cached.manifest.stamps;
        const { changed, removed } = compareStamps(this.stamps, stamps);
        this.origin = "from the saved index";
        if (changed.length || removed.length) {
          await this.apply(stamps, changed, removed);
          this.origin += `; ${changed.length} changed and ${removed.length} removed files since`;
          this.readFiles = true;
          // Saved again, or every later start would read the same files once more.
          if (cacheDir) this.scheduleSave(0);
        }
      } else {
        if (cacheDir) log(`Building the index: ${cached.reason}.`);
        const loaded = await loadStatements(dataDir, {
          ...this.readOptions(),
          include: (file) => listed.has(file),
          onProgress: (p) =>
            (this.state = {
              ...this.state,
              phase: "reading",
              done: p.statements,
              ...(p.ocrPages ? { ocrPages: p.ocrPages } : {}),
            }),
        });
        // A saved index that could not be used still says when each statement was first read.
        const earlier = cacheDir ? await readFirstReads(cacheDir) : new Map();
        stampFirstRead(loaded.statements, new Date().toISOString(), (id) =>
          earlier.get(id),
        );
        this.state = {
          phase: "indexing",
          done: 0,
          total: loaded.statements.length,
          startedAt: this.state.startedAt,
        };
        this.corpus = buildCorpus(
          loaded.statements,
          (done) => (this.state = { ...this.state, done }),
        );
        this.problems = loaded.problems;
        this.stamps = stamps;
        this.origin = "built from the data";
        this.readFiles = true;
        if (cacheDir) this.scheduleSave(0);
      }
      // Names across scripts are filed now, not by the first search that needs them.
      fileNames(this.corpus.index);
      this.loadMs = performance.now() - started;
      this.state = {
        phase: "ready",
        done: this.corpus.index.size,
        startedAt: started,
      };
    } catch (err) {
      this.state = {
        phase: "failed",
        done: 0,
        startedAt: started,
        error: (err as Error).message,
      };
      throw err;
    }
  }

  /** Re-reads what changed on disk since the last look; the server keeps answering meanwhile. */
  async refresh(): Promise<{ changed: string[]; removed: string[] }> {
    const stamps = await stampFolder(
      this.dataDir,
      this.options.cacheDir ?? undefined,
    );
    const difference = compareStamps(this.stamps, stamps);
    if (difference.changed.length || difference.removed.length) {
      await this.apply(stamps, difference.changed, difference.removed);
      if (this.options.cacheDir) this.scheduleSave(5000);
    }
    return difference;
  }

  /**
   * Follows the data folder: a file added, changed or removed is searchable (or gone) within
   * about a second. Ids stay what they were, so permalinks keep working.
   */
  watch(): void {
    let timer: NodeJS.Timeout | undefined;
    let running = Promise.resolve();
    const cache = this.options.cacheDir;
    const update = () => {
      running = running.then(async () => {
        try {
          const { changed, removed } = await this.refresh();
          if (changed.length || removed.length) {
            this.options.log?.(
              `Updated: ${describeFiles(changed, "re-read")}${describeFiles(removed, "removed", changed.length > 0)}.`,
            );
          }
        } catch (err) {
          this.options.log?.(
            `Could not update the index: ${(err as Error).message}`,
          );
        }
      });
    };
    this.watcher = watch(this.dataDir, { recursive: true }, (_event, name) => {
      const file = String(name ?? "");
      if (file.split(path.sep).some((part) => part.startsWith("."))) return;
      if (
        cache &&
        path.resolve(this.dataDir, file).startsWith(cache + path.sep)
      )
        return;
      clearTimeout(timer);
      timer = setTimeout(update, 300);
    });
    // A watch can fail while serving (a symlink loop gives ELOOP) and then hears nothing
    // more; an unhandled 'error' would end the process. Say so and look at the folder on a
    // timer instead.
    this.watcher.on("error", (err: NodeJS.ErrnoException) => {
      this.watcher?.close();
      clearInterval(this.polling);
      this.watcher = undefined;
      if (this.polling) return;
      this.options.log?.(
        `Live updates: watching ${this.dataDir} failed (${err.code ?? err.message}); checking it every ${POLL_SECONDS} s instead.`,
      );
      this.polling = setInterval(update, POLL_SECONDS * 1000);
      this.polling.unref();
    });
  }

  /** Stops watching and writes a pending save now. */
  async close(): Promise<void> {
    this.watcher?.close();
    if (this.saving) {
      clearTimeout(this.saving);
      this.saving = undefined;
      void this.save();
    }
    await this.writing;
  }

  private async openHistory(cacheDir: string): Promise<void> {
    const { history, problems } = await History.open(cacheDir);
    this.history = history;
    // A line that cannot be read is reported on /about; the texts around it are kept.
    this.historyProblems = problems.map((p) => ({
      file: history.file,
      line: p.line,
      message: `history: ${p.message}, left out`,
      kept: false,
    }));
  }

  /** Keeps the texts of statements that a re-read file changed (`history`). */
  private async recordChanges(
    before: Map<string, Statement>,
    after: Statement[],
    stamps: Map<string, FileStamp>,
  ): Promise<void> {
    const history = this.history;
    if (!history) return;
    const now = new Date().toISOString();
    for (const statement of after) {
      const old = before.get(statement.id);
      if (!old) continue;
      // The old text was there at least since its file was last written.
      const mtime = stamps.get(old.origin.file)?.mtimeMs;
      try {
        await history.record(
          statement.id,
          {
            title: old.title,
            text: old.body,
            seenAt: mtime ? new Date(mtime).toISOString() : "",
          },
          { title: statement.title, text: statement.body, seenAt: now },
        );
      } catch (err) {
        this.options.log?.(
          `history: ${statement.id}: the earlier text could not be kept: ${(err as Error).message}`,
        );
      }
    }
  }

  // Reads the changed files first, then swaps their statements in one synchronous step, so a
  // request never sees the archive with a file's old statements gone and its new ones missing.
  // How files are read, as the options say: largest file, OCR languages.
  private readOptions() {
    const { maxFileBytes, ocrLanguages } = this.options;
    return {
      ...(maxFileBytes ? { maxFileBytes } : {}),
      ...(ocrLanguages ? { ocrLanguages } : {}),
    };
  }

  private async apply(
    stamps: FileStamp[],
    changed: string[],
    removed: string[],
  ): Promise<void> {
    const corpus = this.corpus!;
    const touched = new Set([...changed, ...removed]);
    const reread = new Set(changed);
    const fresh = changed.length
      ? await loadStatements(this.dataDir, {
          ...this.readOptions(),
          include: (file) => reread.has(file),
        })
      : { statements: [], problems: [] };
    const gone = [...corpus.byId.values()].filter((s) =>
      touched.has(s.origin.file),
    );
    const leaving = gone.map((s) => s.id);
    const before = new Map(gone.map((s) => [s.id, s.firstRead]));
    stampFirstRead(fresh.statements, new Date().toISOString(), (id) =>
      before.get(id),
    );
    const oldStamps = new Map(this.stamps.map((s) => [s.file, s]));
    const problems = this.problems.filter((p) => !touched.has(p.file));
    removeStatements(corpus, leaving);
    const accepted: Statement[] = [];
    for (const statement of fresh.statements) {
      const first = corpus.byId.get(statement.id);
      if (first) {
        problems.push({
          file: statement.origin.file,
          ...(statement.origin.line ? { line: statement.origin.line } : {}),
          message: `duplicate id "${statement.id}", first used by ${first.origin.file}`,
          kept: false,
        });
      } else accepted.push(statement);
    }
    addStatements(corpus, accepted);
    this.problems = [...problems, ...fresh.problems];
    this.stamps = stamps;
    await this.recordChanges(
      new Map(gone.map((s) => [s.id, s])),
      accepted,
      oldStamps,
    );
  }

  private scheduleSave(delay: number): void {
    clearTimeout(this.saving);
    this.saving = setTimeout(() => {
      this.saving = undefined;
      void this.save();
    }, delay);
  }

  private save(): Promise<void> {
    this.writing = this.writing.then(() => this.saveNow());
    return this.writing;
  }

  private async saveNow(): Promise<void> {
    const { cacheDir, log } = this.options;
    if (!cacheDir || !this.corpus) return;
    const started = performance.now();
    try {
      await writeCache(cacheDir, this.corpus, this.stamps, this.problems);
      log?.(
        `Saved the index to ${cacheDir} in ${seconds(performance.now() - started)}.`,
      );
    } catch (err) {
      log?.(
        `Could not save the index to ${cacheDir}: ${(err as Error).message}. It will be built again next time.`,
      );
    }
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function describeFiles(files: string[], verb: string, comma = false): string {
  if (files.length === 0) return "";
  const list =
    files.length <= 3
      ? files.join(", ")
      : `${files.slice(0, 3).join(", ")} and ${files.length - 3} more`;
  return `${comma ? "; " : ""}${verb} ${list}`;
}
