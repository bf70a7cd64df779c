/**
 * Groups statements whose bodies are near-identical ("versions"), and keeps the groups
 * current as statements come and go. Pure: no I/O, no engine; an engine feeds it statements
 * (and, to skip tokenizing again, their body words hashed with `hashTerm`).
 *
 * How two bodies are judged (issue 15; figures from the 17,209-statement corpus):
 * - Bodies with the same words are one "body" here, and always one group.
 * - Otherwise a body is described by its features: one in 4 of its 5-word shingles.
 * - A feature found in `boilerplate` (8) or more different bodies is boilerplate (standard
 *   closings, "The President held a telephone conversation with", attendee lists, legal
 *   formulas) and is left out of every comparison: templates repeat far more often than a
 *   statement is re-issued, and counting distinct bodies keeps exact copies from making
 *   their own text look like boilerplate.
 * - Two bodies are versions when the Jaccard similarity of their remaining features is at
 *   least `threshold` (0.75) and they share at least `minShared` (6) of them. Below 0.75 the
 *   corpus has templated statements with different substance (the same announcement for two
 *   countries, for "Black" and "Latino communities"); above it, re-posts, corrections and
 *   yearly re-issues of one text.
 * - Groups are the connected parts of that relation: a body joins a group through any member.
 * Candidate pairs come from MinHash LSH over the same features, so a new statement is compared
 * with a handful of bodies, not all of them.
 *
 * Everything is a function of the statements present: adding statements one by one, removing
 * some, or building from scratch gives the same groups (tests check this).
 */
import type { Statement } from "../ingest/statement.ts";
import { dateSortKey } from "../text/dates.ts";
import { Boilerplate } from "./boilerplate.ts";
import { BANDS, bandKeys, signature } from "./minhash.ts";
import { bodyKey, features, wordHashes } from "./shingles.ts";

const BUCKET_MASK = 2 ** 21 - 1;

/**
 * Changes fewer than this are grouped statement by statement, more by regrouping everything.
 * One statement scans every body's band keys (about 44 ns a body, measured in a PostgreSQL
 * import at 340,000 statements), a regroup re-signs and re-links every body (about 25 µs a
 * body): the two cost the same near 570 changes, whatever the archive's size. The bound was
 * a sixteenth of the archive, which past 320,000 statements sent a file of 20,000 down the
 * statement-by-statement path: 20,000 scans of every body, minutes per file.
 */
const BY_STATEMENT = 512;

/** A change staged: a statement removed, or one added (with where its words come from). */
type Change =
  | { remove: string }
  | {
      add: Statement;
      words?: ((statement: Statement) => Uint32Array) | undefined;
    };

/**
 * A save keeps the bucket counts (4 MB) once the bodies have more features than there are
 * buckets: below that, counting again on restore is quicker than reading them, and a small
 * archive's saved index is a few kilobytes, not 4 MB.
 */
export const versionLimits = { saveBucketsFrom: 2 ** 21 };

/** How near-identical two bodies must be. */
export interface VersionOptions {
  /** A feature in this many different bodies or more is boilerplate. Default 8. */
  boilerplate: number;
  /** Least Jaccard similarity of two bodies' non-boilerplate features. Default 0.75. */
  threshold: number;
  /** Least non-boilerplate features two different bodies must share. Default 6. */
  minShared: number;
  /** A body with fewer words is never grouped, not even with an identical copy. Default 8. */
  minWords: number;
}

export const defaultVersionOptions: VersionOptions = {
  boilerplate: 8,
  threshold: 0.75,
  minShared: 6,
  minWords: 8,
};

/** A statement in a group: what ordering and echoes need. */
export interface VersionMember {
  id: string;
  date?: string;
  source?: string;
}

/** Statements whose bodies are near-identical. */
export interface VersionGroup {
  /** The id of the earliest member: stable while that statement stays. */
  id: string;
  /** Earliest first: by date (undated last), then by id. */
  readonly members: readonly VersionMember[];
}

/** Statements with the same words: grouped with each other whatever else happens. */
interface Body {
  key: string;
  members: VersionMember[];
  features: Uint32Array;
  /** Without one (too short, or all boilerplate) the body links to no other. */
  signed: boolean;
  /** The bodies this one is near-identical to; most bodies have none, so made on demand. */
  edges?: Set<number>;
  /** Internal group number, -1 when alone. */
  group: number;
}

/**
 * What a saved index keeps of the grouping: the bodies and their features, as arrays a
 * snapshot can write, and what grouping worked out from them (`derived`). Restoring takes
 * both as they are; without `derived` (an older save) it works out the rest again
 * (boilerplate, signatures, links), which at 100,000 statements took most of a warm start.
 */
export interface SavedVersions {
  options: VersionOptions;
  /** Per body (statements with the same words): its key and its statements. */
  bodies: { key: string; members: VersionMember[] }[];
  /** Every body's features, one after another: body i's run from `offsets[i]` to `offsets[i + 1]`. */
  features: Uint32Array;
  offsets: Uint32Array;
  derived?: {
    /** Boilerplate features and their counts, one after the other. */
    boilerplate: Uint32Array;
    /** The bodies with a signature, and their band keys (`BANDS` per body, by body). */
    signed: Uint32Array;
    bands: Uint32Array;
    /** Pairs of near-identical bodies, one after the other. */
    links: Uint32Array;
    /** Bodies per bucket of features (see `buckets`); an older save has none. */
    buckets?: Uint16Array;
  };
}

/** Near-duplicate groups over a changing set of statements. */
export class VersionIndex {
  readonly options: VersionOptions;
  private bodies: (Body | undefined)[] = [];
  private free: number[] = [];
  private byKey = new Map<string, number>();
  private byId = new Map<string, number>();
  private boiler: Boilerplate;
  /**
   * Bodies per bucket of features: at least a feature's count, so a feature whose bucket is
   * under the boilerplate threshold cannot cross it and its exact count is not needed. A full
   * bucket stays full, still an upper bound.
   */
  private buckets = new Uint16Array(2 ** 21);
  private bands = new Uint32Array(0);
  private groupSlots = new Map<number, number[]>();
  /** Groups as `groupOf` returns them, made when first asked for and dropped when they change. */
  private described = new Map<number, VersionGroup>();
  private nextGroup = 0;
  /** Changes staged to be grouped one by one, while they are few (`stage`, `settle`). */
  private pending: Change[] = [];
  /** Changes staged and placed, to be grouped by regrouping everything. */
  private staged = false;

  constructor(options: Partial<VersionOptions> = {}) {
    this.options = { ...defaultVersionOptions, ...options };
    const { boilerplate, threshold, minShared, minWords } = this.options;
    if (
      !(boilerplate >= 2 && boilerplate < 0xffff) ||
      !(threshold > 0 && threshold <= 1)
    )
      throw new Error(
        `versions: boilerplate must be from 2 to 65534 and threshold in (0, 1], got ${boilerplate} and ${threshold}`,
      );
    this.boiler = new Boilerplate(boilerplate);
    if (!(minShared >= 1) || !(minWords >= 1))
      throw new Error(
        `versions: minShared and minWords must be at least 1, got ${minShared} and ${minWords}`,
      );
  }

  /** Statements indexed. */
  get size(): number {
    return this.byId.size;
  }

  /**
   * Adds many statements: the same as `update([], statements, words)`.
   * `words` gives a statement's body words hashed with `hashTerm`, when the caller has them.
   */
  addAll(
    statements: Iterable<Statement>,
    words?: (statement: Statement) => Uint32Array,
  ): void {
    this.update([], statements, words);
  }

  /**
   * Removes and adds statements (an added id replaces the statement it names). A batch of
   * `BY_STATEMENT` or more regroups everything at once, as a build does, with one sort per LSH
   * band; a smaller one goes statement by statement, each scanning every body once. Either
   * way the groups are the same.
   */
  update(
    removed: Iterable<string>,
    added: Iterable<Statement>,
    words?: (statement: Statement) => Uint32Array,
  ): void {
    this.stage(removed, added, words);
    this.settle();
  }

  /**
   * Removes and adds statements, grouped only by `settle()`: the changes of many stages (an
   * import's batches) are grouped as one update, where grouping after each batch would cost
   * the whole archive each time. Nothing may be read between the two.
   */
  stage(
    removed: Iterable<string>,
    added: Iterable<Statement>,
    words?: (statement: Statement) => Uint32Array,
  ): void {
    for (const id of removed) this.take({ remove: id });
    for (const s of added) this.take({ add: s, words });
  }

  // A change kept while the staged ones are few; past that, placed at once (a build's
  // million statements are never all held as changes, nor their words all at once).
  private take(change: Change): void {
    if (this.staged) return this.apply(change);
    this.pending.push(change);
    if (this.pending.length < BY_STATEMENT) return;
    this.staged = true;
    const pending = this.pending;
    this.pending = [];
    for (const c of pending) this.apply(c);
  }

  // Takes a staged change into the bodies without regrouping.
  private apply(change: Change): void {
    if ("remove" in change) return this.drop(change.remove);
    this.drop(change.add.id);
    this.place(
      change.add,
      change.words?.(change.add) ?? wordHashes(change.add.body),
    );
  }

  /** Groups what was staged: one by one when it was little, else everything again. */
  settle(): void {
    for (const change of this.pending.splice(0)) {
      if ("remove" in change) this.remove(change.remove);
      else this.add(change.add, change.words?.(change.add));
    }
    if (!this.staged) return;
    this.staged = false;
    this.groupSlots.clear();
    this.described.clear();
    for (const body of this.bodies) {
      if (!body) continue;
      body.group = -1;
      delete body.edges;
    }
    this.finishBuild();
  }

  /** The grouping as arrays to save with an index. */
  save(): SavedVersions {
    const slots: number[] = [];
    this.bodies.forEach((b, slot) => b && slots.push(slot));
    const live = slots.map((slot) => this.bodies[slot]!);
    const saved = new Map(slots.map((slot, i) => [slot, i]));
    const offsets = new Uint32Array(live.length + 1);
    live.forEach((b, i) => (offsets[i + 1] = offsets[i]! + b.features.length));
    const features = new Uint32Array(offsets[live.length]!);
    live.forEach((b, i) => features.set(b.features, offsets[i]));
    const signed: number[] = [];
    const bands = new Uint32Array(live.length * BANDS);
    const links: number[] = [];
    slots.forEach((slot, i) => {
      const body = live[i]!;
      if (body.signed) signed.push(i);
      bands.set(
        this.bands.subarray(slot * BANDS, (slot + 1) * BANDS),
        i * BANDS,
      );
      for (const other of body.edges ?? []) {
        const j = saved.get(other)!;
        if (j > i) links.push(i, j);
      }
    });
    return {
      options: { ...this.options },
      bodies: live.map((b) => ({
        key: b.key,
        members: b.members.map((m) => ({ ...m })),
      })),
      features,
      offsets,
      derived: {
        boilerplate: this.boiler.save(),
        signed: Uint32Array.from(signed),
        bands,
        links: Uint32Array.from(links),
        ...(features.length >= versionLimits.saveBucketsFrom
          ? { buckets: this.buckets.slice() }
          : {}),
      },
    };
  }

  /** An index as `save` left it. Throws on arrays that do not fit together. */
  static restore(saved: SavedVersions): VersionIndex {
    const { bodies, features, offsets } = saved;
    if (
      offsets.length !== bodies.length + 1 ||
      offsets[bodies.length] !== features.length
    )
      throw new Error(
        `versions: saved grouping does not fit together: ${bodies.length} bodies, ${offsets.length} offsets, ${features.length} features`,
      );
    const index = new VersionIndex(saved.options);
    bodies.forEach(({ key, members }, slot) => {
      index.bodies[slot] = {
        key,
        members: members.map((m) => ({ ...m })),
        // A view, not a copy: a copy each was 100,000 arrays and 78 MB more at 100,000
        // statements. The features are never written to.
        features: features.subarray(offsets[slot], offsets[slot + 1]),
        signed: false,
        group: -1,
      };
      index.byKey.set(key, slot);
      for (const m of members) index.byId.set(m.id, slot);
    });
    if (saved.derived && index.takeDerived(saved.derived)) return index;
    index.tallyAll();
    index.finishBuild();
    return index;
  }

  /** Every body's features counted into the buckets. */
  private tallyAll(): void {
    for (const body of this.bodies) if (body) this.tally(body.features, 1);
  }

  /** Takes what a save worked out (see `SavedVersions.derived`); false when it does not fit. */
  private takeDerived(derived: NonNullable<SavedVersions["derived"]>): boolean {
    const { boilerplate, signed, bands, links } = derived;
    const n = this.bodies.length;
    if (
      bands.length !== n * BANDS ||
      links.length % 2 !== 0 ||
      boilerplate.length % 2 !== 0 ||
      !signed.every((slot) => slot < n) ||
      !links.every((slot) => slot < n)
    )
      return false;
    // Saved counts, where the save has them: counting 20 million features again took most
    // of a second at 100,000 statements.
    if (derived.buckets?.length === this.buckets.length)
      this.buckets = derived.buckets.slice();
    else this.tallyAll();
    this.boiler = Boilerplate.restore(boilerplate, this.options.boilerplate);
    this.bands = bands.slice();
    for (const slot of signed) this.bodies[slot]!.signed = true;
    for (let i = 0; i < links.length; i += 2)
      this.link(links[i]!, links[i + 1]!);
    this.regroup(this.bodies.map((_, slot) => slot));
    return true;
  }

  /** The bulk build's second half, once every body is placed. */
  private finishBuild(): void {
    this.countBoilerplate();
    const all: number[] = [];
    this.bodies.forEach((body, slot) => {
      if (body) {
        this.sign(slot);
        all.push(slot);
      }
    });
    this.linkAll();
    this.regroup(all);
  }

  /** Adds a statement, or replaces the one with its id. */
  add(statement: Statement, words?: Uint32Array): void {
    if (this.byId.has(statement.id)) this.remove(statement.id);
    const known = this.byKey.size;
    const slot = this.place(statement, words ?? wordHashes(statement.body));
    if (this.byKey.size === known) {
      // An identical body was already here: only that body's group can change.
      this.regroup([slot]);
      return;
    }
    const body = this.bodies[slot]!;
    const least = this.options.boilerplate;
    const fresh = body.features.filter(
      (f) => !this.boiler.has(f) && this.buckets[f & BUCKET_MASK]! >= least,
    );
    const counts = new Int32Array(fresh.length);
    this.scan(fresh, slot, (_, i) => counts[i]!++);
    for (const f of body.features) {
      const n = this.boiler.get(f);
      if (n !== undefined) this.boiler.set(f, n + 1);
    }
    const crossed: number[] = [];
    fresh.forEach((f, i) => {
      if (counts[i]! + 1 >= this.options.boilerplate) {
        this.boiler.set(f, counts[i]! + 1);
        crossed.push(f);
      }
    });
    this.relink([slot, ...this.containing(crossed, slot)], []);
  }

  /** Removes a statement; false when it was not here. */
  remove(id: string): boolean {
    const slot = this.byId.get(id);
    if (slot === undefined) return false;
    this.byId.delete(id);
    const body = this.bodies[slot]!;
    body.members = body.members.filter((m) => m.id !== id);
    if (body.members.length > 0) {
      this.regroup([slot]);
      return true;
    }
    const crossed: number[] = [];
    for (const f of body.features) {
      const n = this.boiler.get(f);
      if (n === undefined) continue;
      if (n - 1 >= this.options.boilerplate) this.boiler.set(f, n - 1);
      else {
        this.boiler.delete(f);
        crossed.push(f);
      }
    }
    const former = this.groupOfSlot(slot).filter((s) => s !== slot);
    for (const other of body.edges ?? [])
      this.bodies[other]!.edges!.delete(slot);
    this.dropGroup(body.group);
    this.tally(body.features, -1);
    this.bodies[slot] = undefined;
    this.byKey.delete(body.key);
    this.free.push(slot);
    this.relink(this.containing(crossed, -1), former);
    return true;
  }

  /**
   * The group of a statement; undefined when it has no other version (or is unknown). Cheap
   * after the first call for a group, so a results page may ask for every match.
   */
  groupOf(id: string): VersionGroup | undefined {
    const slot = this.byId.get(id);
    if (slot === undefined) return undefined;
    const group = this.bodies[slot]!.group;
    return group === -1 ? undefined : this.describe(group);
  }

  /** Every group, the one with the earliest first member first. */
  groups(): VersionGroup[] {
    return [...this.groupSlots.keys()]
      .map((g) => this.describe(g))
      .sort((a, b) => earlier(a.members[0]!, b.members[0]!));
  }

  /**
   * How alike two statements' bodies are, as grouping judges it: 1 for the same words, else
   * the Jaccard similarity of their non-boilerplate features. Undefined for an unknown id.
   */
  similarity(a: string, b: string): number | undefined {
    const sa = this.byId.get(a);
    const sb = this.byId.get(b);
    if (sa === undefined || sb === undefined) return undefined;
    if (sa === sb) return 1;
    const { shared, union } = this.compare(sa, sb);
    return union === 0 ? 0 : shared / union;
  }

  /** Counts, for reports. */
  stats(): {
    statements: number;
    bodies: number;
    groups: number;
    grouped: number;
    boilerplate: number;
  } {
    let grouped = 0;
    for (const slots of this.groupSlots.values())
      for (const s of slots) grouped += this.bodies[s]!.members.length;
    return {
      statements: this.byId.size,
      bodies: this.byKey.size,
      groups: this.groupSlots.size,
      grouped,
      boilerplate: this.boiler.size,
    };
  }

  // Bodies

  /** Files a statement under its body, making the body when it is new; returns its slot. */
  private place(statement: Statement, words: Uint32Array): number {
    const short = words.length < this.options.minWords;
    // A body too short to judge is its own, so identical short bodies stay apart too.
    const key = short ? `short:${statement.id}` : bodyKey(words);
    const member: VersionMember = { id: statement.id };
    if (statement.date) member.date = statement.date;
    if (statement.source) member.source = statement.source;
    let slot = this.byKey.get(key);
    if (slot === undefined) {
      slot = this.free.pop() ?? this.bodies.length;
      this.bodies[slot] = {
        key,
        members: [],
        features: short ? new Uint32Array(0) : features(words),
        signed: false,
        group: -1,
      };
      this.tally(this.bodies[slot]!.features, 1);
      this.byKey.set(key, slot);
    }
    this.bodies[slot]!.members.push(member);
    this.byId.set(statement.id, slot);
    return slot;
  }

  /** Takes a statement out without regrouping: for a batch that regroups everything after. */
  private drop(id: string): void {
    const slot = this.byId.get(id);
    if (slot === undefined) return;
    this.byId.delete(id);
    const body = this.bodies[slot]!;
    body.members = body.members.filter((m) => m.id !== id);
    if (body.members.length > 0) return;
    this.tally(body.features, -1);
    this.bodies[slot] = undefined;
    this.byKey.delete(body.key);
    this.free.push(slot);
  }

  private tally(features: Uint32Array, delta: 1 | -1): void {
    for (let i = 0; i < features.length; i++) {
      const b = features[i]! & BUCKET_MASK;
      if (this.buckets[b] !== 0xffff) this.buckets[b]! += delta;
    }
  }

  /** The archive's boilerplate features, for what stands out to leave out. */
  boilerplate(): Pick<Boilerplate, "has"> {
    return this.boiler;
  }

  /** Boilerplate from scratch: every feature counted once per body, by sorting them all. */
  private countBoilerplate(): void {
    const all: Uint32Array[] = [];
    for (const body of this.bodies) if (body) all.push(body.features);
    this.boiler = Boilerplate.count(all, this.options.boilerplate);
  }

  /** Calls `hit(slot, i)` for every body other than `skip` that has feature `query[i]`. */
  private scan(
    query: Uint32Array | number[],
    skip: number,
    hit: (slot: number, i: number) => void,
  ): void {
    if (query.length === 0) return;
    this.bodies.forEach((body, slot) => {
      if (!body || slot === skip) return;
      const fs = body.features;
      let lo = 0;
      for (let i = 0; i < query.length && lo < fs.length; i++) {
        const q = query[i]!;
        // Gallop, then binary search: the query is short, bodies may be long.
        let step = 1;
        let hi = lo;
        while (hi < fs.length && fs[hi]! < q) {
          lo = hi + 1;
          hi += step;
          step *= 2;
        }
        hi = Math.min(hi, fs.length - 1);
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (fs[mid]! < q) lo = mid + 1;
          else hi = mid;
        }
        if (fs[lo] === q) hit(slot, i);
      }
    });
  }

  /** Bodies other than `skip` that have any of `features` (sorted ascending). */
  private containing(features: number[], skip: number): number[] {
    const out = new Set<number>();
    this.scan(features, skip, (slot) => out.add(slot));
    return [...out];
  }

  // Links

  /** Computes a body's signature from its non-boilerplate features and stores its band keys. */
  private sign(slot: number): void {
    const body = this.bodies[slot]!;
    const sig = signature(body.features, (f) => !this.boiler.has(f));
    body.signed = sig !== undefined;
    if (this.bands.length < (slot + 1) * BANDS) {
      const bigger = new Uint32Array(
        Math.max((slot + 1) * BANDS, this.bands.length * 2),
      );
      bigger.set(this.bands);
      this.bands = bigger;
    }
    if (sig) bandKeys(sig, this.bands, slot * BANDS);
  }

  /** Shared and total non-boilerplate features of two bodies. */
  private compare(a: number, b: number): { shared: number; union: number } {
    const fa = this.bodies[a]!.features;
    const fb = this.bodies[b]!.features;
    let i = 0;
    let j = 0;
    let shared = 0;
    let union = 0;
    while (i < fa.length || j < fb.length) {
      const x = i < fa.length ? fa[i]! : Infinity;
      const y = j < fb.length ? fb[j]! : Infinity;
      const f = Math.min(x, y);
      if (x === f) i++;
      if (y === f) j++;
      if (this.boiler.has(f)) continue;
      union++;
      if (x === y) shared++;
    }
    return { shared, union };
  }

  private similar(a: number, b: number): boolean {
    const { shared, union } = this.compare(a, b);
    return (
      shared >= this.options.minShared &&
      shared >= this.options.threshold * union
    );
  }

  private link(a: number, b: number): void {
    (this.bodies[a]!.edges ??= new Set()).add(b);
    (this.bodies[b]!.edges ??= new Set()).add(a);
  }

  /** Every pair of signed bodies that share a band key, compared: one sort per band. */
  private linkAll(): void {
    const slots: number[] = [];
    this.bodies.forEach((body, slot) => {
      if (body?.signed) slots.push(slot);
    });
    const seen = new Set<number>();
    const width = this.bodies.length;
    // Key and slot in one double (2^32 keys × 2^21 slots < 2^53), so a numeric sort groups keys.
    const packed = new Float64Array(slots.length);
    for (let band = 0; band < BANDS; band++) {
      slots.forEach((slot, i) => {
        packed[i] = this.bands[slot * BANDS + band]! * 2 ** 21 + slot;
      });
      packed.sort();
      for (let i = 0; i < packed.length;) {
        const key = Math.floor(packed[i]! / 2 ** 21);
        let j = i + 1;
        while (j < packed.length && Math.floor(packed[j]! / 2 ** 21) === key)
          j++;
        for (let x = i; x < j; x++)
          for (let y = x + 1; y < j; y++) {
            const a = packed[x]! % 2 ** 21;
            const b = packed[y]! % 2 ** 21;
            const pair = Math.min(a, b) * width + Math.max(a, b);
            if (seen.has(pair)) continue;
            seen.add(pair);
            if (this.similar(a, b)) this.link(a, b);
          }
        i = j;
      }
    }
  }

  /**
   * Re-signs and re-links the `changed` bodies (a new body, or bodies whose boilerplate
   * changed), then regroups them and what was grouped with `former` members.
   */
  private relink(changed: number[], former: number[]): void {
    const touched = new Set<number>(former);
    for (const slot of changed) {
      for (const s of this.groupOfSlot(slot)) touched.add(s);
      this.sign(slot);
      const body = this.bodies[slot]!;
      for (const other of body.edges ?? [])
        this.bodies[other]!.edges!.delete(slot);
      delete body.edges;
    }
    const done = new Set<number>();
    for (const a of changed) {
      done.add(a);
      if (!this.bodies[a]!.signed) continue;
      const base = a * BANDS;
      this.bodies.forEach((body, b) => {
        if (!body?.signed || done.has(b)) return;
        for (let band = 0; band < BANDS; band++) {
          if (this.bands[b * BANDS + band] !== this.bands[base + band])
            continue;
          if (this.similar(a, b)) this.link(a, b);
          return;
        }
      });
    }
    this.regroup([...touched, ...changed]);
  }

  // Groups

  private groupOfSlot(slot: number): number[] {
    const group = this.bodies[slot]!.group;
    return group === -1 ? [slot] : this.groupSlots.get(group)!;
  }

  private dropGroup(group: number): void {
    if (group === -1) return;
    for (const s of this.groupSlots.get(group)!) {
      const body = this.bodies[s];
      if (body) body.group = -1;
    }
    this.groupSlots.delete(group);
    this.described.delete(group);
  }

  /**
   * Recomputes the groups of `slots` and of everything linked to them. A group they reach
   * outside `slots` kept its own links, so it is taken in whole.
   */
  private regroup(slots: number[]): void {
    const live = slots.filter((s) => this.bodies[s] !== undefined);
    for (const s of live) this.dropGroup(this.bodies[s]!.group);
    const seen = new Set<number>();
    for (const start of live) {
      if (seen.has(start)) continue;
      const component = [start];
      seen.add(start);
      for (let i = 0; i < component.length; i++) {
        const body = this.bodies[component[i]!]!;
        for (const next of body.edges ?? []) {
          if (seen.has(next)) continue;
          seen.add(next);
          this.dropGroup(this.bodies[next]!.group);
          component.push(next);
        }
      }
      if (component.length === 1 && this.bodies[start]!.members.length < 2)
        continue;
      const group = this.nextGroup++;
      this.groupSlots.set(group, component);
      for (const s of component) this.bodies[s]!.group = group;
    }
  }

  private describe(group: number): VersionGroup {
    let described = this.described.get(group);
    if (!described) {
      const members = this.groupSlots
        .get(group)!
        .flatMap((s) => this.bodies[s]!.members)
        .sort(earlier);
      described = { id: members[0]!.id, members };
      this.described.set(group, described);
    }
    return described;
  }
}

/** Orders members earliest first: by date (undated last), then by id. */
export function earlier(a: VersionMember, b: VersionMember): number {
  const ka = a.date ? dateSortKey(a.date) : Infinity;
  const kb = b.date ? dateSortKey(b.date) : Infinity;
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
