import { metaKey } from "../../query/fields.ts";
import type {
  DateRange,
  QueryNode,
  TermNode,
  TextField,
} from "../../query/ast.ts";
import type { Variant } from "../store.ts";
import { fieldLexeme, quoteLexeme } from "./rows.ts";

/** An SQL text being built, and the values of its `$n` parameters. */
export class Sql {
  readonly values: unknown[] = [];

  /** A placeholder for `value`. */
  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

type Part = { ts: string } | { sql: string };

/**
 * The SQL condition a statement's row meets when it matches the query tree, or undefined for
 * "every statement". Words become a tsquery over `tv` with their variants ORed (title `:A`,
 * body `:D`), phrases `<->`, metadata fields `field=term` lexemes; a proximity (`"a b"~5`)
 * needs all its words from the index and a window check (`readout_near`) on the row.
 */
export function compileMatch(
  root: QueryNode | undefined,
  variantsOf: (node: TermNode) => Variant[],
  sql: Sql,
): string | undefined {
  if (!root) return undefined;
  const asSql = (part: Part) =>
    "ts" in part ? `tv @@ ${sql.param(part.ts)}::tsquery` : part.sql;
  const visit = (node: QueryNode): Part => {
    switch (node.type) {
      case "term": {
        const lexemes = variantsOf(node).map(
          (v) => quoteLexeme(v.term) + weight(node.field),
        );
        return {
          ts: lexemes.length === 1 ? lexemes[0]! : `(${lexemes.join(" | ")})`,
        };
      }
      case "phrase": {
        const words = node.terms.map(
          (t) => quoteLexeme(t) + weight(node.field),
        );
        if (node.slop === undefined) return { ts: `(${words.join(" <-> ")})` };
        const distinct = [...new Set(node.terms)];
        const all = distinct
          .map((t) => quoteLexeme(t) + weight(node.field))
          .join(" & ");
        const weights = node.field
          ? [node.field === "title" ? "A" : "D"]
          : null;
        return {
          sql: `(tv @@ ${sql.param(`(${all})`)}::tsquery AND readout_near(tv, ${sql.param(distinct)}::text[], ${sql.param(node.slop + node.terms.length - 1)}::int, ${sql.param(weights)}::text[]))`,
        };
      }
      case "field":
        return {
          ts: `(${node.terms.map((t) => quoteLexeme(fieldLexeme(node.field, t))).join(" <-> ")})`,
        };
      case "not": {
        const child = visit(node.child);
        return "ts" in child
          ? { ts: `!${child.ts}` }
          : { sql: `NOT ${child.sql}` };
      }
      case "and":
      case "or": {
        const children = node.children.map(visit);
        if (children.every((c) => "ts" in c))
          return {
            ts: `(${children.map((c) => (c as { ts: string }).ts).join(node.type === "and" ? " & " : " | ")})`,
          };
        return {
          sql: `(${children.map(asSql).join(node.type === "and" ? " AND " : " OR ")})`,
        };
      }
    }
  };
  return asSql(visit(root));
}

function weight(field?: TextField): string {
  return field === "title" ? ":A" : field === "body" ? ":D" : "";
}

/**
 * The SQL condition of a date range: statements whose dates overlap it (a year-only date
 * covers its year). The partition key is the first day, and no date covers more than a year,
 * so a start also bounds the first day and lets PostgreSQL skip older partitions.
 */
export function compileDates(
  { from, to, undated }: DateRange,
  sql: Sql,
): string[] {
  // Undated rows are the default partition's, whose key is NULL.
  if (undated) return ["first_day IS NULL"];
  const out: string[] = [];
  // PostgreSQL has no year 0 (ISO's 0000 is 1 BC) and stores no date before 0001: a start
  // before it bounds nothing, an end before it leaves nothing.
  if (from && from >= FIRST_DAY) {
    const p = sql.param(from);
    out.push(`last_day >= ${p}::date`, `first_day >= ${p}::date - 366`);
  }
  if (to)
    out.push(to < FIRST_DAY ? "false" : `first_day <= ${sql.param(to)}::date`);
  return out;
}

/** The first day PostgreSQL's `date` reads in ISO form. */
const FIRST_DAY = "0001-01-01";

/**
 * Whether a value can be stored in a text column: PostgreSQL's text holds no NUL, so a
 * filter value or an id with one names nothing there (and sending it is an error).
 */
export function storable(value: string): boolean {
  return !value.includes("\0");
}

/**
 * The column or expression of a field by its name (`source` and `lang` are columns of their
 * own; a metadata field is read under the document's key, `meta_year` from `year`).
 */
export function fieldExpression(field: string, sql: Sql): string {
  return field === "source" || field === "lang"
    ? field
    : `(meta ->> ${sql.param(metaKey(field))})`;
}

/** Conditions for facet selections: any selected value of each field, all fields; `except` is left out. */
export function compileFilters(
  filters: Record<string, string[]>,
  years: string[],
  known: Set<string>,
  sql: Sql,
  except?: string,
): string[] {
  const out: string[] = [];
  for (const [field, values] of Object.entries(filters)) {
    if (field === except || !known.has(field)) continue;
    const possible = values.filter(storable);
    out.push(
      possible.length
        ? `${fieldExpression(field, sql)} = ANY(${sql.param(possible)}::text[])`
        : "false",
    );
  }
  if (years.length && except !== "year")
    out.push(`year = ANY(${sql.param(years.map(Number))}::int[])`);
  return out;
}

/** `a AND b AND …`, or `true` for none. */
export function all(conditions: (string | undefined)[]): string {
  const present = conditions.filter((c): c is string => !!c);
  return present.length ? present.map((c) => `(${c})`).join(" AND ") : "true";
}
