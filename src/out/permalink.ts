/**
 * A statement's permanent path, `/statements/<id>`: the web's pages and exports and the command
 * line's results all print it, so it lives below both.
 */
export function permalink(id: string): string {
  return `/statements/${statementPath(id)}`;
}

/**
 * A statement id as the path after `/statements/` (or `/originals/`), one segment per `/`.
 * A browser resolves `.` and `..` segments (`%2E%2E` too) before it asks, so a document whose
 * id has one would link to another page (`../../about`): such an id goes as one segment, its
 * slashes escaped, and the route decodes them back. An id made in code rather than read by
 * ingest may hold a lone surrogate, which encodeURIComponent refuses: it is linked as U+FFFD,
 * as ingest would have made it.
 */
export function statementPath(id: string): string {
  const parts = id.toWellFormed().split("/");
  return parts.some((p) => p === "." || p === "..")
    ? encodeURIComponent(id)
    : parts.map(encodeURIComponent).join("/");
}
