/** Default: rendered results pages kept (about 45 KB each on the real corpus). */
export const DEFAULT_PAGE_CACHE = 128;

/**
 * Rendered results pages by URL, for one generation of the archive (`Archive.generation`): a
 * request repeated before the archive changes gets the same HTML again without searching or
 * rendering. Bounded, least recently used first out; `entries: 0` keeps nothing.
 */
export class PageCache {
  private readonly pages = new Map<string, string>();
  private generation: number | undefined;

  constructor(readonly entries = DEFAULT_PAGE_CACHE) {}

  /** The page kept for `url` at `generation`, made the most recently used. */
  get(generation: number, url: string): string | undefined {
    this.follow(generation);
    const html = this.pages.get(url);
    if (html === undefined) return undefined;
    this.pages.delete(url);
    this.pages.set(url, html);
    return html;
  }

  set(generation: number, url: string, html: string): void {
    this.follow(generation);
    if (this.entries <= 0) return;
    this.pages.delete(url);
    this.pages.set(url, html);
    for (const old of this.pages.keys()) {
      if (this.pages.size <= this.entries) break;
      this.pages.delete(old);
    }
  }

  private follow(generation: number): void {
    if (generation === this.generation) return;
    this.pages.clear();
    this.generation = generation;
  }
}
