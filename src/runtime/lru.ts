/** How much an `Lru` holds at most: entries, and bytes as its `bytesOf` counts them. */
export interface LruLimits {
  /** Entries kept; 0 keeps none. */
  entries: number;
  /** Bytes kept, counted by `bytesOf`; default no bound. */
  bytes?: number;
}

/**
 * A bounded map that drops the least recently used entries first, for one generation of
 * whatever it caches (`Archive.generation`): a value kept for another generation is dropped
 * on the next look-up. A Map keeps insertion order, so re-inserting on use keeps the oldest
 * first.
 */
export class Lru<K, V> {
  private readonly entries = new Map<K, { value: V; bytes: number }>();
  private bytes = 0;
  private generation: unknown;

  constructor(
    readonly limits: LruLimits,
    private readonly bytesOf: (value: V) => number = () => 0,
  ) {}

  /** Entries held now. */
  get size(): number {
    return this.entries.size;
  }

  /** The value kept for `key` at `generation`, made the most recently used. */
  get(generation: unknown, key: K): V | undefined {
    this.follow(generation);
    const held = this.entries.get(key);
    if (!held) return undefined;
    this.entries.delete(key);
    this.entries.set(key, held);
    return held.value;
  }

  /** Keeps a value, dropping the least recently used past the limits; one too big is not kept. */
  set(generation: unknown, key: K, value: V): void {
    this.follow(generation);
    this.drop(key);
    if (this.limits.entries <= 0) return;
    const bytes = this.bytesOf(value);
    if (bytes > (this.limits.bytes ?? Infinity)) return;
    this.entries.set(key, { value, bytes });
    this.bytes += bytes;
    this.trim();
  }

  /** Counts a kept value's bytes again, after it grew. */
  recount(key: K): void {
    const held = this.entries.get(key);
    if (!held) return;
    this.bytes -= held.bytes;
    held.bytes = this.bytesOf(held.value);
    this.bytes += held.bytes;
    this.trim();
  }

  private follow(generation: unknown): void {
    if (generation === this.generation) return;
    this.entries.clear();
    this.bytes = 0;
    this.generation = generation;
  }

  private drop(key: K): void {
    const held = this.entries.get(key);
    if (!held) return;
    this.entries.delete(key);
    this.bytes -= held.bytes;
  }

  private trim(): void {
    for (const key of this.entries.keys()) {
      if (
        this.entries.size <= this.limits.entries &&
        this.bytes <= (this.limits.bytes ?? Infinity)
      )
        return;
      this.drop(key);
    }
  }
}
