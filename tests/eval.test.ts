import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { meanScores, scoreRanking } from "../scripts/eval/metrics.ts";
import { fixtures } from "./helpers.ts";

describe("scoreRanking", () => {
  it("computes AP, nDCG@10, P@10, reciprocal rank and recall@100", () => {
    const scores = scoreRanking(["a", "x", "b", "y"], new Set(["a", "b", "c"]));
    expect(scores.ap).toBeCloseTo((1 / 1 + 2 / 3) / 3, 10);
    expect(scores.ndcg10).toBeCloseTo(
      (1 + 1 / Math.log2(4)) / (1 + 1 / Math.log2(3) + 1 / Math.log2(4)),
      10,
    );
    expect(scores.p10).toBe(0.2);
    expect(scores.rr).toBe(1);
    expect(scores.recall100).toBeCloseTo(2 / 3, 10);
  });

  it("scores a ranking without relevant documents as zero", () => {
    expect(scoreRanking(["x", "y"], new Set(["a"]))).toEqual({
      ap: 0,
      ndcg10: 0,
      p10: 0,
      rr: 0,
      recall100: 0,
    });
  });
});

describe("meanScores", () => {
  it("averages each measure over the queries", () => {
    const one = { ap: 1, ndcg10: 1, p10: 0.5, rr: 1, recall100: 1 };
    const two = { ap: 0, ndcg10: 0.5, p10: 0.1, rr: 0.5, recall100: 0 };
    expect(meanScores([one, two])).toEqual([
      ["MAP", 0.5],
      ["nDCG@10", 0.75],
      ["P@10", 0.3],
      ["MRR", 0.75],
      ["recall@100", 0.5],
    ]);
  });
});

describe("npm run eval", () => {
  it("prints one line per measure for a test collection, skipping unjudged queries, ranked --depth deep", async () => {
    const root = path.resolve(import.meta.dirname, "..");
    const { stdout } = await promisify(execFile)(
      path.join(root, "node_modules/.bin/tsx"),
      ["scripts/eval/eval.ts", path.join(fixtures, "eval"), "--depth", "1"],
      {
        cwd: root,
      },
    );
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toMatch(
      /^eval, memory engine: 3 documents, 2 judged queries, 1 deep, \d+\.\d s$/,
    );
    // One result per query: query 1's second relevant document (d3) is not reached, which
    // the full depth (MAP and nDCG@10 1.0, recall@100 1.0) would reach.
    expect(lines.slice(1)).toEqual([
      "MAP 0.7500",
      "nDCG@10 0.8066",
      "P@10 0.1000",
      "MRR 1.0000",
      "recall@100 0.7500",
    ]);
  }, 30_000);
});
