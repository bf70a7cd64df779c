/**
 * Builds the sample archive in data/ from the shared corpora (../shared/corpus and
 * ../shared/corpus-world), choosing public-domain and openly licensed items only; see
 * data/README.md for what comes from where. Deterministic: the same corpora give the same
 * files. Run: `npx tsx scripts/tools/make-sample.ts [--shared ../shared]`.
 */
import {
  copyFileSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";

const root = path.join(import.meta.dirname, "..", "..");
const argShared = process.argv.indexOf("--shared");
const shared =
  argShared > 0
    ? path.resolve(process.argv[argShared + 1]!)
    : path.join(root, "..", "..", "shared");
const data = path.join(root, "data");

type Rec = Record<string, unknown> & {
  id: string;
  title: string;
  body: string;
  date?: string | null;
};
const read = (file: string): Rec[] =>
  readFileSync(path.join(shared, file), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Rec);

// A seeded shuffle, then the chosen records back in date order.
function pick(records: Rec[], n: number, seed: number): Rec[] {
  let state = seed;
  const random = () =>
    (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const copy = [...records];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy
    .slice(0, n)
    .sort((a, b) => String(a.date).localeCompare(String(b.date)));
}

const jsonl = (file: string, records: Rec[]) => {
  mkdirSync(path.dirname(path.join(data, file)), { recursive: true });
  writeFileSync(
    path.join(data, file),
    records.map((r) => JSON.stringify(r)).join("\n") + "\n",
  );
};
const short = (max: number) => (r: Rec) =>
  Boolean(r.title?.trim()) && r.body.length <= max && r.body.length >= 300;

// Hour 24 ("2022-03-11T24:04:30") is the next day's first hour, which the source wrote so.
function fixHour24(date: unknown): unknown {
  const m =
    typeof date === "string"
      ? /^(\d{4}-\d{2}-\d{2})T24:(\d{2}:\d{2})$/.exec(date)
      : null;
  if (!m) return date;
  const next = new Date(`${m[1]}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return `${next.toISOString().slice(0, 10)}T00:${m[2]}`;
}

for (const dir of [
  "white-house",
  "kremlin-and-president-of-ukraine",
  "un-general-debate",
  "ukraine-addresses",
  "sri-lanka-pmd",
  "kremlin-ru",
  "european-parliament",
  "udhr",
  "United Nations",
])
  rmSync(path.join(data, dir), { recursive: true, force: true });

// The White House briefing room: CC0 / U.S. federal works. Most as JSON Lines, some as Markdown.
const whiteHouse = pick(
  read("corpus/whitehouse-briefing-room.jsonl").filter(short(7000)),
  1290,
  7,
);
const asMarkdown = new Set(
  whiteHouse.filter((_, i) => i % 30 === 0).map((r) => r.id),
);
jsonl(
  "white-house/briefing-room.jsonl",
  whiteHouse.filter((r) => !asMarkdown.has(r.id)),
);
mkdirSync(path.join(data, "white-house", "statements"), { recursive: true });
for (const r of whiteHouse.filter((r) => asMarkdown.has(r.id))) {
  const front = [
    "---",
    `title: ${JSON.stringify(r.title)}`,
    `date: ${String(r.date)}`,
    `source: ${JSON.stringify(r.source)}`,
    `url: ${JSON.stringify(r.url)}`,
    `category: ${String(r.category)}`,
    "---",
    "",
  ].join("\n");
  writeFileSync(
    path.join(
      data,
      "white-house",
      "statements",
      `${r.id.replace(/^wh-/, "")}.md`,
    ),
    front + r.body + "\n",
  );
}

// President of Russia (en.kremlin.ru) and of Ukraine (president.gov.ua): CC BY 4.0.
jsonl(
  "kremlin-and-president-of-ukraine/news-2021-2022.jsonl",
  pick(
    read("corpus/kremlin-zelenskyy-2021-2022.jsonl").filter(short(5000)),
    300,
    11,
  ),
);

// UN General Debate speeches of 2024 (UNGDC, CC0).
jsonl(
  "un-general-debate/speeches-2024.jsonl",
  pick(
    read("corpus/ungdc-2000-2024.jsonl").filter(
      (r) => r.year === 2024 || r.date === "2024",
    ),
    40,
    13,
  ),
);

// Ukrainian wartime addresses and briefings in Ukrainian and English (resistinua, CC0).
for (const lang of ["uk", "en"])
  jsonl(
    `ukraine-addresses/addresses-${lang}.jsonl`,
    read(`corpus-world/statements-${lang}.jsonl`).map(
      (r) => ({ ...r, date: fixHour24(r.date) }) as Rec,
    ),
  );

// Sri Lanka's Presidential Media Division in Sinhala and Tamil (lk_pmd, MIT).
for (const lang of ["si", "ta"])
  jsonl(
    `sri-lanka-pmd/press-releases-${lang}.jsonl`,
    pick(
      read(`corpus-world/statements-${lang}.jsonl`).filter(short(6000)),
      150,
      17,
    ),
  );

// kremlin.ru in Russian (CC BY 4.0).
jsonl(
  "kremlin-ru/news-2025.jsonl",
  pick(
    read("corpus-world/statements-ru.jsonl").filter(
      (r) => r.date && short(20000)(r),
    ),
    60,
    19,
  ),
);

// European Parliament press releases, saved pages (reuse authorised with acknowledgement).
mkdirSync(path.join(data, "european-parliament"), { recursive: true });
for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  copyFileSync(
    path.join(shared, "corpus-world/html", `europarl.europa.eu__2_${n}.html`),
    path.join(data, "european-parliament", `press-release-${n}.html`),
  );

// The Universal Declaration of Human Rights in five languages (UN; free to reproduce).
// The folder names the source: a file in a sub-folder takes its name as its source.
mkdirSync(path.join(data, "United Nations"), { recursive: true });
for (const lang of ["chinese", "french", "greek", "japanese", "russian"])
  copyFileSync(
    path.join(shared, "corpus-world/pdf", `udhr__UDHR_${lang}.pdf`),
    path.join(data, "United Nations", `udhr-${lang}.pdf`),
  );
