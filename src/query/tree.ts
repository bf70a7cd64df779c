import type { QueryNode } from "./ast.ts";

/** The parts of a query that must match: the children of a top-level AND, but its exclusions. */
export function positives(root: QueryNode | undefined): QueryNode[] {
  if (!root) return [];
  if (root.type === "and") return root.children.filter((c) => c.type !== "not");
  return root.type === "not" ? [] : [root];
}

/** The same query with its top-level words joined by OR (mode=any); exclusions still exclude. */
export function anyOf(root: QueryNode | undefined): QueryNode | undefined {
  if (root?.type !== "and") return root;
  const negative = root.children.filter((c) => c.type === "not");
  const positive = positives(root);
  // Only exclusions: there is nothing to join.
  if (positive.length === 0) return root;
  const either: QueryNode =
    positive.length > 1 ? { type: "or", children: positive } : positive[0]!;
  return negative.length
    ? { type: "and", children: [either, ...negative] }
    : either;
}

/**
 * The query with its plain words narrowed: `forms` finds no spellings in other scripts,
 * `exact` finds each word only as typed (as if quoted). `*` and `~` words keep their own
 * meaning; `variants` changes nothing.
 */
export function narrowWords(
  node: QueryNode,
  words: "variants" | "forms" | "exact",
): QueryNode {
  if (words === "variants") return node;
  switch (node.type) {
    case "term":
      if (node.prefix || node.fuzzy) return node;
      return words === "exact"
        ? { ...node, exact: true }
        : { ...node, translit: false };
    case "not":
      return { ...node, child: narrowWords(node.child, words) };
    case "and":
    case "or":
      return {
        ...node,
        children: node.children.map((c) => narrowWords(c, words)),
      };
    default:
      return node;
  }
}
