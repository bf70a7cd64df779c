/**
 * The one bounded admission queue: the web admits heavy requests through it (per client, see
 * `web/admission.ts`), and the PostgreSQL engine its queries (so a burst cannot take more
 * connections than its pools hold). Both refuse with `Busy`: one message, one Retry-After.
 */

/** Seconds a refused client is told to wait before asking again. */
export const RETRY_AFTER_SECONDS = 1;

/** Thrown when more work waits than a queue takes; the web answers 503 with Retry-After. */
export class Busy extends Error {
  readonly status = 503;

  constructor(readonly retryAfter: number = RETRY_AFTER_SECONDS) {
    super(
      `Readout is answering too many searches right now. Try again in ${retryAfter} s.`,
    );
  }
}

/** How much work a queue takes at once, and how much it lets wait. */
export interface QueueLimits {
  /** Pieces of work running at the same time. */
  running: number;
  /** Pieces of work waiting for a turn; past that, one is refused at once. */
  waiting: number;
  /** The most one client may run at once; default `running` (no cap). */
  perClient?: number;
  /** Longest wait for a turn before giving up with Busy; default no limit. */
  waitMs?: number;
  /** Seconds a refused client is told to wait; default RETRY_AFTER_SECONDS. */
  retryAfter?: number;
}

interface Waiter {
  client: string;
  start: () => void;
  refuse: () => void;
}

/**
 * Admits work up to `running` at once and queues `waiting` more; past that, refuses with
 * `Busy`. Fair between clients: a free place goes to the waiting client running the least
 * (the longest waiting among equals), no client runs more than `perClient` at once, and when
 * the queue is full, the client with the most waiting gives up its newest place to a client
 * with fewer. One client alone can then fill the queue, but not keep others out of it.
 */
export class AdmissionQueue {
  private running = 0;
  private readonly runningBy = new Map<string, number>();
  /** Waiting work per client; a Map keeps the order in which clients began to wait. */
  private readonly waiting = new Map<string, Waiter[]>();
  private waitingCount = 0;

  constructor(private readonly limits: QueueLimits) {}

  /** Runs `work` once admitted for `client`; rejects with Busy when refused. */
  async run<T>(work: () => Promise<T>, client = ""): Promise<T> {
    const leave = await this.enter(client);
    try {
      return await work();
    } finally {
      leave();
    }
  }

  /**
   * Waits for a turn for `client`: resolves with the function that gives the place back
   * (call it once, when the work is done); rejects with Busy when refused, or with the
   * signal's reason when `signal` aborts while waiting.
   */
  enter(client: string, signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    // Places are handed out as they free up (dispatch), so a client that could start and has
    // nothing waiting overtakes no one.
    if (this.canStart(client) && !this.waiting.has(client))
      return Promise.resolve(this.begin(client));
    if (this.waitingCount >= this.limits.waiting && !this.makeRoom(client))
      return Promise.reject(this.busy());
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const cleanUp = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", abort);
      };
      const waiter: Waiter = {
        client,
        start: () => {
          cleanUp();
          resolve(this.begin(client));
        },
        refuse: () => {
          cleanUp();
          reject(this.busy());
        },
      };
      const abort = () => {
        cleanUp();
        if (this.remove(waiter)) reject(signal!.reason);
      };
      signal?.addEventListener("abort", abort, { once: true });
      if (this.limits.waitMs !== undefined)
        timer = setTimeout(() => {
          if (this.remove(waiter)) waiter.refuse();
        }, this.limits.waitMs);
      const list = this.waiting.get(client);
      if (list) list.push(waiter);
      else this.waiting.set(client, [waiter]);
      this.waitingCount++;
    });
  }

  /** Work running and waiting now, for tests and the terminal. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waitingCount };
  }

  private busy(): Busy {
    return new Busy(this.limits.retryAfter);
  }

  private canStart(client: string): boolean {
    return (
      this.running < this.limits.running &&
      (this.runningBy.get(client) ?? 0) <
        (this.limits.perClient ?? this.limits.running)
    );
  }

  private begin(client: string): () => void {
    this.running++;
    this.runningBy.set(client, (this.runningBy.get(client) ?? 0) + 1);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.running--;
      const n = this.runningBy.get(client)! - 1;
      if (n === 0) this.runningBy.delete(client);
      else this.runningBy.set(client, n);
      this.dispatch();
    };
  }

  /** Starts waiting work while places are free, the client running least first. */
  private dispatch(): void {
    for (;;) {
      let chosen: string | undefined;
      let least = Infinity;
      for (const client of this.waiting.keys()) {
        const held = this.runningBy.get(client) ?? 0;
        if (held < least && this.canStart(client)) {
          chosen = client;
          least = held;
        }
      }
      if (chosen === undefined) return;
      const list = this.waiting.get(chosen)!;
      const waiter = list.shift()!;
      this.waitingCount--;
      // To the back of the line of clients: the next free place goes to another first.
      this.waiting.delete(chosen);
      if (list.length) this.waiting.set(chosen, list);
      waiter.start();
    }
  }

  /**
   * The queue is full: the client with the most waiting gives up its newest place, when it
   * would still have at least as many as `client` then has. False when none has that many.
   */
  private makeRoom(client: string): boolean {
    const mine = this.waiting.get(client)?.length ?? 0;
    let biggest: Waiter[] | undefined;
    for (const list of this.waiting.values())
      if (list.length > mine + 1 && list.length > (biggest?.length ?? 0))
        biggest = list;
    if (!biggest) return false;
    const waiter = biggest.at(-1)!;
    this.remove(waiter);
    waiter.refuse();
    return true;
  }

  private remove(waiter: Waiter): boolean {
    const list = this.waiting.get(waiter.client);
    const at = list?.indexOf(waiter) ?? -1;
    if (!list || at < 0) return false;
    list.splice(at, 1);
    if (list.length === 0) this.waiting.delete(waiter.client);
    this.waitingCount--;
    return true;
  }
}
