/**
 * How well saved pages, PDFs and Word files come out, measured on the development set
 * (../shared/corpus-world/html, pdf, docx) against expected.json, values read off each file
 * by hand. Per format: the share of files whose title, date and language are right; the
 * share whose statement a quoted phrase of 4–8 words from the middle of its main text finds
 * first, among every statement of the development set; the share of pages whose body holds
 * none of their menu, footer or banner text. A file that must be refused counts as right
 * when it is refused with the expected reason.
 *
 *   npm run eval:formats [-- --dev ../shared/corpus-world] [--verbose]
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { buildCorpus } from "../../../src/engines/memory/corpus.ts";
import { MemoryStore } from "../../../src/engines/memory/store.ts";
import { runNow } from "../../../src/runtime/deadline.ts";
import { searchSteps } from "../../../src/search/page.ts";
import { loadStatements } from "../../../src/ingest/load.ts";
import type { Statement } from "../../../src/ingest/statement.ts";
import { parseQuery } from "../../../src/query/params.ts";
import { tokenize } from "../../../src/text/terms.ts";

interface Expected {
  title?: string | string[];
  date?: string | null;
  lang?: string;
  skip?: string;
  chrome?: string[];
  /** For a scan: a phrase a person reads on the page. */
  ocr?: string;
}

const args = process.argv.slice(2);
const devArg = args.indexOf("--dev");
// ../shared beside the checkout, or beside the folder of worktrees.
const dev =
  devArg >= 0
    ? path.resolve(args[devArg + 1]!)
    : ([
        path.resolve("..", "shared", "corpus-world"),
        path.resolve("..", "..", "shared", "corpus-world"),
      ].find((dir) => existsSync(dir)) ??
      path.resolve("..", "shared", "corpus-world"));
const verbose = args.includes("--verbose");
const expected = JSON.parse(
  readFileSync(path.join(import.meta.dirname, "expected.json"), "utf8"),
) as Record<string, Expected>;
delete expected._;

const started = performance.now();
let ocrPages = 0;
const loaded = await loadStatements(dev, {
  onProgress: (p) => (ocrPages = Math.max(ocrPages, p.ocrPages)),
});
const seconds = (performance.now() - started) / 1000;
const byFile = new Map<string, Statement>();
for (const s of loaded.statements)
  if (!s.origin.line) byFile.set(s.origin.file, s);
const corpus = buildCorpus(loaded.statements);
const store = MemoryStore.fromCorpus(corpus);

const normalize = (text: string) =>
  text
    .normalize("NFD")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "")
    .replace(/\p{M}/gu, "");
function titleRight(want: string | string[] | undefined, got: string): boolean {
  const actual = normalize(got);
  return [want ?? []].flat().some((w) => {
    const e = normalize(w);
    const [short, long] = e.length <= actual.length ? [e, actual] : [actual, e];
    return long.includes(short) && short.length >= long.length * 0.7;
  });
}

/**
 * A phrase of six words (as the tokenizer counts them) from the middle of the body's middle
 * paragraph, quoted: the first window from the middle on whose words all have letters.
 */
function phraseOf(body: string): string | undefined {
  const paragraphs = body.split("\n\n").filter((p) => tokenize(p).length >= 8);
  const middle = paragraphs[Math.floor(paragraphs.length / 2)];
  if (!middle) return undefined;
  const tokens = tokenize(middle);
  const wordy = (t: { start: number; end: number }) =>
    /\p{L}{2}/u.test(middle.slice(t.start, t.end));
  for (
    let from = Math.floor(tokens.length / 2) - 3;
    from + 6 <= tokens.length;
    from++
  ) {
    const window = tokens.slice(Math.max(0, from), Math.max(0, from) + 6);
    if (window.every(wordy))
      return `"${middle.slice(window[0]!.start, window.at(-1)!.end)}"`;
  }
  return undefined;
}

interface Score {
  files: number;
  title: number;
  date: number;
  lang: number;
  phrase: number;
  phrases: number;
  clean: number;
  pages: number;
}
const scans: string[] = [];
const scores = new Map<string, Score>();
for (const [file, want] of Object.entries(expected)) {
  const format = file.split("/")[0]!;
  const score =
    scores.get(format) ??
    ({
      files: 0,
      title: 0,
      date: 0,
      lang: 0,
      phrase: 0,
      phrases: 0,
      clean: 0,
      pages: 0,
    } as Score);
  scores.set(format, score);
  score.files++;
  const statement = byFile.get(file);
  const problem = loaded.problems.find((p) => p.file === file && !p.kept);
  if (want.skip) {
    const right = !statement && Boolean(problem?.message.includes(want.skip));
    score.title += +right;
    score.date += +right;
    score.lang += +right;
    if (verbose || !right)
      console.log(
        `${right ? "ok  " : "MISS"} ${file}: refused? ${problem?.message}`,
      );
    continue;
  }
  if (!statement) {
    console.log(`MISS ${file}: not read (${problem?.message})`);
    continue;
  }
  const title = titleRight(want.title, statement.title);
  const date = (statement.date?.slice(0, 10) ?? null) === want.date;
  const lang = statement.lang === want.lang;
  score.title += +title;
  score.date += +date;
  score.lang += +lang;
  const phrase = phraseOf(statement.body);
  if (phrase) {
    score.phrases++;
    const page = runNow(
      searchSteps(
        store,
        parseQuery({ q: phrase, size: "5" }, corpus.fields.keys()),
      ),
    );
    const first = page.hits[0]?.id === statement.id;
    score.phrase += +first;
    if (!first)
      console.log(
        `MISS ${file}: ${phrase} found ${page.hits[0]?.id ?? "nothing"} first`,
      );
  }
  if (want.ocr) {
    const page = runNow(
      searchSteps(
        store,
        parseQuery({ q: `"${want.ocr}"`, size: "5" }, corpus.fields.keys()),
      ),
    );
    const found = page.hits[0]?.id === statement.id;
    scans.push(
      `| ${file} | ${statement.pages?.length ?? 1} | ${statement.body.length.toLocaleString("en")} | ${statement.meta.ocr ?? "not read by OCR"} | "${want.ocr}": ${found ? "found first" : "MISSED"} |`,
    );
  }
  if (want.chrome) {
    score.pages++;
    const left = want.chrome.filter((c) => statement.body.includes(c));
    score.clean += +(left.length === 0);
    if (left.length)
      console.log(`MISS ${file}: body holds ${JSON.stringify(left)}`);
  }
  if (verbose || !title || !date || !lang)
    console.log(
      `${title && date && lang ? "ok  " : "MISS"} ${file}: title ${title ? "ok" : JSON.stringify(statement.title)}, date ${date ? "ok" : statement.date}, lang ${lang ? "ok" : statement.lang}`,
    );
}

const pct = (n: number, d: number) =>
  d === 0 ? "–" : `${((100 * n) / d).toFixed(0)}% (${n}/${d})`;
console.log(
  `\nRead ${loaded.statements.length} statements from ${dev} in ${seconds.toFixed(1)} s (${ocrPages} pages by OCR).\n`,
);
console.log(
  "| format | files | title | date | language | phrase finds it first | body free of chrome |",
);
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const [format, s] of scores)
  console.log(
    `| ${format} | ${s.files} | ${pct(s.title, s.files)} | ${pct(s.date, s.files)} | ${pct(s.lang, s.files)} | ${pct(s.phrase, s.phrases)} | ${pct(s.clean, s.pages)} |`,
  );
if (scans.length) {
  console.log("\nScans read by OCR:\n");
  console.log(
    "| file | pages | characters | OCR | a phrase read on the page |",
  );
  console.log("| --- | ---: | ---: | --- | --- |");
  for (const line of scans) console.log(line);
}
