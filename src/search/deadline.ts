/** Thrown when a search runs past its time limit; the page says so instead of stalling. */
export class SearchTimeout extends Error {
  constructor(readonly seconds: number) {
    super(`search: stopped after ${seconds} s`);
  }
}

/** A search still running after this many seconds is stopped with a message. */
export const searchTimeLimit = { seconds: 10 };

// Searches run synchronously, one at a time, so one module-level deadline is enough.
let deadline = Infinity;
let limitSeconds = 0;

/** Runs `work` with a time limit; the loops of a search call `checkDeadline` as they go. */
export function withDeadline<T>(seconds: number, work: () => T): T {
  const outer = [deadline, limitSeconds] as const;
  deadline = Math.min(deadline, performance.now() + seconds * 1000);
  limitSeconds = seconds;
  try {
    return work();
  } finally {
    [deadline, limitSeconds] = outer;
  }
}

/** Throws SearchTimeout once the current search is past its limit. */
export function checkDeadline(): void {
  if (performance.now() > deadline) throw new SearchTimeout(limitSeconds);
}
