/** The id of a file's statement: its path without the extension, each part made URL-safe. */
export function fileId(file: string): string {
  return file
    .replace(/\.[^./]+$/, "")
    .split("/")
    .map(
      (part) =>
        part
          .replace(/[^\p{L}\p{N}_.~-]+/gu, "-")
          .replace(/^-+|(?<!-)-+$/g, "") || "-",
    )
    .join("/");
}
