import { formatDate } from "../text/dates.ts";
import type { DateRange, QueryNode } from "./ast.ts";

/**
 * How the query was understood, in words: `“joint statement” AND Karabakh, not Armenia,
 * on or after 1 January 2023`. Plain text; the page escapes it.
 */
export function describeQuery(
  root: QueryNode | undefined,
  dates: DateRange,
  sort = "relevance",
): string {
  const parts: string[] = [];
  if (root) parts.push(describeTop(root));
  else parts.push("all statements");
  if (dates.from && dates.to) parts.push(describeRange(dates.from, dates.to));
  else if (dates.from) parts.push(`on or after ${formatDate(dates.from)}`);
  else if (dates.to) parts.push(`on or before ${formatDate(dates.to)}`);
  if (sort === "newest") parts.push("newest first");
  if (sort === "oldest") parts.push("oldest first");
  return parts.join(", ");
}

function describeTop(node: QueryNode): string {
  if (node.type === "not")
    return `everything but ${describe(node.child, true)}`;
  if (node.type !== "and") return describe(node, false);
  const positive = node.children.filter((c) => c.type !== "not");
  const negative = node.children.filter((c) => c.type === "not");
  const head = positive.length
    ? positive.map((c) => describe(c, true)).join(" AND ")
    : "everything";
  return [head, ...negative.map((c) => `not ${describe(c.child, true)}`)].join(
    ", ",
  );
}

function describe(node: QueryNode, nested: boolean): string {
  switch (node.type) {
    case "term": {
      let text = node.prefix
        ? `${node.text}*`
        : node.exact
          ? `“${node.text}”`
          : node.text;
      if (node.fuzzy)
        text += ` (or within ${node.fuzzy} typo${node.fuzzy > 1 ? "s" : ""})`;
      return node.field ? `${text} in the ${node.field}` : text;
    }
    case "phrase": {
      const text =
        node.slop !== undefined
          ? `“${node.text}” within ${node.slop} words`
          : `“${node.text}”`;
      return node.field ? `${text} in the ${node.field}` : text;
    }
    case "field":
      return `${node.field} “${node.text}”`;
    case "not":
      return `not ${describe(node.child, true)}`;
    case "and":
    case "or": {
      const text = node.children
        .map((c) => describe(c, true))
        .join(node.type === "and" ? " AND " : " OR ");
      return nested ? `(${text})` : text;
    }
  }
}

function describeRange(from: string, to: string): string {
  const [fy, fm, fd] = from.split("-");
  const [ty, tm] = to.split("-");
  const lastOfMonth = new Date(
    Date.UTC(Number(ty), Number(tm), 0),
  ).getUTCDate();
  const wholeYear =
    fy === ty && fm === "01" && fd === "01" && to.endsWith("-12-31");
  const wholeMonth =
    fy === ty &&
    fm === tm &&
    fd === "01" &&
    Number(to.slice(8)) === lastOfMonth;
  if (wholeYear) return `in ${fy}`;
  if (wholeMonth) return `in ${formatDate(`${fy}-${fm}`)}`;
  return `from ${formatDate(from)} to ${formatDate(to)}`;
}
