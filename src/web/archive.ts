import type { Corpus } from "../engines/memory/corpus.ts";
import type { Problem } from "../ingest/statement.ts";
import type { LoadState } from "../engines/memory/library.ts";

/** What the web layer serves: the corpus once ready, and the story of how it was loaded. */
export interface Archive {
  readonly corpus?: Corpus;
  readonly problems: Problem[];
  /** Files that hold statements. */
  readonly files: number;
  readonly dataDir: string;
  readonly loadMs: number;
  readonly state: LoadState;
  /** How the index came to be: built, or loaded from the saved index. */
  readonly origin?: string;
}
