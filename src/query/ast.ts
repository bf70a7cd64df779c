/** Where a piece of the query stands in the text as typed, so a correction can replace it. */
export interface At {
  start: number;
  end: number;
}

/** A field of the statement's text that a term or phrase can be limited to. */
export type TextField = "title" | "body";

/** One word. Without `exact`, its plural and inflected forms match too, ranked lower. */
export interface TermNode {
  type: "term";
  /** As typed, without operators. */
  text: string;
  term: string;
  field?: TextField;
  /** `word*`: every word starting with the term. */
  prefix?: boolean;
  /** `word~N`: words within N edits. */
  fuzzy?: number;
  /** A quoted single word: only that word. */
  exact?: boolean;
  /** False: no names across scripts (`Lavrov` finds `Лавров` unless this is false). */
  translit?: boolean;
  at: At;
}

/** Words in order and adjacent (`"joint statement"`, `Nagorno-Karabakh`), or within `slop` words of each other in any order. */
export interface PhraseNode {
  type: "phrase";
  text: string;
  terms: string[];
  field?: TextField;
  slop?: number;
  at: At;
}

/** A match on a metadata field: `source:"The White House"`, `country:Azerbaijan`. */
export interface FieldNode {
  type: "field";
  field: string;
  text: string;
  terms: string[];
  at: At;
}

export interface AndNode {
  type: "and";
  children: QueryNode[];
}

export interface OrNode {
  type: "or";
  children: QueryNode[];
}

export interface NotNode {
  type: "not";
  child: QueryNode;
}

export type QueryNode =
  TermNode | PhraseNode | FieldNode | AndNode | OrNode | NotNode;

/** Calendar days (`YYYY-MM-DD`), both inclusive. */
export interface DateRange {
  from?: string;
  to?: string;
  /**
   * Only statements without a date: what the feed of everything times by first read instead.
   * Set by code, not by the query language.
   */
  undated?: true;
}

/** A query as understood: the boolean tree, date limits, and what was adjusted and why. */
export interface ParsedQuery {
  root?: QueryNode;
  dates: DateRange;
  notes: string[];
}
