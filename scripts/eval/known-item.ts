/**
 * Known-item search per language: `npm run eval -- --known-item <statements.jsonl> …`.
 * For each trial a statement is drawn; up to three of its rarer words are each replaced by
 * another form of the word that occurs elsewhere in the archive and not in the statement
 * (a word sharing all but its last few letters: `санкций` for `санкции`), and the search
 * must put the statement in its top 10. Chinese has no inflection: its trials query rarer
 * words as the segmenter cut them, as do languages without an ending list below (Tamil,
 * Sinhala). Forms come from grammar endings (ENDINGS), not from Readout's stemmers.
 *
 * Files of Chinese or Japanese statements add a second trial: a quoted run of 8 characters
 * from a statement's body (one that stands in at most 3 statements) must put the statement
 * in the top 3, however a segmenter would cut the run alone or in its sentence.
 */
import path from "node:path";
import { buildCorpus, type Corpus } from "../../src/engines/memory/corpus.ts";
import { MemoryStore } from "../../src/engines/memory/store.ts";
import { runNow } from "../../src/runtime/deadline.ts";
import { searchSteps } from "../../src/search/page.ts";
import { loadStatements } from "../../src/ingest/load.ts";
import { parseQuery } from "../../src/query/params.ts";
import { inflections } from "../../src/search/expand.ts";
import { terms } from "../../src/text/terms.ts";

const TRIALS = Number(process.env.TRIALS ?? 200);
const WORDS = 3;

export async function knownItem(files: string[]): Promise<void> {
  console.log("| file | statements | trials | found in top 10 | top 1 |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const file of files) {
    const loaded = await loadStatements(path.dirname(file), {
      include: (f) => f === path.basename(file),
    });
    const corpus = buildCorpus(loaded.statements);
    const result = measure(corpus);
    console.log(
      `| ${path.basename(file)} | ${loaded.statements.length} | ${result.trials} | ${percent(result.top10, result.trials)} | ${percent(result.top1, result.trials)} |`,
    );
    for (const miss of result.misses.slice(0, Number(process.env.SHOW ?? 0)))
      console.error(`  missed ${miss}`);
    const pairs = formPairs(corpus, result.lang);
    if (pairs.pairs > 0)
      console.log(
        `| ${path.basename(file)}: pairs of forms that find each other | ${loaded.statements.length} | ${pairs.pairs} | – | ${percent(pairs.found, pairs.pairs)} |`,
      );
    for (const miss of pairs.misses.slice(0, Number(process.env.SHOW ?? 0)))
      console.error(`  missed ${miss}`);
    const runs = quotedRuns(corpus);
    if (runs.trials > 0) {
      console.log(
        `| ${path.basename(file)}: quoted runs of ${RUN} characters | ${loaded.statements.length} | ${runs.trials} | – | ${percent(runs.top3, runs.trials)} in top 3 |`,
      );
      for (const miss of runs.misses.slice(0, Number(process.env.SHOW ?? 0)))
        console.error(`  missed ${miss}`);
    }
  }
}

const RUN = 8;
// Han and kana, as a reader of Chinese or Japanese sees one run of text.
const CJK_RUN = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\u30fc]{8,}/gu;

function quotedRuns(corpus: Corpus) {
  const store = MemoryStore.fromCorpus(corpus);
  const random = seeded(11);
  const statements = corpus.statements.filter((s) => s !== undefined);
  const texts = statements.map((s) => `${s.title}\n${s.body}`);
  let trials = 0;
  let top3 = 0;
  const misses: string[] = [];
  for (const [i, statement] of statements.entries()) {
    if (trials === TRIALS) break;
    const runs = [...texts[i]!.matchAll(CJK_RUN)].map((m) => m[0]);
    if (runs.length === 0) continue;
    const long = runs[Math.floor(random() * runs.length)]!;
    const chars = [...long];
    const from = Math.floor(random() * (chars.length - RUN + 1));
    const run = chars.slice(from, from + RUN).join("");
    if (texts.filter((t) => t.includes(run)).length > 3) continue;
    trials++;
    const page = runNow(
      searchSteps(
        store,
        parseQuery(
          { q: `"${run}"`, size: "3", versions: "all" },
          corpus.fields.keys(),
        ),
      ),
    );
    if (page.hits.some((h) => h.id === statement.id)) top3++;
    else misses.push(`${statement.id}: "${run}"`);
  }
  return { trials, top3, misses };
}

function measure(corpus: Corpus) {
  const store = MemoryStore.fromCorpus(corpus);
  const random = seeded(7);
  const statements = corpus.statements.filter((s) => s !== undefined);
  const df = new Map<string, number>();
  for (const [term] of corpus.index.withPrefix(""))
    df.set(term, corpus.index.frequency(term));
  const vocabulary = new Set(df.keys());
  const rare = Math.max(2, statements.length * 0.05);
  let trials = 0;
  let top10 = 0;
  let top1 = 0;
  const misses: string[] = [];
  const order = statements
    .map((s) => [random(), s] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, s]) => s);
  for (const statement of order.slice(0, TRIALS)) {
    const own = new Set(terms(`${statement.title} ${statement.body}`));
    const lang = (
      statement.lang ??
      statement.meta.language ??
      ""
    ).toLowerCase();
    const candidates = [...own].filter(
      (t) => (df.get(t) ?? 0) <= rare && /^[\p{L}\p{M}]+$/u.test(t),
    );
    shuffle(candidates, random);
    const query: string[] = [];
    for (const word of candidates) {
      if (query.length === WORDS) break;
      if (unspaced(word) || !(lang in ENDINGS)) {
        if ([...word].length >= 2) query.push(word);
        continue;
      }
      if ([...word].length < 5) continue;
      const forms = otherForms(word, lang, vocabulary, own);
      if (forms.length) query.push(forms[Math.floor(random() * forms.length)]!);
    }
    if (query.length < 2) continue;
    trials++;
    const page = runNow(
      searchSteps(
        store,
        parseQuery(
          { q: query.join(" "), size: "10", versions: "all" },
          corpus.fields.keys(),
        ),
      ),
    );
    const rank = page.hits.findIndex((h) => h.id === statement.id);
    if (rank >= 0) top10++;
    if (rank === 0) top1++;
    else if (rank < 0) misses.push(`${statement.id}: ${query.join(" ")}`);
  }
  const langs = statements.map((s) => s.lang ?? "");
  const lang = langs.sort(
    (a, b) =>
      langs.filter((l) => l === b).length - langs.filter((l) => l === a).length,
  )[0];
  return { trials, top10, top1, misses, lang };
}

/**
 * Words of the archive that are forms of one another by ENDINGS (`negociacion`,
 * `negociaciones`): the share of up to TRIALS such pairs where a search for the one also
 * searches the other, as `inflections` (what search expands a word to) says.
 */
function formPairs(corpus: Corpus, lang = "") {
  const misses: string[] = [];
  if (!(lang in ENDINGS)) return { pairs: 0, found: 0, misses };
  const random = seeded(13);
  const vocabulary = new Set<string>();
  for (const [term] of corpus.index.withPrefix(""))
    if (/^\p{L}{5,}$/u.test(term)) vocabulary.add(term);
  const words = [...vocabulary];
  shuffle(words, random);
  let pairs = 0;
  let found = 0;
  for (const word of words) {
    if (pairs === TRIALS) break;
    const forms = otherForms(word, lang, vocabulary, new Set([word]));
    if (forms.length === 0) continue;
    const form = forms[Math.floor(random() * forms.length)]!;
    pairs++;
    const expanded = inflections(corpus.index, word, { languages: [lang] });
    if (expanded.includes(form)) found++;
    else misses.push(`${word} / ${form}`);
  }
  return { pairs, found, misses };
}

// Inflectional endings by language, the oracle for "another form": two words are forms of
// one another when they differ only in these endings and keep four letters before them.
// Listed from grammars, not from Readout's stemmers, so the measure grades those.
const ENDINGS: Record<string, string[]> = {
  en: ["", "s", "es", "ed", "d", "ing"],
  es: ["", "s", "es", "a", "as", "o", "os"],
  fr: ["", "s", "e", "es", "x"],
  de: ["", "e", "en", "er", "es", "n", "s"],
  ru: [
    "",
    ..."а я ы и у ю е о ь й ом ем ой ей ою ам ям ах ях ами ями ов ев ий ый ая яя ое ее ые ие ого его ому ему ых их ым им ыми ими ую юю".split(
      " ",
    ),
  ],
  uk: [
    "",
    ..."а я и і у ю е о ь й ї ом ем єм ою ею ам ям ах ях ами ями ів їв ий ій ої ого ому их им ими ім ій".split(
      " ",
    ),
  ],
};

function otherForms(
  word: string,
  lang: string,
  vocabulary: Set<string>,
  own: Set<string>,
): string[] {
  const endings = ENDINGS[lang] ?? [];
  const out = new Set<string>();
  for (const e1 of endings) {
    if (!word.endsWith(e1)) continue;
    const stem = word.slice(0, word.length - e1.length);
    if ([...stem].length < 4) continue;
    for (const e2 of endings) {
      const form = stem + e2;
      if (e2 !== e1 && vocabulary.has(form) && !own.has(form)) out.add(form);
    }
  }
  return [...out];
}

function unspaced(word: string): boolean {
  return /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}]/u.test(word);
}

function percent(n: number, of: number): string {
  return of ? `${((100 * n) / of).toFixed(1)}%` : "–";
}

function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
