/** Thrown when a search uses up its time; the page says so instead of stalling. */
export class SearchTimeout extends Error {
  constructor(readonly seconds: number) {
    super(`search: stopped after ${seconds} s of work`);
  }
}

/**
 * How much processor time one search may use before it is stopped with a message. Time spent
 * waiting while other requests run (a sliced search, below) does not count.
 */
export const searchTimeLimit = { seconds: 1 };

/**
 * A computation written as a generator that yields between units of bounded work (a posting
 * list, 256 phrase checks …). The driver decides: run it to the end now (`runNow`), or in
 * slices that give other requests a turn in between (`runSliced`); either way it checks the
 * time limit at every yield, and `checkDeadline` does inside a unit.
 */
export type Steps<T> = Generator<void, T, void>;

interface Budget {
  seconds: number;
  /** Processor time used in earlier slices. */
  spentMs: number;
  /** When the slice under way began. */
  sliceStart: number;
}

// One slice runs at a time (they are synchronous), so the budget being spent is module state.
let current: Budget | undefined;

/** Throws SearchTimeout once the search running now has used up its time. */
export function checkDeadline(): void {
  if (
    current &&
    current.spentMs + performance.now() - current.sliceStart >
      current.seconds * 1000
  )
    throw new SearchTimeout(current.seconds);
}

/** Runs `steps` for up to `sliceMs` of this budget; undefined when it is not done yet. */
function slice<T>(
  steps: Steps<T>,
  budget: Budget,
  sliceMs: number,
): { value: T } | undefined {
  const outer = current;
  current = budget;
  budget.sliceStart = performance.now();
  try {
    for (;;) {
      const next = steps.next();
      if (next.done) return { value: next.value };
      checkDeadline();
      if (performance.now() - budget.sliceStart >= sliceMs) return undefined;
    }
  } finally {
    budget.spentMs += performance.now() - budget.sliceStart;
    current = outer;
  }
}

/** Runs `steps` to the end now, within `seconds` (a search inside another shares its budget). */
export function runNow<T>(
  steps: Steps<T>,
  seconds = searchTimeLimit.seconds,
): T {
  if (current) {
    // Inside a running search: the same budget, the same slice.
    for (;;) {
      const next = steps.next();
      if (next.done) return next.value;
      checkDeadline();
    }
  }
  return slice(steps, { seconds, spentMs: 0, sliceStart: 0 }, Infinity)!.value;
}

/** Runs `work` within `seconds`, for synchronous code that calls `checkDeadline`. */
export function withDeadline<T>(seconds: number, work: () => T): T {
  return runNow(
    (function* () {
      return work();
    })(),
    seconds,
  );
}

/**
 * Runs `steps` in slices of about `sliceMs`, letting the event loop serve other requests
 * between them, within `seconds` of processor time. Rejects with the signal's reason once
 * `signal` aborts (the client went away).
 */
export async function runSliced<T>(
  steps: Steps<T>,
  options: { seconds?: number; sliceMs?: number; signal?: AbortSignal } = {},
): Promise<T> {
  const budget: Budget = {
    seconds: options.seconds ?? searchTimeLimit.seconds,
    spentMs: 0,
    sliceStart: 0,
  };
  const sliceMs = options.sliceMs ?? SLICE_MS;
  for (;;) {
    options.signal?.throwIfAborted();
    const done = slice(steps, budget, sliceMs);
    if (done) return done.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Longest a search holds the event loop before other requests get a turn. Short enough that
 * a page waiting behind several heavy searches waits a few slices, long enough that the
 * switching costs little.
 */
export const SLICE_MS = 10;
