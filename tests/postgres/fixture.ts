import { mkdir, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";

/**
 * The parity suite's archive, made in code: 2,600 short statements (enough to page deep), from
 * a small vocabulary with inflections, names with accents and hyphens, phrases, four
 * sources, a category, a country with its code (which only renames it, so it is no facet),
 * a `year` of the record's own (a session's, as the UN debates have, named like the date's
 * year facet), dates of every precision over six years, and a few undated.
 */
export const FIXTURE_SIZE = 2_600;

export const WORDS =
  "peace treaty talks sanction sanctions sanctioned sanctioning negotiation negotiations negotiate ceasefire truce border villages monitors agreement agreed minister ministry cooperation energy gas oil pipeline security council resolution humanitarian aid refugees summit visit meeting trade economy investment climate water election observers report reports reporting policy policies".split(
    " ",
  );
const NAMES = [
  "Bayramov",
  "Ağdam",
  "Nagorno-Karabakh",
  "Baku",
  "Yerevan",
  "Tbilisi",
];
const SOURCES = [
  "Ministry of Foreign Affairs",
  "The White House",
  "Office of the President",
  "Permanent Mission",
];
const CATEGORIES = [
  "statement",
  "press-release",
  "speech",
  "readout",
  "interview",
];
const COUNTRIES: [string, string][] = [
  ["Azerbaijan", "AZ"],
  ["Armenia", "AM"],
  ["Georgia", "GE"],
];

/** Deterministic numbers in [0, 1). */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The fixture's records, in the JSON Lines format of the data folder. */
export function fixtureRecords(): Record<string, string>[] {
  const next = random(13);
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)]!;
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS));
  const out: Record<string, string>[] = [];
  for (let i = 0; i < FIXTURE_SIZE; i++) {
    const title = [...words(3), pick(NAMES)].join(" ");
    const body =
      [
        ...words(6),
        next() < 0.3 ? "joint statement" : pick(WORDS),
        pick(NAMES),
        ...words(6),
      ].join(" ") + ".";
    const day = new Date(
      Date.UTC(2019, 0, 1) + Math.floor(next() * 6 * 365) * 86_400_000,
    )
      .toISOString()
      .slice(0, 10);
    const shape = next();
    const date =
      shape < 0.03
        ? ""
        : shape < 0.08
          ? day.slice(0, 4)
          : shape < 0.12
            ? day.slice(0, 7)
            : day;
    const [country, iso] = pick(COUNTRIES);
    out.push({
      id: `fx-${String(i).padStart(5, "0")}`,
      title: title.charAt(0).toUpperCase() + title.slice(1),
      body,
      ...(date ? { date } : {}),
      ...(next() < 0.95 ? { source: pick(SOURCES) } : {}),
      category: pick(CATEGORIES),
      country,
      country_iso: iso,
      year: String(2019 + (i % 6)),
    });
  }
  return out;
}

/** Writes the records into `dir` as JSON Lines files of 500 records. */
export async function writeFixture(
  dir: string,
  records = fixtureRecords(),
): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < records.length; i += 500)
    await writeFile(
      path.join(dir, `part-${String(i / 500 + 1).padStart(2, "0")}.jsonl`),
      records
        .slice(i, i + 500)
        .map((r) => JSON.stringify(r))
        .join("\n") + "\n",
    );
}

/** A port on 127.0.0.1 that nothing listens on: a server that is down. */
export async function deadPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
