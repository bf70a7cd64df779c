import type { VersionRef } from "../../archive.ts";
import { derived, type Corpus } from "./corpus.ts";

/**
 * Per statement (by short id): the number of its group of versions (its own short id when it
 * has none, so every statement has a key), and whether more than one source published its
 * text. Worked out once per corpus version, so a search reads two numbers per match.
 */
function groupColumns(corpus: Corpus) {
  return derived(corpus, "version-groups", () => {
    const key = new Int32Array(corpus.index.capacity);
    const echoed = new Uint8Array(corpus.index.capacity);
    corpus.statements.forEach((statement, doc) => {
      key[doc] = doc;
      if (!statement) return;
      const group = corpus.versions.groupOf(statement.id);
      if (!group) return;
      key[doc] = corpus.index.shortId(group.id) ?? doc;
      const first = group.members.find((m) => m.source)?.source;
      echoed[doc] = group.members.some((m) => m.source && m.source !== first)
        ? 1
        : 0;
    });
    return { key, echoed };
  });
}

/** Result lines among these matches, each group of versions counted once. */
export function countGroups(corpus: Corpus, ids: Int32Array): number {
  const { key } = groupColumns(corpus);
  const keys = new Set<number>();
  for (const doc of ids) keys.add(key[doc]!);
  return keys.size;
}

/**
 * The first `want` of `ranked` (indexes into `ids`, best first) with each group of versions
 * kept once, as its best-ranked member.
 */
export function collapse(
  corpus: Corpus,
  ids: Int32Array,
  ranked: number[],
  want: number,
): number[] {
  const { key } = groupColumns(corpus);
  const seen = new Set<number>();
  const out: number[] = [];
  for (const i of ranked) {
    if (out.length === want) break;
    const k = key[ids[i]!]!;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(i);
  }
  return out;
}

/** A test for "more than one source published this statement's text". */
export function echoedTest(corpus: Corpus): (doc: number) => boolean {
  const { echoed } = groupColumns(corpus);
  return (doc) => echoed[doc] === 1;
}

/** The other versions of a statement, earliest first. */
export function otherVersions(corpus: Corpus, id: string): VersionRef[] {
  const group = corpus.versions.groupOf(id);
  if (!group) return [];
  return group.members.flatMap((m) => {
    const statement = corpus.byId.get(m.id);
    if (m.id === id || !statement) return [];
    return [
      {
        id: m.id,
        title: statement.title,
        ...(m.date ? { date: m.date } : {}),
        ...(m.source ? { source: m.source } : {}),
      },
    ];
  });
}
