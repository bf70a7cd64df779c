import { History } from "../../versions/history-file.ts";
import type { Seen } from "../../versions/history.ts";
import { followFolder, landsSoon, type Follower } from "../../ingest/follow.ts";
import { filesAwaitingOcr } from "../../ingest/ocr.ts";
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
import type { LoadState } from "../store.ts";
import { stampFirstRead } from "./first-read.ts";
import { readFirstReads } from "./snapshot/first-reads.ts";
import {
  compareStamps,
  stampFolder,
  type FileStamp,
} from "../../ingest/stamps.ts";
import { readCache, writeCache } from "./snapshot/cache.ts";

export interface LibraryOptions {
  dataDir: string;
  /** Folder for the saved index; null: never save or load one. */
  cacheDir: string | null;
  maxFileBytes?: number;
  /** Read files with more than one name (`--follow-hard-links`). Default false. */
  followHardLinks?: boolean;
  /** The languages scans are read in by OCR; default every one installed; empty: none. */
  ocrLanguages?: string[];
  /** Find each statement's people, places and organisations (`--entities`). */
  entities?: boolean;
  /** Hears what happens: cache used or rebuilt, files re-read, problems found. */
  log?: (line: string) => void;
  /** Keep the earlier text of a statement whose file changes, in the cache folder (`--history`). */
  history?: boolean;
  /** Seconds before a save or a kept text that failed (a full disk) is tried again. Default 60. */
  retrySeconds?: number;
  /** How files are read; tests put a slow reader here. Default `loadStatements`. */
  load?: typeof loadStatements;
}

const RETRY_SECONDS = 60;

/** What a look found: files changed, removed, and changed so lately their stamps may lie. */
interface Difference {
  changed: string[];
  removed: string[];
  settling: string[];
}

/** A change whose earlier text is still to be written to the history. */
interface Unkept {
  id: string;
  before: Seen;
  after: Seen;
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
  private follower?: Follower;
  private saving?: NodeJS.Timeout;
  /** A save under way; closing waits for it, so a stop never leaves a half-written file. */
  private writing: Promise<void> = Promise.resolve();
  /**
   * Changes whose earlier texts could not be written yet (a full disk), oldest first. The
   * index is not saved until they are: stopped meanwhile, the next start sees the changes
   * again from the saved index, so no text is lost.
   */
  private unkept: Unkept[] = [];
  /** What fails and is being tried again: the save, the history. */
  private readonly failures = new Map<"save" | "history", string>();
  /** Files a live update is still reading: later looks leave them to it. */
  private readonly reading = new Set<string>();
  /** Live updates land one at a time, in the order their reads finish. */
  private landing: Promise<void> = Promise.resolve();
  /** Live updates still reading; closing waits for them. */
  private readonly pending = new Set<Promise<void>>();

  constructor(readonly options: LibraryOptions) {}

  get dataDir(): string {
    return this.options.dataDir;
  }

  /** How files are read: their size limit, whether hard links are, the OCR languages, names. */
  get readOptions(): {
    maxFileBytes?: number;
    followHardLinks?: boolean;
    ocrLanguages?: string[];
    entities?: boolean;
  } {
    const { maxFileBytes, followHardLinks, ocrLanguages, entities } =
      this.options;
    return {
      ...(maxFileBytes ? { maxFileBytes } : {}),
      ...(followHardLinks ? { followHardLinks } : {}),
      ...(ocrLanguages ? { ocrLanguages } : {}),
      ...(entities ? { entities } : {}),
    };
  }

  /** What goes wrong and is being tried again, for /about, health and the terminal. */
  get warnings(): string[] {
    return [...this.failures.values()];
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
        ? await readCache(cacheDir, !!this.options.entities)
        : { reason: "the index cache is off" };
      if ("corpus" in cached) {
        this.corpus = cached.corpus;
        this.problems = cached.manifest.problems;
        this.stamps = cached.manifest.stamps;
        const { changed, removed } = compareStamps(this.stamps, stamps);
        for (const file of await filesAwaitingOcr(
          this.problems,
          this.options.ocrLanguages,
        ))
          if (listed.has(file) && !changed.includes(file)) changed.push(file);
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
          ...this.readOptions,
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

  /**
   * Re-reads what changed on disk since the last look, and files that may have changed
   * unseen (settling, see ingest/stamps.ts); the server keeps answering meanwhile.
   */
  async refresh(): Promise<Difference> {
    const { difference, update } = await this.startUpdate();
    await update;
    return difference;
  }

  /**
   * Starts reading what changed since the last look, leaving out files an update under way
   * is still reading (they are its to land): `update` settles when the files have landed.
   */
  private async startUpdate(): Promise<{
    difference: Difference;
    update?: Promise<void>;
  }> {
    const stamps = await stampFolder(
      this.dataDir,
      this.options.cacheDir ?? undefined,
    );
    const all = compareStamps(this.stamps, stamps, true);
    const mine = (file: string) => !this.reading.has(file);
    const difference = {
      changed: all.changed.filter(mine),
      removed: all.removed.filter(mine),
      settling: all.settling.filter(mine),
    };
    const { changed, removed, settling } = difference;
    if (!changed.length && !removed.length && !settling.length)
      return { difference };
    const files = [...changed, ...settling, ...removed];
    for (const file of files) this.reading.add(file);
    const update = this.apply(stamps, [...changed, ...settling], removed)
      .then(() => {
        if (this.options.cacheDir) this.scheduleSave(5000);
      })
      .finally(() => {
        for (const file of files) this.reading.delete(file);
        this.pending.delete(update);
      });
    this.pending.add(update);
    return { difference, update };
  }

  /**
   * Follows the data folder (ingest/follow.ts): a file added, changed or removed, however it
   * was saved, is searchable (or gone) within about a second. Ids stay what they were, so
   * permalinks keep working. A look waits at most SLOW_READ_MS for its files: a slow one goes
   * on being read and lands when done, and files saved meanwhile are not held up by it.
   */
  watch(): void {
    const log = this.options.log;
    const said = ({ changed, removed, settling }: Difference) => {
      const reread = [...changed, ...settling];
      if (changed.length || removed.length)
        log?.(
          `Updated: ${describeFiles(reread, "re-read")}${describeFiles(removed, "removed", reread.length > 0)}.`,
        );
    };
    const failed = (err: unknown) =>
      log?.(`Could not update the index: ${(err as Error).message}`);
    this.follower = followFolder(this.dataDir, {
      ...(this.options.cacheDir ? { exclude: this.options.cacheDir } : {}),
      ...(log ? { log } : {}),
      look: async () => {
        try {
          const { difference, update } = await this.startUpdate();
          if (update) {
            const landed = await landsSoon(update);
            if (landed) said(difference);
            else update.then(() => said(difference), failed);
          }
          const { changed, removed, settling } = difference;
          return changed.length + removed.length + settling.length > 0;
        } catch (err) {
          failed(err);
          return false;
        }
      },
    });
  }

  /** Stops watching, lets the updates under way land, and writes a pending save now. */
  async close(): Promise<void> {
    await this.follower?.close();
    await Promise.allSettled([...this.pending]);
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
    if (!this.history) return;
    const now = new Date().toISOString();
    for (const statement of after) {
      const old = before.get(statement.id);
      if (!old) continue;
      // The old text was there at least since its file was last written.
      const mtime = stamps.get(old.origin.file)?.mtimeMs;
      this.unkept.push({
        id: statement.id,
        before: {
          title: old.title,
          text: old.body,
          seenAt: mtime ? new Date(mtime).toISOString() : "",
        },
        after: { title: statement.title, text: statement.body, seenAt: now },
      });
    }
    await this.keepTexts();
  }

  /** Writes the changes waiting to be kept, in order; false when one still cannot be. */
  private async keepTexts(): Promise<boolean> {
    const history = this.history;
    while (history && this.unkept.length) {
      const { id, before, after } = this.unkept[0]!;
      try {
        await history.record(id, before, after);
      } catch (err) {
        this.fail(
          "history",
          `Could not keep earlier texts in ${history.file}: ${reason(err)}. ${count(this.unkept.length, "change")} waiting, held in memory and written when it works again; the index is not saved until then. Trying again in ${this.retrySeconds} s.`,
        );
        this.scheduleSave(this.retrySeconds * 1000);
        return false;
      }
      this.unkept.shift();
    }
    this.recover("history", "Earlier texts are kept again.");
    return true;
  }

  private get retrySeconds(): number {
    return this.options.retrySeconds ?? RETRY_SECONDS;
  }

  // Said once on the terminal, and on /about and in health until it works again.
  private fail(kind: "save" | "history", message: string): void {
    if (!this.failures.has(kind)) this.options.log?.(message);
    this.failures.set(kind, message);
  }

  private recover(kind: "save" | "history", message: string): void {
    if (this.failures.delete(kind)) this.options.log?.(message);
  }

  // Reads the changed files first, then swaps their statements in one synchronous step, so a
  // request never sees the archive with a file's old statements gone and its new ones missing.
  // How files are read, as the options say: largest file, OCR languages.
  private async apply(
    stamps: FileStamp[],
    changed: string[],
    removed: string[],
  ): Promise<void> {
    const reread = new Set(changed);
    const load = this.options.load ?? loadStatements;
    const fresh = changed.length
      ? await load(this.dataDir, {
          ...this.readOptions,
          include: (file) => reread.has(file),
        })
      : { statements: [], problems: [], files: 0 };
    const land = this.landing.then(() =>
      this.land(stamps, changed, removed, fresh),
    );
    this.landing = land.catch(() => undefined);
    return land;
  }

  // The files' statements swapped in one synchronous step (after their earlier texts are
  // kept), their stamps with them; other files' stamps stay as they were, for the updates
  // still reading them.
  private async land(
    stamps: FileStamp[],
    changed: string[],
    removed: string[],
    fresh: { statements: Statement[]; problems: Problem[] },
  ): Promise<void> {
    const corpus = this.corpus!;
    const touched = new Set([...changed, ...removed]);
    const gone = [...corpus.byId.values()].filter((s) =>
      touched.has(s.origin.file),
    );
    const leaving = new Set(gone.map((s) => s.id));
    const before = new Map(gone.map((s) => [s.id, s.firstRead]));
    stampFirstRead(fresh.statements, new Date().toISOString(), (id) =>
      before.get(id),
    );
    const oldStamps = new Map(this.stamps.map((s) => [s.file, s]));
    const problems = this.problems.filter((p) => !touched.has(p.file));
    const accepted: Statement[] = [];
    for (const statement of fresh.statements) {
      const first = corpus.byId.get(statement.id);
      if (first && !leaving.has(statement.id)) {
        problems.push({
          file: statement.origin.file,
          ...(statement.origin.line ? { line: statement.origin.line } : {}),
          message: `duplicate id "${statement.id}", first used by ${first.origin.file}`,
          kept: false,
        });
      } else accepted.push(statement);
    }
    // Kept first: a text that can be found has its earlier texts kept too.
    await this.recordChanges(
      new Map(gone.map((s) => [s.id, s])),
      accepted,
      oldStamps,
    );
    removeStatements(corpus, [...leaving]);
    addStatements(corpus, accepted);
    this.problems = [...problems, ...fresh.problems];
    this.stamps = [
      ...this.stamps.filter((s) => !touched.has(s.file)),
      ...stamps.filter((s) => touched.has(s.file)),
    ];
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
    if (!(await this.keepTexts())) return;
    const started = performance.now();
    try {
      await writeCache(
        cacheDir,
        this.corpus,
        this.stamps,
        this.problems,
        !!this.options.entities,
      );
      this.recover("save", `The index can be saved to ${cacheDir} again.`);
      log?.(
        `Saved the index to ${cacheDir} in ${seconds(performance.now() - started)}.`,
      );
    } catch (err) {
      this.fail(
        "save",
        `Could not save the index to ${cacheDir}: ${reason(err)}. The index saved before is kept, and the files changed since will be read again at the next start. Trying again in ${this.retrySeconds} s.`,
      );
      this.scheduleSave(this.retrySeconds * 1000);
    }
  }
}

/** Why a write failed, in words: a full disk is the usual one. */
function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOSPC") return "the disk is full (ENOSPC)";
  if (code === "EDQUOT") return "the disk quota is used up (EDQUOT)";
  if (code === "EROFS") return "the file system is read-only (EROFS)";
  return (err as Error).message;
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? "" : "s"}`;
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
