import { Lru } from "../runtime/lru.ts";

/** Default: rendered results pages kept (about 45 KB each on the real corpus). */
export const DEFAULT_PAGE_CACHE = 128;

/**
 * Rendered results pages by URL, for one generation of the archive (`Archive.generation`): a
 * request repeated before the archive changes gets the same HTML again without searching or
 * rendering. `entries: 0` keeps nothing.
 */
export class PageCache extends Lru<string, string> {
  constructor(entries = DEFAULT_PAGE_CACHE) {
    super({ entries });
  }
}
