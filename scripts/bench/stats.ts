import type { Outcome } from "./child.ts";

/** A table cell before formatting: a figure (with how many runs gave it) or a reason. */
export type Cell = { value: number; runs?: string } | { text: string };

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? sorted[mid]!
    : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile, `p` in 0–100. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/**
 * The median over runs of one figure. Runs that failed are left out and counted
 * ("2/3 runs"); when all failed, the cell gives the first reason.
 */
export function medianOf<T>(
  outcomes: Outcome<T>[],
  pick: (value: T) => number | undefined,
): Cell {
  const ok = outcomes.filter((o) => o.ok);
  const failed = outcomes.find((o) => !o.ok);
  if (!ok.length)
    return {
      text: !failed
        ? "not measured"
        : /^(skipped|not measured)/.test(failed.reason)
          ? failed.reason
          : `failed: ${failed.reason}`,
    };
  const values = ok.map((o) => pick(o.value)).filter((v) => v !== undefined);
  if (!values.length) return { text: "—" };
  return {
    value: median(values),
    ...(failed ? { runs: `${ok.length}/${outcomes.length} runs` } : {}),
  };
}

/** `a ÷ b`, or the reason either is missing. */
export function ratio(a: Cell, b: Cell): Cell {
  if (!("value" in a)) return a;
  if (!("value" in b)) return { text: `baseline ${b.text}` };
  return { value: a.value / b.value };
}
