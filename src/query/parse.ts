import { dateSpan, parseDate } from "../text/dates.ts";
import { terms } from "../text/terms.ts";
import type {
  At,
  DateRange,
  ParsedQuery,
  QueryNode,
  TextField,
} from "./ast.ts";

export const syntaxLimits = {
  /** Largest N in `"a b"~N`. */
  slop: 50,
  /** Most edits in `word~N`. */
  edits: 2,
};

// Straight and curly double quotes, low quotes and guillemets all open and close a phrase.
const QUOTES = '"“”„‟«»';
const DATE_FIELDS = new Set(["date", "after", "before"]);
const TEXT_FIELDS = new Set(["title", "body"]);

type Lexeme =
  | { kind: "word"; text: string; field?: string; at: At }
  | { kind: "phrase"; text: string; field?: string; slop?: string; at: At }
  | { kind: "open" | "close" | "and" | "or" | "not"; at: At };

/**
 * Reads the query language leniently: it never throws, and every part it cannot use is left
 * out with a note saying why. `fields` are the metadata fields the archive has (`source`,
 * `country` …), matched without regard to case.
 */
export function parseSyntax(
  q: string,
  fields: Iterable<string>,
  maxTerms = 64,
): ParsedQuery {
  const notes: string[] = [];
  const known = new Map([...fields].map((f) => [f.toLowerCase(), f]));
  const lexemes = lex(q, notes);
  const dates: DateRange = {};
  let pos = 0;
  const peek = () => lexemes[pos];

  const budget = { used: 0, max: maxTerms };
  const leaf = (lexeme: Extract<Lexeme, { kind: "word" | "phrase" }>) =>
    leafNode(lexeme, known, dates, budget, notes);

  const primary = (): QueryNode | undefined => {
    const lexeme = lexemes[pos++]!;
    if (lexeme.kind === "word" || lexeme.kind === "phrase") return leaf(lexeme);
    if (lexeme.kind === "open") {
      const inner = conjunction(true);
      if (peek()?.kind === "close") pos++;
      else
        notes.push(
          "A “(” was not closed; it was closed at the end of the query.",
        );
      return inner;
    }
    return note(
      notes,
      `“${lexeme.kind.toUpperCase()}” needs a word on each side, so it was left out.`,
    );
  };

  const unary = (): QueryNode | undefined => {
    if (peek()?.kind !== "not") return primary();
    pos++;
    if (!peek() || peek()!.kind === "close")
      return note(notes, "A “NOT” or “-” with nothing after it was left out.");
    const child = unary();
    if (!child) return undefined;
    return child.type === "not" ? child.child : { type: "not", child };
  };

  const disjunction = (): QueryNode | undefined => {
    const children: QueryNode[] = [];
    const first = unary();
    if (first) children.push(first);
    while (peek()?.kind === "or") {
      pos++;
      const next = peek();
      if (
        !next ||
        next.kind === "close" ||
        next.kind === "or" ||
        next.kind === "and"
      ) {
        notes.push("“OR” needs a word on each side, so it was left out.");
        continue;
      }
      const child = unary();
      if (child) children.push(child);
    }
    return combine("or", children);
  };

  const conjunction = (nested: boolean): QueryNode | undefined => {
    const children: QueryNode[] = [];
    while (pos < lexemes.length) {
      const next = peek()!;
      if (next.kind === "close") {
        if (nested) break;
        notes.push("A “)” without its “(” was left out.");
        pos++;
        continue;
      }
      if (next.kind === "and") {
        pos++;
        const after = peek();
        if (
          children.length === 0 ||
          !after ||
          after.kind === "close" ||
          after.kind === "and" ||
          after.kind === "or"
        ) {
          notes.push("“AND” needs a word on each side, so it was left out.");
        }
        continue;
      }
      const child = disjunction();
      if (child) children.push(child);
    }
    return combine("and", children);
  };

  const root = conjunction(false);
  if (dates.from && dates.to && dates.from > dates.to) {
    notes.push(
      "No date is both after the start and before the end asked for, so nothing can match.",
    );
  }
  return { ...(root ? { root } : {}), dates, notes };
}

/**
 * A word or phrase of the query as a node: a date filter goes into `dates` (no node), a field
 * names a metadata field or a text field, an unknown field is read as words (with a note), and
 * past `budget.max` words the rest are left out (noted once).
 */
function leafNode(
  lexeme: Extract<Lexeme, { kind: "word" | "phrase" }>,
  known: Map<string, string>,
  dates: DateRange,
  budget: { used: number; max: number },
  notes: string[],
): QueryNode | undefined {
  const fieldName = lexeme.field?.toLowerCase();
  if (fieldName && DATE_FIELDS.has(fieldName)) {
    applyDate(fieldName, lexeme.text, dates, notes);
    return undefined;
  }
  let field: TextField | undefined;
  if (fieldName && TEXT_FIELDS.has(fieldName)) field = fieldName as TextField;
  else if (fieldName && known.has(fieldName))
    return fieldNode(lexeme, known.get(fieldName)!, notes);
  else if (lexeme.field) {
    const list = [
      "title",
      "body",
      ...known.values(),
      "date",
      "after",
      "before",
    ].join(", ");
    notes.push(
      `There is no field “${lexeme.field}”; searched for “${lexeme.field}:${lexeme.text}” as words. Fields: ${list}.`,
    );
    lexeme = { ...lexeme, text: `${lexeme.field} ${lexeme.text}` };
  }
  const built =
    lexeme.kind === "phrase"
      ? phrase(lexeme, field, notes)
      : word(lexeme, field, notes);
  if (!built) return undefined;
  const count = built.type === "phrase" ? built.terms.length : 1;
  if (budget.used + count > budget.max) {
    if (budget.used <= budget.max)
      notes.push(
        `Only the first ${budget.max} words are searched; the rest were left out.`,
      );
    budget.used = budget.max + 1;
    return undefined;
  }
  budget.used += count;
  return built;
}

/** `country:Armenia`: the statements whose metadata field holds the words. */
function fieldNode(
  lexeme: Extract<Lexeme, { kind: "word" | "phrase" }>,
  field: string,
  notes: string[],
): QueryNode | undefined {
  const values = terms(lexeme.text);
  if (values.length === 0)
    return note(
      notes,
      `“${lexeme.field}:” has no value to look for, so it was left out.`,
    );
  return {
    type: "field",
    field,
    text: lexeme.text,
    terms: values,
    at: lexeme.at,
  };
}

function combine(
  type: "and" | "or",
  children: QueryNode[],
): QueryNode | undefined {
  const flat = children.flatMap((c) => (c.type === type ? c.children : [c]));
  if (flat.length <= 1) return flat[0];
  return { type, children: flat };
}

function note(notes: string[], text: string): undefined {
  notes.push(text);
  return undefined;
}

function word(
  lexeme: { text: string; at: At },
  field: TextField | undefined,
  notes: string[],
): QueryNode | undefined {
  let text = lexeme.text;
  let prefix = false;
  let fuzzy: number | undefined;
  const operator = /(\*|~(\d*))$/.exec(text);
  if (operator) {
    text = text.slice(0, operator.index);
    if (operator[1] === "*") prefix = true;
    else
      fuzzy = operator[2]
        ? Number(operator[2])
        : text.length <= 4
          ? 1
          : syntaxLimits.edits;
  }
  const found = terms(text);
  if (found.length === 0) return undefined;
  const base = { text, at: lexeme.at, ...(field ? { field } : {}) };
  if (found.length > 1) {
    if (operator)
      notes.push(
        `“${operator[1]}” works on single words; “${text}” was searched as written.`,
      );
    return { type: "phrase", ...base, terms: found };
  }
  const term = found[0]!;
  if (prefix && term.length < 2) {
    notes.push(
      `“${lexeme.text}” needs at least 2 letters before “*”; searched for “${text}” alone.`,
    );
    prefix = false;
  }
  if (fuzzy !== undefined && fuzzy > syntaxLimits.edits) {
    notes.push(
      `At most ${syntaxLimits.edits} typos are allowed; “${lexeme.text}” allows ${syntaxLimits.edits}.`,
    );
    fuzzy = syntaxLimits.edits;
  }
  return {
    type: "term",
    ...base,
    term,
    ...(prefix ? { prefix } : {}),
    ...(fuzzy ? { fuzzy } : {}),
  };
}

function phrase(
  lexeme: { text: string; slop?: string; at: At },
  field: TextField | undefined,
  notes: string[],
): QueryNode | undefined {
  const found = terms(lexeme.text);
  if (found.length === 0) return note(notes, "Empty quotes were left out.");
  const base = {
    text: lexeme.text.trim(),
    at: lexeme.at,
    ...(field ? { field } : {}),
  };
  if (found.length === 1)
    return { type: "term", ...base, term: found[0]!, exact: true };
  if (lexeme.slop === undefined)
    return { type: "phrase", ...base, terms: found };
  let slop = Number(lexeme.slop);
  if (slop > syntaxLimits.slop) {
    notes.push(
      `Words can be at most ${syntaxLimits.slop} apart; “~${lexeme.slop}” was read as “~${syntaxLimits.slop}”.`,
    );
    slop = syntaxLimits.slop;
  }
  return { type: "phrase", ...base, terms: found, slop };
}

function applyDate(
  field: string,
  value: string,
  dates: DateRange,
  notes: string[],
): void {
  const iso = parseDate(value);
  if (!iso || !/^\d{4}(-\d{2}){0,2}$/.test(iso)) {
    notes.push(
      `“${field}:${value}” is not a date (use YYYY, YYYY-MM or YYYY-MM-DD), so it was left out.`,
    );
    return;
  }
  const { first, last } = dateSpan(iso);
  if (field !== "before" && (!dates.from || first > dates.from))
    dates.from = first;
  if (field !== "after" && (!dates.to || last < dates.to)) dates.to = last;
}

function lex(q: string, notes: string[]): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === "(" || c === ")") {
      out.push({ kind: c === "(" ? "open" : "close", at: { start, end: ++i } });
      continue;
    }
    if (c === "-" && i + 1 < q.length && !/[\s)]/.test(q[i + 1]!)) {
      out.push({ kind: "not", at: { start, end: ++i } });
      continue;
    }
    let field: string | undefined;
    const fieldMatch = /^([A-Za-z_][A-Za-z0-9_]*):(?=[^\s)])/.exec(
      q.slice(i, i + 64),
    );
    if (fieldMatch) {
      field = fieldMatch[1];
      i += fieldMatch[0].length;
      if (q[i] === "(") {
        notes.push(
          `“${field}:(…)” is not supported; the words in brackets were searched everywhere.`,
        );
        field = undefined;
        continue;
      }
    }
    if (QUOTES.includes(q[i]!)) {
      let end = i + 1;
      while (end < q.length && !QUOTES.includes(q[end]!)) end++;
      const text = q.slice(i + 1, end);
      if (end >= q.length)
        notes.push(
          `A quote was not closed; it was closed at the end of the query.`,
        );
      i = Math.min(end + 1, q.length);
      const slop = /^~(\d+)/.exec(q.slice(i, i + 8));
      if (slop) i += slop[0].length;
      out.push({
        kind: "phrase",
        text,
        ...(field ? { field } : {}),
        ...(slop ? { slop: slop[1] } : {}),
        at: { start, end: i },
      });
      continue;
    }
    let end = i;
    while (
      end < q.length &&
      !/[\s()]/.test(q[end]!) &&
      !QUOTES.includes(q[end]!)
    )
      end++;
    const text = q.slice(i, end);
    i = end;
    if (!field && (text === "AND" || text === "OR" || text === "NOT")) {
      out.push({
        kind: text.toLowerCase() as "and" | "or" | "not",
        at: { start, end },
      });
    } else {
      out.push({
        kind: "word",
        text,
        ...(field ? { field } : {}),
        at: { start, end },
      });
    }
  }
  return out;
}
