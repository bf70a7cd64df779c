import { realpath } from "node:fs/promises";
import path from "node:path";
import { openDataFile, trustFor } from "./files.ts";
import { formatOf } from "./formats.ts";

/** A statement's original file, checked and ready to be sent as a download. */
export interface Original {
  /** The file's real path: inside the data folder's real path, a regular file. */
  path: string;
  size: number;
  /** The headers to send it with: its type, as an attachment, never run as a page. */
  headers: Record<string, string>;
}

/**
 * The original file of a statement (`statement.origin.file`, relative to the data folder),
 * for a download route; undefined when it cannot be offered: a path that climbs out of the
 * folder or is absolute, a link that leads outside the data folder's real path, anything but
 * a regular file, a file gone. The headers serve it with its format's type as an attachment
 * with a sandboxing Content-Security-Policy, so a saved web page is never rendered as a page
 * of Readout's origin. Send the file at `path` with these headers (e.g. `res.sendFile(path,
 * { headers, dotfiles: "allow" })`).
 */
export async function resolveOriginal(
  dataDir: string,
  file: string,
  followHardLinks = false,
): Promise<Original | undefined> {
  if (
    !file ||
    file.includes("\0") ||
    file.includes("\\") ||
    path.isAbsolute(file) ||
    file.split("/").some((part) => part === ".." || part === "." || part === "")
  )
    return undefined;
  try {
    const root = await realpath(dataDir);
    const { handle, info, real } = await openDataFile(
      root,
      file,
      await trustFor(root, followHardLinks),
    );
    await handle.close();
    const name = path.basename(file);
    return {
      path: real,
      size: info.size,
      headers: {
        "Content-Type":
          formatOf(file)?.contentType ?? "application/octet-stream",
        "Content-Length": String(info.size),
        "Content-Disposition": attachment(name),
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "X-Content-Type-Options": "nosniff",
      },
    };
  } catch {
    return undefined;
  }
}

/**
 * The original file of a statement read from `origin` (see `resolveOriginal`): none for a
 * record of a JSON or JSON Lines file, which is not its file.
 */
export async function originalOf(
  dataDir: string,
  origin: { file: string; line?: number },
  followHardLinks = false,
): Promise<Original | undefined> {
  if (origin.line !== undefined || /\.(json|jsonl|ndjson)$/i.test(origin.file))
    return undefined;
  return resolveOriginal(dataDir, origin.file, followHardLinks);
}

/** `attachment; filename="..."; filename*=UTF-8''...` for any file name (RFC 6266). */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
