import { existsSync } from "node:fs";
import { closeSync, openSync, writeSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pickWeighted, seededRandom, zipfSampler } from "./random.ts";
import { buildVocabulary } from "./vocabulary.ts";

/** Bump when the generator changes, so cached corpora of the old shape are not reused. */
const GENERATOR_VERSION = 1;
const PER_FILE = 20_000;
const ZIPF_EXPONENT = 1.0;
const CATEGORIES = [
  "statement",
  "press-release",
  "speech",
  "readout",
  "interview",
  "joint-statement",
  "fact-sheet",
  "communique",
];
const CATEGORY_WEIGHTS = [30, 25, 12, 10, 8, 6, 5, 4];
const FIRST_DAY = Date.UTC(2000, 0, 1) / 86_400_000;
const DAYS = Date.UTC(2025, 0, 1) / 86_400_000 - FIRST_DAY;

/**
 * Where the benchmark keeps generated corpora and copies, between runs. READOUT_BENCH_DIR
 * moves it, so two checkouts on one machine do not share (and rewrite) each other's caches.
 */
export const benchDir =
  process.env.READOUT_BENCH_DIR || path.join(os.tmpdir(), "readout-bench");

/**
 * The folder of a synthetic corpus of `size` statements, generated on first use and reused
 * afterwards: the same size and seed always give the same bytes.
 */
export async function syntheticCorpus(
  size: number,
  seed: number,
  log: (line: string) => void,
): Promise<string> {
  const dir = path.join(
    benchDir,
    `synthetic-v${GENERATOR_VERSION}-${size}-seed${seed}`,
  );
  if (existsSync(dir)) return dir;
  // Written aside and renamed when complete: an interrupted run leaves no half corpus behind.
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  const started = performance.now();
  const next = statementGenerator(seed);
  for (let first = 0; first < size; first += PER_FILE) {
    const file = path.join(
      partial,
      `statements-${String(first / PER_FILE + 1).padStart(3, "0")}.jsonl`,
    );
    const fd = openSync(file, "w");
    const last = Math.min(size, first + PER_FILE);
    for (let i = first; i < last; i += 500) {
      const lines: string[] = [];
      for (let j = i; j < Math.min(last, i + 500); j++)
        lines.push(JSON.stringify(next(j)));
      writeSync(fd, lines.join("\n") + "\n");
    }
    closeSync(fd);
    log(
      `generated ${last.toLocaleString("en")} of ${size.toLocaleString("en")}`,
    );
  }
  await rename(partial, dir);
  log(
    `synthetic corpus of ${size.toLocaleString("en")} in ${((performance.now() - started) / 1000).toFixed(0)} s: ${dir}`,
  );
  return dir;
}

/** Statement records in the shared corpus format, the n-th always after the (n-1)-th. */
export function statementGenerator(seed: number) {
  const vocabulary = buildVocabulary(seed);
  const { words, names, firstContent } = vocabulary;
  const random = seededRandom(seed);
  const draw = zipfSampler(words.length, ZIPF_EXPONENT, random);
  const content = () => {
    let rank;
    while ((rank = draw()) < firstContent);
    return words[rank]!;
  };
  const name = () => names[Math.floor(random() * 200 * random())]!;
  const int = (lo: number, hi: number) =>
    lo + Math.floor(random() * (hi - lo + 1));
  const places = names.slice(0, 12);
  const sources = places.map((place, i) =>
    i % 3 === 0
      ? `Ministry of Foreign Affairs of ${place}`
      : i % 3 === 1
        ? `Office of the President of ${place}`
        : `Permanent Mission of ${place} to the United Nations`,
  );
  const sourceWeights = sources.map((_, i) => 1 / (i + 1));
  const titles = [
    () => `Statement on ${content()} ${content()} in ${name()}`,
    () => `Joint press release: ${content()} ${content()} and ${content()}`,
    () => `Remarks by ${name()} at the ${content()} ${content()} meeting`,
    () => `${name()} meets ${name()} to discuss ${content()} ${content()}`,
    () => `Readout of the call between ${name()} and ${name()}`,
    () => `On the ${content()} of ${content()} ${content()}`,
  ];

  const body = () => {
    // Log-uniform from 200 to 2,000 words: many short statements, a long tail of speeches.
    const target = Math.round(200 * Math.pow(10, random()));
    const paragraphs: string[] = [];
    let count = 0;
    while (count < target) {
      const sentences: string[] = [];
      for (let s = int(2, 6); s > 0 && count < target; s--) {
        const length = Math.min(int(6, 28), target - count);
        const sentence = new Array<string>(length);
        for (let w = 0; w < length; w++) sentence[w] = words[draw()]!;
        sentence[0] = sentence[0]![0]!.toUpperCase() + sentence[0]!.slice(1);
        if (length > 12) sentence[int(3, length - 3)] += ",";
        sentences.push(sentence.join(" ") + ".");
        count += length;
      }
      paragraphs.push(sentences.join(" "));
    }
    return paragraphs.join("\n\n");
  };

  return (n: number) => {
    const id = `syn-${String(n).padStart(7, "0")}`;
    const source = pickWeighted(sources, sourceWeights, random);
    const day = new Date(
      (FIRST_DAY + Math.floor(random() * DAYS)) * 86_400_000,
    );
    const iso = day.toISOString();
    const shape = random();
    const date =
      shape < 0.05
        ? iso.slice(0, 4)
        : shape < 0.75
          ? iso.slice(0, 10)
          : `${iso.slice(0, 10)}T${String(int(7, 20)).padStart(2, "0")}:${String(int(0, 59)).padStart(2, "0")}:00Z`;
    return {
      id,
      title: titles[Math.floor(random() * titles.length)]!(),
      date,
      source,
      url: `https://example.org/${source.toLowerCase().replace(/[^a-z]+/g, "-")}/${id}`,
      body: body(),
      category: pickWeighted(CATEGORIES, CATEGORY_WEIGHTS, random),
    };
  };
}
