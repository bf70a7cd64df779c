/** Thrown when more requests wait than the archive takes; the web answers 503 with Retry-After. */
export class ArchiveBusy extends Error {
  readonly status = 503;
  /** Seconds the client should wait before asking again. */
  readonly retryAfter = 2;

  constructor() {
    super(
      "Readout is answering as many searches as it can; try again in a moment.",
    );
  }
}

/** How many searches run at once, and how many may wait for a turn. */
export const gateLimits = {
  running: 8,
  waiting: 32,
  /** Longest wait for a turn before giving up with 503. */
  waitMs: 5_000,
};

/**
 * Admits work a few at a time, so a burst cannot take more connections than the pools hold:
 * beyond `running`, work queues; beyond `waiting` queued, or after `waitMs` in the queue, it
 * is refused with ArchiveBusy.
 */
export class Gate {
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly limits = gateLimits) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limits.running) await this.wait();
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }

  private wait(): Promise<void> {
    if (this.queue.length >= this.limits.waiting) throw new ArchiveBusy();
    return new Promise<void>((resolve, reject) => {
      const turn = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const at = this.queue.indexOf(turn);
        if (at >= 0) this.queue.splice(at, 1);
        reject(new ArchiveBusy());
      }, this.limits.waitMs);
      this.queue.push(turn);
    });
  }
}
