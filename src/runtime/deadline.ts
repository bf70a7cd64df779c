/** Thrown when a search uses up its time; the page says so instead of stalling. */
export class SearchTimeout extends Error {
  constructor(readonly seconds: number) {
    super(`search: stopped after ${seconds} s of work`);
  }
}

/**
 * How much processor time one search may use before it is stopped with a message. Time spent
 * waiting while other requests run (a sliced search, below) or for a database does not count.
 */
export const searchTimeLimit = { seconds: 1 };

/**
 * A computation written as a generator that yields between units of bounded work (a posting
 * list, 256 phrase checks …), or yields a promise to wait for (a database's answer) and gets
 * its value back. The driver decides: run it to the end now (`runNow`, which cannot wait), or
 * in slices that give other requests a turn in between (`runSliced`); either way it checks
 * the time limit at every yield, and `checkDeadline` does inside a unit.
 */
export type Steps<T> = Generator<PromiseLike<unknown> | void, T, unknown>;

/** Waits for `promise` inside a computation run by `runSliced`: `const rows = yield* wait(query)`. */
export function* wait<T>(promise: PromiseLike<T>): Steps<T> {
  return (yield promise) as T;
}

/** Several waits at once: each promise starts now, the computation resumes when all settled. */
export function* waitAll<T extends readonly unknown[]>(promises: {
  [K in keyof T]: PromiseLike<T[K]>;
}): Steps<T> {
  return (yield Promise.all(promises)) as T;
}

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

/**
 * The share of its time the search running now has used (0 to 1; 0 outside a search): work
 * that can stop early with a partial answer (what stands out) checks it between parts.
 */
export function budgetSpent(): number {
  if (!current) return 0;
  const spent = current.spentMs + performance.now() - current.sliceStart;
  return Math.min(1, spent / (current.seconds * 1000));
}

type Slice<T> =
  { done: true; value: T } | { done: false; waiting?: PromiseLike<unknown> };

/**
 * Runs `steps` of this budget until `until` (a `performance.now()` time): done, out of time
 * for this slice, or waiting for a promise it yielded (`resume` feeds the value of the last
 * one in).
 */
function slice<T>(
  steps: Steps<T>,
  budget: Budget,
  until: number,
  resume: () => IteratorResult<PromiseLike<unknown> | void, T>,
): Slice<T> {
  const outer = current;
  current = budget;
  budget.sliceStart = performance.now();
  try {
    for (let next = resume(); ; next = steps.next()) {
      if (next.done) return { done: true, value: next.value };
      if (next.value) return { done: false, waiting: next.value };
      checkDeadline();
      if (performance.now() >= until) return { done: false };
    }
  } finally {
    budget.spentMs += performance.now() - budget.sliceStart;
    current = outer;
  }
}

/**
 * Runs `steps` to the end now, within `seconds` (a search inside another shares its budget).
 * Throws when the computation waits for I/O: only `runSliced` can wait.
 */
export function runNow<T>(
  steps: Steps<T>,
  seconds = searchTimeLimit.seconds,
): T {
  const waits = () =>
    new Error("deadline: runNow met a computation that waits for I/O");
  if (current) {
    // Inside a running search: the same budget, the same slice.
    for (;;) {
      const next = steps.next();
      if (next.done) return next.value;
      if (next.value) throw waits();
      checkDeadline();
    }
  }
  const budget = { seconds, spentMs: 0, sliceStart: 0 };
  const done = slice(steps, budget, Infinity, () => steps.next());
  if (!done.done) throw waits();
  return done.value;
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
 * When the turn that sliced work is using now began: the last time a computation was given
 * a turn. Every computation shares it, so work that runs short computations one after
 * another (an export, a batch of rows at a time) gives way as often as one long computation
 * does; with a slice per computation, such a chain held the event loop for seconds under
 * load, health checks included.
 */
let turnStart = -Infinity;

/** Processor time used in slices, by a computation or by all those of one request. */
interface Served {
  ms: number;
}

/**
 * What the computations run for one signal (one request: an export's batches, a batch's
 * lines) have used together, so splitting work into many computations does not put it
 * ahead of others.
 */
const servedBySignal = new WeakMap<AbortSignal, Served>();

function servedFor(signal: AbortSignal | undefined): Served {
  if (!signal) return { ms: 0 };
  let served = servedBySignal.get(signal);
  if (!served) servedBySignal.set(signal, (served = { ms: 0 }));
  return served;
}

/** Computations waiting for a turn, with what they (or their request) have used. */
const ready: { served: Served; resume: () => void }[] = [];
let pumping = false;

/**
 * Waits for a turn: one computation's slice per turn of the event loop, so requests are
 * read and answered between any two slices, and the request that has used the least
 * processor time goes first (the longest waiting among equals). A statement page or a
 * simple search, a few slices long, is then not held behind every slice of every heavy
 * search under way, as it was when each took its turn in order.
 */
function nextTurn(served: Served): Promise<void> {
  return new Promise((resume) => {
    ready.push({ served, resume });
    if (!pumping) {
      pumping = true;
      setImmediate(giveTurn);
    }
  });
}

function giveTurn(): void {
  let next = 0;
  for (let i = 1; i < ready.length; i++)
    if (ready[i]!.served.ms < ready[next]!.served.ms) next = i;
  const [chosen] = ready.splice(next, 1);
  turnStart = performance.now();
  chosen?.resume();
  if (ready.length) setImmediate(giveTurn);
  else pumping = false;
}

/**
 * Runs `steps` in slices, letting the event loop serve other requests whenever sliced work
 * has held it for `sliceMs` (this computation's or others' before it in the same turn),
 * within `seconds` of processor time, waiting for each promise it yields. Rejects with the
 * signal's reason once `signal` aborts (the client went away), whether the computation is
 * running or waiting.
 */
export async function runSliced<T>(
  steps: Steps<T>,
  options: { seconds?: number; sliceMs?: number; signal?: AbortSignal } = {},
): Promise<T> {
  const { signal } = options;
  const budget: Budget = {
    seconds: options.seconds ?? searchTimeLimit.seconds,
    spentMs: 0,
    sliceStart: 0,
  };
  const sliceMs = options.sliceMs ?? SLICE_MS;
  const served = servedFor(signal);
  let resume = () => steps.next();
  try {
    for (;;) {
      signal?.throwIfAborted();
      const now = performance.now();
      // A clock behind the turn's start was swapped (a test's): a new turn, not none.
      if (now - turnStart >= sliceMs || now < turnStart) {
        await nextTurn(served);
        signal?.throwIfAborted();
      }
      const before = budget.spentMs;
      const done = slice(steps, budget, turnStart + sliceMs, resume);
      served.ms += budget.spentMs - before;
      if (done.done) return done.value;
      if (!done.waiting) {
        resume = () => steps.next();
        continue;
      }
      try {
        const value = await abortable(done.waiting, signal);
        resume = () => steps.next(value);
      } catch (err) {
        signal?.throwIfAborted();
        resume = () => steps.throw(err);
      }
    }
  } finally {
    // Stopped early (aborted, timed out): `finally` blocks of the computation still run.
    steps.return(undefined as T);
  }
}

// The promise, or the signal's reason as soon as it aborts; the promise's own end is awaited
// by nobody then, so its rejection is caught here.
function abortable<T>(
  promise: PromiseLike<T>,
  signal?: AbortSignal,
): Promise<T> {
  if (!signal) return Promise.resolve(promise);
  signal.throwIfAborted();
  const settled = Promise.resolve(promise);
  settled.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(signal.reason);
    signal.addEventListener("abort", stop, { once: true });
    settled.then(
      (value) => {
        signal.removeEventListener("abort", stop);
        resolve(value);
      },
      (err) => {
        signal.removeEventListener("abort", stop);
        reject(err);
      },
    );
  });
}

/**
 * Longest a search holds the event loop before other requests get a turn. Short enough that
 * a page waiting behind several heavy searches waits a few slices, long enough that the
 * switching costs little.
 */
export const SLICE_MS = 10;
