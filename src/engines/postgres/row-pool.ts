import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { workerScript } from "../../runtime/worker-script.ts";
import {
  buildRows,
  ShardCounts,
  type RowTask,
  type ShardCountsData,
} from "./batch.ts";

/** What the import asks a row worker: rows of some statements, or the counts so far. */
export type RowRequest =
  | { id: number; type: "rows"; shards: number; tasks: RowTask[] }
  | { id: number; type: "counts" };

/** What a row worker answers. */
export type RowReply =
  | { id: number; type: "ready" }
  | { id: number; type: "rows"; chunks: string[] }
  | { id: number; type: "counts"; counts: ShardCountsData[] };

/**
 * Row workers an import starts by default: none on a machine of two cores or fewer, where
 * each shard's PostgreSQL backend needs a core to take the rows in (measured on the 2-core
 * bench machine, 20,000 statements: 631–701 statements/s building in this thread, 547–602
 * with two workers); otherwise one per core beyond two, at most four.
 */
export function defaultRowWorkers(): number {
  return Math.max(0, Math.min(4, availableParallelism() - 2));
}

interface Slot {
  worker: Worker;
  /** Resolves once the worker has loaded its code: true, or false when it could not start. */
  ready: Promise<boolean>;
  waiting: Map<
    number,
    { resolve: (r: RowReply) => void; reject: (e: Error) => void }
  >;
}

/**
 * Builds an import's rows in worker threads: tokenizing and writing the vectors is most of an
 * import's own time, and PostgreSQL takes the rows faster than one thread makes them. Each
 * worker counts what its rows add to each shard (vocabulary, field values, statistics);
 * `counts()` gathers them once, at the end, so no count crosses threads per row. With no
 * workers (`size` 0), or when one cannot start, rows are built in this thread.
 */
export class RowPool {
  private readonly slots: Slot[] = [];
  private readonly local: ShardCounts[];
  private next = 0;
  private nextId = 1;
  private failure: Error | undefined;

  constructor(
    private readonly shards: number,
    size = defaultRowWorkers(),
  ) {
    this.local = Array.from({ length: shards }, () => new ShardCounts());
    for (let i = 0; i < size; i++) this.slots.push(this.start());
  }

  /** Workers building rows (0: this thread builds them). */
  get size(): number {
    return this.slots.length;
  }

  /** Per shard, the COPY lines of `tasks` joined in one string (empty when none). */
  async build(tasks: RowTask[]): Promise<string[]> {
    const slot = this.slots[this.next++ % Math.max(1, this.slots.length)];
    if (!slot || !(await slot.ready)) return buildRows(tasks, this.local);
    const reply = await this.ask(slot, {
      type: "rows",
      shards: this.shards,
      tasks,
    });
    return reply.type === "rows" ? reply.chunks : [];
  }

  /** Per shard, what every row built so far adds to it; the workers start counting afresh. */
  async counts(): Promise<ShardCounts[]> {
    const out = Array.from({ length: this.shards }, () => new ShardCounts());
    for (const [shard, c] of this.local.entries()) out[shard]!.merge(c.data());
    this.local.forEach((_, i) => (this.local[i] = new ShardCounts()));
    for (const slot of this.slots) {
      if (!(await slot.ready)) continue;
      const reply = await this.ask(slot, { type: "counts" });
      if (reply.type === "counts")
        reply.counts.forEach((c, shard) => out[shard]!.merge(c));
    }
    return out;
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private ask(
    slot: Slot,
    request:
      { type: "rows"; shards: number; tasks: RowTask[] } | { type: "counts" },
  ): Promise<RowReply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.waiting.set(id, { resolve, reject });
      slot.worker.postMessage({ ...request, id } as RowRequest);
    });
  }

  private start(): Slot {
    const { script, eval: isEval } = workerScript(
      import.meta.url,
      "row-worker",
    );
    const worker = new Worker(script, { eval: isEval });
    let started: (ok: boolean) => void = () => {};
    let isStarted = false;
    const slot: Slot = {
      worker,
      ready: new Promise((resolve) => (started = resolve)),
      waiting: new Map(),
    };
    const fail = (message: string) => {
      if (!isStarted) return started(false);
      // Rows or counts lost with the worker: the import cannot finish, and rolls back.
      this.failure ??= new Error(`postgres: import: ${message}`);
      for (const w of slot.waiting.values()) w.reject(this.failure);
      slot.waiting.clear();
    };
    worker.on("message", (reply: RowReply) => {
      if (reply.type === "ready") {
        isStarted = true;
        return started(true);
      }
      const waiting = slot.waiting.get(reply.id);
      slot.waiting.delete(reply.id);
      waiting?.resolve(reply);
    });
    worker.on("error", (err) => fail(`a row worker failed: ${err.message}`));
    worker.on("exit", () => fail("a row worker stopped unexpectedly"));
    return slot;
  }
}
