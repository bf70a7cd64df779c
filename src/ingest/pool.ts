import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { workerScript } from "../runtime/worker-script.ts";
import {
  readDataFile,
  skipped,
  type FileResult,
  type ReadProgress,
  type ReadTask,
} from "./read.ts";

/** What a worker says: it is ready, a file is under way, or a file is read. */
export type WorkerReply =
  | { id: number; type: "ready" }
  | { id: number; type: "progress"; statements: number; ocrPages?: number }
  | { id: number; type: "done"; result: FileResult };

export interface PoolOptions {
  /** Worker threads; default: one per core, at most 4. */
  workers?: number;
  /**
   * How long one file may be parsed without a sign of progress before it is stopped and
   * skipped (a record file shows progress every 1,000 records). Default 60 s.
   */
  timeLimitMs?: number;
  /** The heap one worker may use before the file it parses is stopped and skipped. Default 1 GiB. */
  memoryLimitMb?: number;
}

export const DEFAULT_TIME_LIMIT_MS = 60_000;
export const DEFAULT_MEMORY_LIMIT_MB = 1024;

/** How many workers a pool starts by default: every core, at most four. */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

interface Job {
  task: ReadTask;
  progress: ReadProgress;
  resolve: (result: FileResult) => void;
}

interface Slot {
  worker: Worker;
  /** Resolves once the worker has loaded its code: true, or false when it could not start. */
  ready: Promise<boolean>;
  started: boolean;
  job?: Job & { id: number; timer?: NodeJS.Timeout };
}

/**
 * Parses files in worker threads, so that a cold start uses every core and a file that hangs
 * or explodes its parser (a zip bomb in a .docx, a PDF with a million objects) is stopped by a
 * time and a memory limit, reported and skipped, while the rest goes on. When no worker can
 * be started, files are read in this thread instead.
 */
export class ParsePool {
  private size: number;
  private readonly timeLimitMs: number;
  private readonly memoryLimitMb: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private broken = false;

  constructor(options: PoolOptions = {}) {
    this.size = Math.max(1, options.workers ?? defaultWorkers());
    this.timeLimitMs = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
    this.memoryLimitMb = options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB;
  }

  /** Reads one file in a worker; resolves with its statements and problems, never rejects. */
  read(task: ReadTask, progress: ReadProgress = () => {}): Promise<FileResult> {
    if (this.broken) return readDataFile(task, progress);
    return new Promise((resolve) => {
      this.queue.push({ task, progress, resolve });
      this.dispatch();
    });
  }

  /** Takes up to `workers` workers from now on (a kept pool lent to a load that wants more). */
  grow(workers: number): void {
    this.size = Math.max(this.size, workers);
  }

  /** False once a worker could not start: this pool then reads in the calling thread. */
  get usable(): boolean {
    return !this.broken;
  }

  /** Workers started and not stopped. */
  get workers(): number {
    return this.slots.length;
  }

  /** Whether no file is queued or being read. */
  get idle(): boolean {
    return this.queue.length === 0 && this.slots.every((slot) => !slot.job);
  }

  /** Stops the workers of an idle pool; it starts new ones when asked to read again. */
  async stopWorkers(): Promise<void> {
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    if (this.broken) {
      for (const job of this.queue.splice(0))
        void readDataFile(job.task, job.progress).then(job.resolve);
      return;
    }
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.job);
      if (!slot && this.slots.length < this.size) slot = this.start();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = { ...job, id: this.nextId++ };
      slot.worker.ref();
      void this.send(slot);
    }
  }

  private async send(slot: Slot): Promise<void> {
    const job = slot.job!;
    if (!(await slot.ready)) {
      // The worker could not start (a broken install?): read here, without limits.
      this.broken = true;
      this.remove(slot);
      slot.job = undefined;
      job.resolve(await readDataFile(job.task, job.progress));
      this.dispatch();
      return;
    }
    this.arm(slot);
    slot.worker.postMessage({ ...job.task, id: job.id });
  }

  // (Re)starts the file's clock: a file that shows no progress for the time limit is stopped.
  private arm(slot: Slot): void {
    const job = slot.job!;
    clearTimeout(job.timer);
    job.timer = setTimeout(() => {
      this.fail(
        slot,
        `took longer than ${duration(this.timeLimitMs)} to read (a damaged or hostile file?)`,
      );
    }, this.timeLimitMs);
  }

  private start(): Slot {
    const { script, eval: isEval } = workerScript(import.meta.url, "worker");
    const worker = new Worker(script, {
      eval: isEval,
      resourceLimits: { maxOldGenerationSizeMb: this.memoryLimitMb },
      stdout: true,
      stderr: true,
    });
    // What a parser prints (pdf.js warnings) is not Readout's output.
    worker.stdout.resume();
    worker.stderr.resume();
    let started: (ok: boolean) => void = () => {};
    const slot: Slot = {
      worker,
      ready: new Promise((resolve) => (started = resolve)),
      started: false,
    };
    worker.on("message", (reply: WorkerReply) => {
      if (reply.type === "ready") {
        slot.started = true;
        return started(true);
      }
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      if (reply.type === "progress") {
        this.arm(slot);
        job.progress(reply.statements, reply.ocrPages);
      } else {
        clearTimeout(job.timer);
        slot.job = undefined;
        // An idle worker does not keep the process alive (a kept pool, see borrowPool).
        slot.worker.unref();
        // A message between threads gives plain objects: metadata keys come from files, so
        // they go back into objects without a prototype (a key `constructor` is just a key).
        for (const statement of reply.result.statements)
          statement.meta = Object.assign(Object.create(null), statement.meta);
        job.resolve(reply.result);
        this.dispatch();
      }
    });
    worker.on("error", (err: Error & { code?: string }) => {
      if (!slot.started) return started(false);
      this.fail(
        slot,
        err.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? `needed more than ${this.memoryLimitMb} MB of memory to read (a damaged or hostile file?)`
          : `its reader failed: ${err.message}`,
      );
    });
    worker.on("exit", () => {
      if (!slot.started) return started(false);
      this.fail(slot, "its reader stopped unexpectedly");
    });
    this.slots.push(slot);
    return slot;
  }

  // Ends the slot's file with a problem and its worker for good; the next file gets a new one.
  private fail(slot: Slot, message: string): void {
    const job = slot.job;
    this.remove(slot);
    void slot.worker.terminate();
    if (job) {
      clearTimeout(job.timer);
      slot.job = undefined;
      job.resolve(skipped(job.task.file, message));
    }
    this.dispatch();
  }

  private remove(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
  }
}

/** How long a pool is kept after its last load gives it back. */
export const KEEP_MS = 10_000;

interface Kept {
  pool: ParsePool;
  users: number;
  timer?: NodeJS.Timeout;
}
const kept = new Map<string, Kept>();

/**
 * A pool for one load, kept for KEEP_MS after the last load gives it back, so that the next
 * one (a live update after a PDF changed, a folder re-read, the next command in the same
 * process) finds its workers started and their parsers loaded: starting a worker and
 * loading pdf.js in it takes 0.2–0.8 s. Pools are kept by their limits; a kept pool grows to
 * the workers asked for. Idle workers do not keep the process alive.
 */
export function borrowPool(options: PoolOptions = {}): {
  pool: ParsePool;
  release: () => void;
} {
  const key = `${options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS}/${options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB}`;
  let entry = kept.get(key);
  // A pool whose worker could not start is not lent again: the next load tries anew.
  if (!entry || (!entry.pool.usable && entry.users === 0)) {
    entry = { pool: new ParsePool(options), users: 0 };
    kept.set(key, entry);
  }
  const lent = entry;
  lent.pool.grow(Math.max(1, options.workers ?? defaultWorkers()));
  clearTimeout(lent.timer);
  lent.users += 1;
  let released = false;
  return {
    pool: lent.pool,
    release: () => {
      if (released) return;
      released = true;
      lent.users -= 1;
      if (lent.users > 0) return;
      expire(key, lent);
    },
  };
}

// Stops a kept pool's workers KEEP_MS after its last load, once no file is left in it (a
// load that failed half-way may leave reads behind it).
function expire(key: string, lent: Kept): void {
  lent.timer = setTimeout(() => {
    if (lent.users > 0) return;
    if (!lent.pool.idle) return expire(key, lent);
    if (kept.get(key) === lent) kept.delete(key);
    void lent.pool.stopWorkers();
  }, KEEP_MS);
  lent.timer.unref();
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
