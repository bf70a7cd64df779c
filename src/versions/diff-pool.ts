/**
 * Where a diff runs: two long statements take a diff hundreds of milliseconds of processor
 * time in one synchronous piece (diff.ts), which on the main thread would hold every other
 * request, health checks included. Short texts are compared here; longer ones in one worker
 * thread, one at a time, each within a time limit; texts past a size bound not at all.
 */
import { Worker } from "node:worker_threads";
import type { Statement } from "../ingest/statement.ts";
import { workerScript } from "../runtime/worker-script.ts";
import { diffStatements, type StatementDiff } from "./diff.ts";

export const diffLimits = {
  /** Longest text (title and body, in characters) either side may have to be compared. */
  chars: 1_000_000,
  /** Texts this short together are compared in this thread: quicker than a message to a worker. */
  inlineChars: 20_000,
  /** Longest one comparison may take in the worker before it is stopped. */
  seconds: 10,
  /** The worker's heap; a comparison needing more is stopped. */
  memoryMb: 512,
  /** An idle worker is stopped after this long; the next diff starts another. */
  idleSeconds: 60,
};

/** Why two statements were not compared: too long, or their comparison took too long. */
export class TooLongToCompare extends Error {
  constructor(
    readonly from: Statement,
    readonly to: Statement,
    message: string,
  ) {
    super(message);
  }
}

/** What the worker is sent and answers. */
export interface DiffRequest {
  id: number;
  a: { title: string; body: string };
  b: { title: string; body: string };
}
export type DiffReply = { id: number; diff?: StatementDiff };

interface Job extends DiffRequest {
  from: Statement;
  to: Statement;
  resolve: (diff: StatementDiff) => void;
  reject: (err: Error) => void;
  timer?: NodeJS.Timeout;
}

/**
 * What changed from statement `a` to statement `b` (diff.ts), computed where it holds no
 * other request up; rejects with TooLongToCompare past `diffLimits`.
 */
export function compareStatements(
  a: Statement,
  b: Statement,
): Promise<StatementDiff> {
  const size = (s: Statement) => s.title.length + s.body.length;
  const longest = Math.max(size(a), size(b));
  if (longest > diffLimits.chars)
    return Promise.reject(
      new TooLongToCompare(
        a,
        b,
        `${longest === size(a) ? "The first" : "The second"} statement is ${longest.toLocaleString("en")} characters long; Readout compares statements of up to ${diffLimits.chars.toLocaleString("en")} characters. Open each one to read it.`,
      ),
    );
  if (size(a) + size(b) <= diffLimits.inlineChars)
    return Promise.resolve(diffStatements(a, b));
  return pool.compare(a, b);
}

/** One worker, started on the first long diff; diffs wait their turn for it. */
class DiffPool {
  private worker?: Worker;
  private ready?: Promise<boolean>;
  private current?: Job;
  private readonly queue: Job[] = [];
  private idle?: NodeJS.Timeout;
  private nextId = 1;
  /** A worker could not start (a broken install?): diffs are computed in this thread. */
  private broken = false;

  compare(from: Statement, to: Statement): Promise<StatementDiff> {
    if (this.broken) return Promise.resolve(diffStatements(from, to));
    return new Promise((resolve, reject) => {
      this.queue.push({
        id: this.nextId++,
        a: { title: from.title, body: from.body },
        b: { title: to.title, body: to.body },
        from,
        to,
        resolve,
        reject,
      });
      void this.dispatch();
    });
  }

  private async dispatch(): Promise<void> {
    if (this.current || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    this.current = job;
    clearTimeout(this.idle);
    if (!(await this.start())) {
      this.broken = true;
      this.stop();
      for (const waiting of [job, ...this.queue.splice(0)])
        waiting.resolve(diffStatements(waiting.from, waiting.to));
      return;
    }
    // The clock runs from when the worker has the texts, not while it starts.
    job.timer = setTimeout(() => {
      this.stop();
      job.reject(
        new TooLongToCompare(
          job.from,
          job.to,
          `Comparing these two statements took longer than ${diffLimits.seconds} s and was stopped. Open each one to read it.`,
        ),
      );
      void this.dispatch();
    }, diffLimits.seconds * 1000);
    this.worker!.ref();
    this.worker!.postMessage({
      id: job.id,
      a: job.a,
      b: job.b,
    } satisfies DiffRequest);
  }

  private start(): Promise<boolean> {
    if (this.worker && this.ready) return this.ready;
    const { script, eval: isEval } = workerScript(
      import.meta.url,
      "diff-worker",
    );
    const worker = new Worker(script, {
      eval: isEval,
      resourceLimits: { maxOldGenerationSizeMb: diffLimits.memoryMb },
    });
    this.worker = worker;
    let started: (ok: boolean) => void = () => {};
    let running = false;
    this.ready = new Promise((resolve) => (started = resolve));
    worker.on("message", (reply: DiffReply) => {
      if (reply.id === 0) {
        running = true;
        return started(true);
      }
      const job = this.current;
      if (!job || job.id !== reply.id) return;
      clearTimeout(job.timer);
      this.current = undefined;
      job.resolve(reply.diff!);
      this.rest();
      void this.dispatch();
    });
    const failed = (message: string) => {
      // Not started: dispatch() computes here instead.
      if (!running) return started(false);
      if (this.worker !== worker) return;
      const job = this.current;
      this.stop();
      if (job) {
        clearTimeout(job.timer);
        job.reject(new TooLongToCompare(job.from, job.to, message));
      }
      void this.dispatch();
    };
    worker.on("error", (err: Error & { code?: string }) =>
      failed(
        err.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? `Comparing these two statements needed more than ${diffLimits.memoryMb} MB of memory and was stopped. Open each one to read it.`
          : `These two statements could not be compared: ${err.message}`,
      ),
    );
    worker.on("exit", () =>
      failed("These two statements could not be compared: the worker stopped."),
    );
    return this.ready;
  }

  // An idle worker neither keeps the process alive nor stays for long.
  private rest(): void {
    if (this.queue.length || !this.worker) return;
    this.worker.unref();
    this.idle = setTimeout(() => this.stop(), diffLimits.idleSeconds * 1000);
    this.idle.unref();
  }

  private stop(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    this.current = undefined;
    void worker?.terminate();
  }
}

const pool = new DiffPool();
