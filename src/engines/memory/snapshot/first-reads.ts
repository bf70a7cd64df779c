import { snapshotFile } from "./cache.ts";
import { readSections } from "./sections.ts";

/**
 * When each statement was first read, as a saved index says, even one this version cannot use
 * (another Readout, another tokenizer): an index rebuilt after an upgrade must not make every
 * statement new to every saved search. Empty when there is no readable saved index.
 */
export async function readFirstReads(
  cacheDir: string,
): Promise<Map<string, string>> {
  const times = new Map<string, string>();
  try {
    const file = await snapshotFile(cacheDir);
    if (!file) return times;
    const { sections } = await readSections(file, {
      only: new Set(["statements"]),
    });
    const bytes = sections.get("statements");
    if (!bytes) return times;
    const text = new TextDecoder().decode(bytes);
    for (const line of text.split("\n")) {
      if (!line) continue;
      try {
        const { id, firstRead } = JSON.parse(line) as {
          id?: unknown;
          firstRead?: unknown;
        };
        if (typeof id === "string" && typeof firstRead === "string")
          times.set(id, firstRead);
      } catch {
        // A damaged line gives no time; its statement is first read now.
      }
    }
  } catch {
    // No saved index, or not one that can be read: every statement is first read now.
  }
  return times;
}
