import type { FieldColumn, Segment } from "../store.ts";
import { isEchoed } from "../../versions/echoes.ts";
import { derived, WORDS, type Corpus } from "./corpus.ts";

/**
 * The whole corpus as the pipeline scores it: MiniSearch's postings, the word counts and
 * positions kept per statement. Made once per corpus generation; docs added after it was made
 * are left out, so a search that waits between slices reads one archive throughout.
 */
export class CorpusSegment implements Segment {
  readonly complete = true;
  readonly capacity: number;
  private readonly statements: Corpus["statements"];

  constructor(private readonly corpus: Corpus) {
    this.capacity = corpus.index.capacity;
    this.statements = corpus.statements;
  }

  has(doc: number): boolean {
    return doc < this.capacity && this.statements[doc] !== undefined;
  }

  all(): Int32Array {
    return derived(this.corpus, "live", () => {
      const ids: number[] = [];
      this.statements.forEach((s, doc) => {
        if (s !== undefined) ids.push(doc);
      });
      return Int32Array.from(ids);
    });
  }

  id(doc: number): string {
    return this.statements[doc]!.id;
  }

  postings(term: string) {
    return this.corpus.index.postings(term);
  }

  words(field: number): ArrayLike<number> {
    return this.corpus[WORDS[field]!];
  }

  positions(doc: number): Uint32Array | undefined {
    return this.corpus.positions[doc];
  }

  termId(term: string): number | undefined {
    return this.corpus.vocabulary.get(term);
  }

  field(name: string): FieldColumn | undefined {
    return this.corpus.fields.get(name);
  }

  dateKey(doc: number): number {
    return this.corpus.dateKey[doc]!;
  }

  group(doc: number): number {
    return groupColumns(this.corpus).key[doc]!;
  }
}

/**
 * Per statement (by short id): the number of its group of versions (its own short id when it
 * has none, so every statement has a key), and whether more than one source published its
 * text. Worked out once per corpus generation, so a search reads two numbers per match.
 */
export function groupColumns(corpus: Corpus) {
  return derived(corpus, "version-groups", () => {
    const key = new Int32Array(corpus.index.capacity);
    const echoed = new Uint8Array(corpus.index.capacity);
    corpus.statements.forEach((statement, doc) => {
      key[doc] = doc;
      if (!statement) return;
      const group = corpus.versions.groupOf(statement.id);
      if (!group) return;
      key[doc] = corpus.index.shortId(group.id) ?? doc;
      echoed[doc] = isEchoed(group) ? 1 : 0;
    });
    return { key, echoed };
  });
}
