import type { VersionDiff } from "../archive.ts";
import type { TooLongToCompare } from "../versions/diff-pool.ts";
import { formatDate } from "../text/dates.ts";
import { urls } from "./urls.ts";

/** What diff.ejs and its JSON twin print: two versions and what changed between them. */
export function diffModel(
  { from, to, diff }: VersionDiff,
  /** For the change between two kept texts of one statement (`urls.change`). */
  change?: { id: string; n: number; of: number },
) {
  const side = (s: VersionDiff["from"]) => ({
    id: s.id,
    title: s.title,
    ...(s.date ? { date: s.date, dateLabel: formatDate(s.date) } : {}),
    ...(s.source ? { source: s.source } : {}),
    href: urls.statement(s.id),
  });
  return {
    from: side(from),
    to: side(to),
    title: diff.title,
    body: diff.body,
    links: change
      ? {
          json: urls.change(change.id, change.n, "json"),
          ...(change.n > 1
            ? { previous: urls.change(change.id, change.n - 1) }
            : {}),
          ...(change.n + 1 < change.of
            ? { next: urls.change(change.id, change.n + 1) }
            : {}),
        }
      : {
          json: urls.diff(from.id, to.id, "json"),
          reverse: urls.diff(to.id, from.id),
        },
  };
}

/** What diff-too-long.ejs and its JSON twin print: both statements, linked, and why they are not compared. */
export function tooLongModel(err: TooLongToCompare) {
  const side = (s: TooLongToCompare["from"]) => ({
    id: s.id,
    title: s.title,
    href: urls.statement(s.id),
  });
  return { from: side(err.from), to: side(err.to), tooLong: err.message };
}
