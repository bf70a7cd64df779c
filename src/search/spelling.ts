import type { Vocabulary } from "../engines/store.ts";
import type { QueryNode, TermNode } from "../query/ast.ts";

/**
 * A corrected query for a query that finds little: each rare word replaced by the most
 * frequent indexed word within one or two edits, when that word is much more common. Returns
 * undefined when there is nothing to correct.
 */
export function correctQuery(
  vocabulary: Vocabulary,
  q: string,
  root: QueryNode | undefined,
): string | undefined {
  const replacements: { at: TermNode["at"]; from: string; to: string }[] = [];
  for (const leaf of positiveTerms(root)) {
    const own = vocabulary.frequency(leaf.term);
    const distance = leaf.term.length >= 6 ? 2 : 1;
    if (leaf.term.length < 3 || /\d/.test(leaf.term)) continue;
    const best = vocabulary
      .near(leaf.term, distance)
      .filter(
        ([term, freq]) => term !== leaf.term && freq >= Math.max(1, 3 * own),
      )
      .sort((a, b) => a[2] - b[2] || b[1] - a[1])[0];
    if (best) replacements.push({ at: leaf.at, from: leaf.text, to: best[0] });
  }
  if (replacements.length === 0) return undefined;
  let out = q;
  for (const r of replacements.sort((a, b) => b.at.start - a.at.start)) {
    const piece = out.slice(r.at.start, r.at.end);
    out =
      out.slice(0, r.at.start) +
      piece.replace(r.from, r.to) +
      out.slice(r.at.end);
  }
  return out;
}

function positiveTerms(node: QueryNode | undefined): TermNode[] {
  if (!node) return [];
  if (node.type === "term") return node.prefix ? [] : [node];
  if (node.type === "and" || node.type === "or")
    return node.children.flatMap(positiveTerms);
  return [];
}
