/**
 * The history file on disk: `versions.jsonl` in the cache folder, read once and appended to.
 * Every decision is in `history.ts`; this module only reads and writes.
 */
import { appendFile, mkdir, readFile, stat, truncate } from "node:fs/promises";
import { join } from "node:path";
import {
  formatVersion,
  parseHistory,
  versionsToAppend,
  type HistoryProblem,
  type Seen,
  type KeptText,
} from "./history.ts";

export const HISTORY_FILE = "versions.jsonl";

/** The earlier texts of changed statements, kept in a cache folder. */
export class History {
  private constructor(
    readonly file: string,
    private versions: Map<string, KeptText[]>,
    /** The file ends in a cut line: the next write starts a line of its own. */
    private cut: boolean,
  ) {}

  /**
   * Opens the history in `dir` (made when first written); a missing file is an empty
   * history. Lines that cannot be read are returned as problems and left out.
   */
  static async open(
    dir: string,
  ): Promise<{ history: History; problems: HistoryProblem[] }> {
    const file = join(dir, HISTORY_FILE);
    let content = "";
    try {
      content = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT")
        throw new Error(
          `versions: ${file}: cannot read the history: ${(error as Error).message}`,
        );
    }
    const { versions, problems } = parseHistory(content);
    const cut = content !== "" && !content.endsWith("\n");
    return { history: new History(file, versions, cut), problems };
  }

  /** Every text kept for a statement, oldest first; empty when it never changed. */
  list(id: string): KeptText[] {
    return [...(this.versions.get(id) ?? [])];
  }

  /**
   * Records that a statement's file changed from `before` to `after`: appends the texts not
   * yet kept and returns them (none when the text did not change).
   */
  async record(id: string, before: Seen, after: Seen): Promise<KeptText[]> {
    const known = this.versions.get(id) ?? [];
    const added = versionsToAppend(id, known, before, after);
    if (added.length === 0) return added;
    await mkdir(join(this.file, ".."), { recursive: true });
    // One write per change: a crash leaves at most one cut line, which reading passes over.
    const lines = added.map(formatVersion).join("");
    const size = await stat(this.file).then(
      (info) => info.size,
      () => 0,
    );
    try {
      await appendFile(this.file, this.cut ? `\n${lines}` : lines, "utf8");
    } catch (err) {
      // A write cut short (a full disk) is taken back, or the next record would be glued to
      // it and lost; failing that, the next one starts a line of its own.
      await truncate(this.file, size).catch(() => (this.cut = true));
      throw err;
    }
    this.cut = false;
    this.versions.set(id, [...known, ...added]);
    return added;
  }
}
