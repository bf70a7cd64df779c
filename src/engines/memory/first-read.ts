import type { Statement } from "../../ingest/statement.ts";
import { newestReadFirst } from "../../workspace/model.ts";

/**
 * Gives each statement the time Readout first read it: the time it had before (a file read
 * again, or a saved index that could not be used), else `now`. Statements are changed in place,
 * before they are indexed, so the saved index keeps the times for the next start.
 */
export function stampFirstRead(
  statements: Statement[],
  now: string,
  before: (id: string) => string | undefined = () => undefined,
): void {
  for (const statement of statements)
    statement.firstRead ??= before(statement.id) ?? now;
}

/**
 * The newest first-read time among `statements`, and, of `ids`, those first read after
 * `since` (all when it is undefined), newest first, at most `limit`, with how many there are.
 */
export function readAfter(
  byDoc: (Statement | undefined)[],
  docs: ArrayLike<number>,
  since: string | undefined,
  limit: number,
): { total: number; statements: { id: string; firstRead: string }[] } {
  const fresh: { id: string; firstRead: string }[] = [];
  for (let i = 0; i < docs.length; i++) {
    const s = byDoc[docs[i]!];
    if (s?.firstRead && (since === undefined || s.firstRead > since))
      fresh.push({ id: s.id, firstRead: s.firstRead });
  }
  fresh.sort(newestReadFirst);
  return { total: fresh.length, statements: fresh.slice(0, limit) };
}

/** The newest first-read time of any statement, or undefined when none has one. */
export function latestRead(
  statements: Iterable<Statement | undefined>,
): string | undefined {
  let latest: string | undefined;
  for (const s of statements)
    if (s?.firstRead && (latest === undefined || s.firstRead > latest))
      latest = s.firstRead;
  return latest;
}
