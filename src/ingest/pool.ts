import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { workerScript } from "../worker-script.ts";
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
  | { id: number; type: "progress"; statements: number }
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
  private readonly size: number;
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

  /** Stops every worker; files still queued are read in this thread. */
  async close(): Promise<void> {
    this.broken = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
    this.slots.length = 0;
    for (const job of this.queue.splice(0))
      void readDataFile(job.task, job.progress).then(job.resolve);
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
        job.progress(reply.statements);
      } else {
        clearTimeout(job.timer);
        slot.job = undefined;
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

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
