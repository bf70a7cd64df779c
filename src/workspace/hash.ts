import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

/**
 * SHA-256 of what a statement says (title, date and body): kept when it is added to a
 * collection, compared later, so an edit to its file shows as a change.
 */
export function textHash(statement: {
  title: string;
  date?: string;
  body: string;
}): string {
  return createHash("sha256")
    .update(
      JSON.stringify([statement.title, statement.date ?? "", statement.body]),
    )
    .digest("hex");
}

/** SHA-256 of a file, read as a stream (an original may be a large PDF). */
export function fileHash(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}
