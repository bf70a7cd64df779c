/**
 * Following a data folder, for both engines: a watch on every folder walked (not on files,
 * and not Node's recursive watch, which on Linux watches each file's inode and so hears
 * nothing more of a file once an editor has saved it by renaming a new file over it), a
 * look at the folder shortly after anything happens, and another a little later while files
 * are settling (stamps.ts). When watching fails (too many folders for the system's limit, a
 * folder that cannot be watched), the folder is looked at on a timer instead.
 */
import { watch as fsWatch, type FSWatcher } from "node:fs";
import path from "node:path";
import { isPassedOver, walkFolder } from "./files.ts";
import { SETTLE_MS } from "./stamps.ts";

/** How long after the last event the folder is looked at: a save is often several writes. */
export const DEBOUNCE_MS = 300;
/** How often the folder is looked at when it cannot be watched. */
export const POLL_SECONDS = 2;

/**
 * How long an engine's live update waits for the files it reads before it lets the next look begin: a
 * slow file (a long scan read by OCR, a huge page) goes on being read and lands when done,
 * while files saved meanwhile are read by later looks and land within about a second.
 */
export const SLOW_READ_MS = 1_500;

/** Whether a live update lands within SLOW_READ_MS (it rejects as the update does). */
export async function landsSoon(update: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    update.then(() => true),
    new Promise<false>(
      (resolve) => (timer = setTimeout(resolve, SLOW_READ_MS, false)),
    ),
  ]).finally(() => clearTimeout(timer));
}

export interface FollowOptions {
  /**
   * Looks at the folder and takes in what changed; resolves true when it found something
   * (a file that may still be changing is looked at once more, SETTLE_MS later). Looks never
   * overlap. It should not reject: what goes wrong is the caller's to say.
   */
  look: () => Promise<boolean>;
  /** A folder inside the data folder that is not data (the saved index): not watched. */
  exclude?: string;
  /** Hears that watching failed and polling took over. */
  log?: (line: string) => void;
  /** Node's `fs.watch`; tests pass one that fails. */
  watch?: typeof fsWatch;
  /** Seconds between looks once watching failed; default POLL_SECONDS. */
  pollSeconds?: number;
}

/** A folder being followed. */
export interface Follower {
  /** Stops following; resolves once a look under way is done. */
  close(): Promise<void>;
}

/** Follows `dir` until closed: `options.look` runs soon after anything below it changes. */
export function followFolder(dir: string, options: FollowOptions): Follower {
  const watch = options.watch ?? fsWatch;
  const watchers = new Map<string, FSWatcher>();
  const excluded = options.exclude && path.relative(dir, options.exclude);
  let timer: NodeJS.Timeout | undefined;
  let polling: NodeJS.Timeout | undefined;
  let looking: Promise<void> = Promise.resolve();
  let queued = false;
  let closed = false;

  // One look at a time, and at most one more waiting: events while looking need one more.
  const look = () => {
    if (queued) return;
    queued = true;
    looking = looking.then(async () => {
      queued = false;
      if (closed) return;
      const found = await options.look().catch(() => false);
      if (!polling) await watchFolders();
      if (found && !closed) schedule(SETTLE_MS);
    });
  };
  const schedule = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(look, ms);
    timer.unref();
  };
  const heard = (name: string | Buffer | null) => {
    // An editor's swap file or rsync's `.name.XXXX` says nothing; the rename that ends the
    // save names the file itself.
    if (name && isPassedOver(path.basename(String(name)))) return;
    schedule(DEBOUNCE_MS);
  };
  const fail = (err: NodeJS.ErrnoException) => {
    if (polling || closed) return;
    for (const watcher of watchers.values()) watcher.close();
    watchers.clear();
    const seconds = options.pollSeconds ?? POLL_SECONDS;
    options.log?.(
      `Live updates: watching ${dir} failed (${err.code ?? err.message}); checking it every ${seconds} s instead.`,
    );
    polling = setInterval(look, seconds * 1000);
    polling.unref();
  };
  // Watches every folder the walk finds and lets go of those gone.
  const watchFolders = async () => {
    let folders: string[];
    try {
      folders = (await walkFolder(dir)).folders.filter(
        (f) => !excluded || (f !== excluded && !f.startsWith(`${excluded}/`)),
      );
    } catch {
      // The data folder itself is gone or unreadable: the next look says so.
      return;
    }
    const present = new Set(folders);
    for (const [folder, watcher] of watchers)
      if (!present.has(folder)) {
        watcher.close();
        watchers.delete(folder);
      }
    for (const folder of folders) {
      if (watchers.has(folder) || closed || polling) continue;
      try {
        const watcher = watch(path.join(dir, folder), { persistent: false });
        watcher.on("change", (_event, name) => heard(name));
        // An unhandled 'error' would end the process.
        watcher.on("error", fail);
        watchers.set(folder, watcher);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // Gone since the walk: the next look lets it go.
        if (code !== "ENOENT" && code !== "ENOTDIR")
          fail(err as NodeJS.ErrnoException);
      }
    }
  };

  // What changed before the folders were watched is found by a first look.
  looking = watchFolders();
  look();
  return {
    close: async () => {
      closed = true;
      clearTimeout(timer);
      clearInterval(polling);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
      await looking;
    },
  };
}
