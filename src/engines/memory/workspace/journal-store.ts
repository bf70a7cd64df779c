import { mkdir, open, readdir, readFile, rename, rm } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import path from "node:path";
import type { Problem } from "../../../ingest/statement.ts";
import type {
  CollectionRecord,
  CollectionSummary,
  ItemRecord,
  SavedRecord,
} from "../../../workspace/model.ts";
import type { WorkspaceStore } from "../../../workspace/store.ts";
import { inUse } from "../snapshot/cache.ts";
import {
  formatEntry,
  JournalState,
  parseJournal,
  type Entry,
} from "./journal.ts";

export const JOURNAL_FILE = "workspace.jsonl";

/**
 * Lines beyond twice the records held (plus this) make the journal be written again, shorter.
 * A note edited a hundred times is then a hundred lines only until the next compaction.
 */
const COMPACT_SLACK = 1000;

export interface JournalOptions {
  /** Read the journal and never write it (`readout saved`, while a server may be writing). */
  readOnly?: boolean;
  /** Lines past twice the records before compacting; default 1000 (tests make it small). */
  compactSlack?: number;
}

/**
 * The workspace store of the in-memory engine: an append-only journal (`workspace.jsonl`) in the cache
 * folder, replayed when opened. Each write is one line, on disk (fdatasync) before its promise
 * resolves, so a crash loses at most the write in flight; a line it cut is reported and cut
 * off at the next open. When superseded lines pile up the journal is written anew beside the
 * old one and renamed over it, so a crash then leaves one or the other, whole.
 */
export class JournalStore implements WorkspaceStore {
  private readonly state = new JournalState();
  private handle?: FileHandle;
  /** Lines in the file, and its length in bytes once whole. */
  private lines = 0;
  private bytes = 0;
  /** The file may end inside a line (a failed write): the next write starts a line of its own. */
  private cut = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly found: Problem[] = [];

  private constructor(
    readonly file: string,
    private readonly options: JournalOptions,
  ) {}

  /** Opens (and replays) the journal in `dir`; a missing one is an empty workspace. */
  static async open(
    dir: string,
    options: JournalOptions = {},
  ): Promise<JournalStore> {
    const store = new JournalStore(path.join(dir, JOURNAL_FILE), options);
    await store.replay();
    return store;
  }

  problems(): Problem[] {
    return [...this.found];
  }

  async collections(): Promise<CollectionSummary[]> {
    return [...this.state.collections.values()].map((c) => ({
      ...c.record,
      count: c.items.size,
    }));
  }

  async collection(slug: string): Promise<CollectionRecord | undefined> {
    return this.state.collections.get(slug)?.record;
  }

  putCollection(record: CollectionRecord): Promise<void> {
    return this.write({ op: "collection", value: record });
  }

  deleteCollection(slug: string): Promise<void> {
    return this.write({ op: "drop-collection", slug });
  }

  async items(
    slug: string,
    offset = 0,
    limit = Infinity,
  ): Promise<ItemRecord[]> {
    const items = this.state.collections.get(slug)?.items;
    if (!items) return [];
    const out: ItemRecord[] = [];
    let i = 0;
    for (const item of items.values()) {
      if (i++ < offset) continue;
      if (out.length >= limit) break;
      out.push(item);
    }
    return out;
  }

  async item(slug: string, id: string): Promise<ItemRecord | undefined> {
    return this.state.collections.get(slug)?.items.get(id);
  }

  putItem(slug: string, item: ItemRecord): Promise<void> {
    return this.write({ op: "item", slug, value: item });
  }

  async removeItem(slug: string, id: string): Promise<boolean> {
    if (!this.state.collections.get(slug)?.items.has(id)) return false;
    await this.write({ op: "remove-item", slug, id });
    return true;
  }

  async searches(): Promise<SavedRecord[]> {
    return [...this.state.searches.values()];
  }

  async search(slug: string): Promise<SavedRecord | undefined> {
    return this.state.searches.get(slug);
  }

  putSearch(record: SavedRecord): Promise<void> {
    return this.write({ op: "search", value: record });
  }

  deleteSearch(slug: string): Promise<void> {
    return this.write({ op: "drop-search", slug });
  }

  async close(): Promise<void> {
    await this.queue;
    await this.handle?.close();
    this.handle = undefined;
  }

  private async replay(): Promise<void> {
    let content = "";
    try {
      content = await readFile(this.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT")
        throw new Error(
          `workspace: cannot read ${this.file}: ${(err as Error).message}`,
        );
    }
    const { entries, problems, whole, lines } = parseJournal(content);
    for (const entry of entries) this.state.apply(entry);
    this.lines = lines;
    this.bytes = whole;
    for (const p of problems)
      this.found.push({
        file: this.file,
        line: p.line,
        message: `workspace: ${p.message}, left out`,
        kept: false,
      });
    if (this.options.readOnly) return;
    await this.removeLeftovers();
    const damaged = problems.some((p) => !p.message.startsWith("last line"));
    if (Buffer.byteLength(content, "utf8") > whole) {
      // The cut line goes, so the next write does not join it.
      const handle = await open(this.file, "r+");
      try {
        await handle.truncate(whole);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    if (damaged) {
      // Lines that cannot be read are not compacted away: the file as it was stays beside.
      const aside = `${this.file}.damaged-${new Date().toISOString().replace(/[:.]/g, "-")}`;
      await writeCopy(aside, content);
      this.found.push({
        file: this.file,
        message: `workspace: the journal as it was is kept in ${aside}`,
        kept: true,
      });
    }
    if (damaged || this.tooLong()) await this.compact();
  }

  // A compaction a crash interrupted leaves its temporary file; the journal itself is whole.
  private async removeLeftovers(): Promise<void> {
    const dir = path.dirname(this.file);
    const base = path.basename(this.file);
    let names: string[] = [];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    for (const name of names)
      if (name.startsWith(`${base}.`) && name.endsWith(".tmp") && !inUse(name))
        await rm(path.join(dir, name), { force: true });
  }

  private tooLong(): boolean {
    const slack = this.options.compactSlack ?? COMPACT_SLACK;
    return this.lines > 2 * this.state.size + slack;
  }

  /** Appends one entry, after the writes before it; the state changes once it is on disk. */
  private write(entry: Entry): Promise<void> {
    const run = this.queue.then(async () => {
      if (this.options.readOnly)
        throw new Error(`workspace: ${this.file} was opened read-only`);
      const line = Buffer.from(
        (this.cut ? "\n" : "") + formatEntry(entry),
        "utf8",
      );
      const handle = await this.appender();
      try {
        await handle.write(line);
        await handle.datasync();
      } catch (err) {
        // Half a line may be on disk: take it back, or at least start the next one afresh.
        await handle.truncate(this.bytes).then(
          () => (this.cut = false),
          () => (this.cut = true),
        );
        throw new Error(
          `workspace: could not write to ${this.file}: ${(err as Error).message}`,
        );
      }
      this.cut = false;
      this.bytes += line.length;
      this.lines++;
      this.state.apply(entry);
      if (this.tooLong()) await this.compact();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async appender(): Promise<FileHandle> {
    if (!this.handle) {
      await mkdir(path.dirname(this.file), { recursive: true });
      this.handle = await open(this.file, "a");
    }
    return this.handle;
  }

  /** Writes the state as a new journal beside the old one, then renames it over. */
  private async compact(): Promise<void> {
    const temporary = `${this.file}.${process.pid}.tmp`;
    await mkdir(path.dirname(this.file), { recursive: true });
    const out = await open(temporary, "w");
    let bytes = 0;
    let lines = 0;
    try {
      let pending: string[] = [];
      let size = 0;
      const flush = async () => {
        const chunk = Buffer.from(pending.join(""), "utf8");
        await out.write(chunk);
        bytes += chunk.length;
        [pending, size] = [[], 0];
      };
      for (const entry of this.state.entries()) {
        const line = formatEntry(entry);
        pending.push(line);
        size += line.length;
        lines++;
        if (size > 1 << 20) await flush();
      }
      await flush();
      await out.sync();
    } finally {
      await out.close();
    }
    await rename(temporary, this.file);
    await syncFolder(path.dirname(this.file));
    await this.handle?.close();
    this.handle = undefined;
    this.lines = lines;
    this.bytes = bytes;
    this.cut = false;
  }
}

async function writeCopy(file: string, content: string): Promise<void> {
  const handle = await open(file, "wx");
  try {
    await handle.write(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

// A rename is on disk once its folder is; without this a power cut could bring the old file back.
async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } catch {
    // Some file systems cannot sync a folder; the rename stands or falls with them.
  } finally {
    await handle.close();
  }
}
