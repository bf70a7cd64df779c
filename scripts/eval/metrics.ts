/** Ranking-quality measures for one query, from the ranked ids and the set of relevant ids. */
export interface QueryScores {
  ap: number;
  ndcg10: number;
  p10: number;
  rr: number;
  recall100: number;
}

export function scoreRanking(
  ranked: string[],
  relevant: Set<string>,
): QueryScores {
  let hits = 0;
  let precisionSum = 0;
  let dcg = 0;
  let rr = 0;
  let top10 = 0;
  let top100 = 0;
  ranked.forEach((id, i) => {
    if (!relevant.has(id)) return;
    hits++;
    precisionSum += hits / (i + 1);
    if (i < 10) {
      dcg += 1 / Math.log2(i + 2);
      top10++;
    }
    if (i < 100) top100++;
    if (rr === 0) rr = 1 / (i + 1);
  });
  let idcg = 0;
  for (let i = 0; i < Math.min(10, relevant.size); i++)
    idcg += 1 / Math.log2(i + 2);
  return {
    ap: relevant.size ? precisionSum / relevant.size : 0,
    ndcg10: idcg ? dcg / idcg : 0,
    p10: top10 / 10,
    rr,
    recall100: relevant.size ? top100 / relevant.size : 0,
  };
}

/** The mean of each measure over queries, named as the report prints them. */
export function meanScores(all: QueryScores[]): [string, number][] {
  const mean = (key: keyof QueryScores) =>
    all.reduce((sum, s) => sum + s[key], 0) / (all.length || 1);
  return [
    ["MAP", mean("ap")],
    ["nDCG@10", mean("ndcg10")],
    ["P@10", mean("p10")],
    ["MRR", mean("rr")],
    ["recall@100", mean("recall100")],
  ];
}
