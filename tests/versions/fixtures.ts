/**
 * Statements for the versions tests, made in code: readable prose from a seeded generator, so
 * every statement is different unless a test makes it the same.
 */
import type { Statement } from "../../src/ingest/statement.ts";

const WORDS = (
  "agreement border ceasefire cooperation delegation economy energy envoy farmers forum " +
  "grain harbour health investment justice kindergarten labour ministers navy oil pipeline " +
  "ports railway reform refugees region research rivers schools security shipping solar " +
  "students summit tariffs trade treaty tourism vaccines water wheat wind youth archives " +
  "bridges budget census climate customs dairy drought exports fisheries forests highways " +
  "housing inflation irrigation libraries museums nurses orchards pensions police satellites " +
  "scholarships steel textiles transit veterans villages wages wildfires zinc"
).split(" ");
const VERBS =
  "discussed reviewed welcomed praised examined supported announced endorsed planned noted".split(
    " ",
  );

/** A seeded generator (mulberry32): the same seed gives the same text. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One sentence of about twelve words, different for every seed. */
export function sentence(seed: number): string {
  const next = random(seed * 7919 + 17);
  const pick = (list: string[]) => list[Math.floor(next() * list.length)]!;
  const words = [`The ministers ${pick(VERBS)}`];
  for (let i = 0; i < 9; i++) words.push(pick(WORDS));
  return `${words.join(" ")} and ${pick(WORDS)}.`;
}

/** A paragraph of `n` sentences. */
export function paragraph(seed: number, n = 3): string {
  return Array.from({ length: n }, (_, i) => sentence(seed * 100 + i)).join(
    " ",
  );
}

/** A body of `n` paragraphs of three sentences each. */
export function body(seed: number, n = 6): string {
  return Array.from({ length: n }, (_, i) => paragraph(seed * 1000 + i)).join(
    "\n\n",
  );
}

/** A statement with the given id and body. */
export function statement(
  id: string,
  text: string,
  extra: Partial<Statement> = {},
): Statement {
  return {
    id,
    title: `Statement ${id}`,
    body: text,
    meta: {},
    origin: { file: `${id}.txt` },
    ...extra,
  };
}

/** The boilerplate of the readouts below: what every readout of one office repeats. */
export const OPENING = "The President held a telephone conversation with";
export const ATTENDEES =
  "Participating on the American side were the Secretary of State, the Secretary of the " +
  "Treasury, the Secretary of Defense, the National Security Advisor, the Chief of Staff, " +
  "the Deputy National Security Advisor, the Senior Director for European Affairs and the " +
  "Director of the National Economic Council.";
export const CLOSING =
  "The leaders agreed to remain in close contact and to continue to coordinate their " +
  "efforts in the weeks ahead. The President reaffirmed the enduring partnership between " +
  "the two countries and the commitment of the United States to peace, security and " +
  "prosperity in the region and around the world. ###";

/**
 * A short readout: the boilerplate around one sentence of its own, so that almost all of
 * its words are shared with every other readout.
 */
export function readout(n: number): Statement {
  const leader = `President ${["Ana", "Boris", "Chen", "Dara", "Emil", "Femi", "Gita", "Hugo", "Ines", "Jonas", "Kemal", "Lena"][n % 12]} of ${["Aland", "Borduria", "Carpania", "Dorlund", "Elbonia", "Freedonia", "Genovia", "Hyrkania", "Illyria", "Jamland", "Krakozhia", "Latveria"][n % 12]}`;
  return statement(
    `readout-${n}`,
    `${OPENING} ${leader}. ${sentence(900 + n)}\n\n${ATTENDEES}\n\n${CLOSING}`,
    { date: `2024-03-${String(n + 1).padStart(2, "0")}` },
  );
}
