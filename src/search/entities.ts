/**
 * The archive's people, places and organisations as one list (issue 26): the names each
 * statement gives (`text/entities.ts`) grouped across statements, inflections and scripts,
 * and who is named together. Pure; the archive calls it over every statement's names.
 *
 * A name's forms are one entity when they are of one type and: have the same words up to
 * inflection (`Владимира Путина` = `Владимир Путин`), or are spelled alike across scripts by
 * names-across-scripts' machinery (`Zelensky` = `Зеленський` = `Зеленский`, through
 * `soundKeys` and `spells`). For people the surname decides and a given name, where both
 * forms have one, must begin with the same sound (`Volodymyr` ~ `Владимир`, not `Sergei` ~
 * `Виктор`); a lone surname joins the one full name it fits.
 */
import type { Entities, EntityType } from "../text/entities.ts";
import { scriptOf, stemmerFor } from "../text/stemmers.ts";
import { tokenize } from "../text/terms.ts";
import { Lru } from "../runtime/lru.ts";
import { romanize, soundKeys, spells } from "../text/translit.ts";

/** One name as the statements give it, and in how many statements. */
export interface NameCount {
  type: EntityType;
  name: string;
  count: number;
}

/** An entity of the archive: the form shown, every form, and the statements naming it. */
export interface NameGroup {
  type: EntityType;
  name: string;
  forms: string[];
  count: number;
}

/**
 * How many times as often as all its other bearers together one person must be named for a
 * lone surname to be taken for that person: in a White House archive `Biden` alone is the
 * President (Joe Biden 439 statements, Jill Biden 22 in the sample archive), while a father
 * and a son named alike stay apart from a surname that could be either.
 */
const DOMINANT = 4;

const SUFFIXES = new Set(["jr", "sr", "ii", "iii", "iv"]);

const PATRONYMIC = /(?:ович|евич|йович|івич|овна|евна|івна|ївна)\p{L}{0,3}$/u;

/** A name's words as grouping reads them: its surname (a person's) and given name. */
export interface ParsedName {
  entry: NameCount;
  surname: string;
  given?: string;
  words: string[];
}

/** Reads a name's words, surname and given name (a patronymic puts the surname first). */
export function parseName(entry: NameCount): ParsedName {
  const words = tokenize(entry.name).map((t) => t.term);
  // `Joseph R. Biden Jr.`: the surname is before the suffix.
  while (
    entry.type === "person" &&
    words.length > 2 &&
    SUFFIXES.has(words[words.length - 1]!)
  )
    words.pop();
  const patronymic =
    words.length >= 3 && PATRONYMIC.test(words[words.length - 1]!);
  const surname =
    entry.type === "person"
      ? patronymic
        ? words[0]!
        : words[words.length - 1]!
      : words.join(" ");
  const given =
    entry.type === "person" && words.length >= 2
      ? patronymic
        ? words[1]
        : words[0]
      : undefined;
  return {
    entry,
    surname: surname ?? "",
    ...(given ? { given } : {}),
    words,
  };
}

/** Groups the forms of each name; the most used form names the group. */
export function groupNames(names: readonly NameCount[]): NameGroup[] {
  const parsed = names.map(parseName);
  const parent = parsed.map((_, i) => i);
  const find = (i: number): number =>
    parent[i] === i ? i : (parent[i] = find(parent[i]!));
  const union = (a: number, b: number) => {
    parent[find(a)] = find(b);
  };
  // Candidates share a type and a sound key of the surname (or of the whole name).
  const buckets = new Map<string, number[]>();
  parsed.forEach((p, i) => {
    const keys =
      p.entry.type === "person"
        ? soundKeys(p.surname)
        : [p.words.map((w) => soundKeys(w)[0] ?? w).join(" ")];
    for (const key of keys.length ? keys : [p.surname]) {
      const k = `${p.entry.type}:${key}`;
      const list = buckets.get(k);
      if (list) list.push(i);
      else buckets.set(k, [i]);
    }
  });
  const lone = (p: ParsedName) => p.entry.type === "person" && !p.given;
  for (const list of buckets.values())
    for (let x = 0; x < list.length; x++)
      for (let y = x + 1; y < list.length; y++) {
        const [a, b] = [parsed[list[x]!]!, parsed[list[y]!]!];
        if (lone(a) !== lone(b) || find(list[x]!) === find(list[y]!)) continue;
        if (sameName(a, b)) union(list[x]!, list[y]!);
      }
  // A lone surname joins the one person it fits. Fitting two, it joins the one named far
  // more often (`Biden`: Joe, not Jill), and otherwise stays apart, as it cannot be told
  // which (`Berdimuhamedov`: father and son).
  const fits = new Map<number, Set<number>>();
  for (const list of buckets.values())
    for (const x of list)
      for (const y of list)
        if (
          lone(parsed[x]!) &&
          !lone(parsed[y]!) &&
          sameName(parsed[x]!, parsed[y]!)
        ) {
          const set = fits.get(x) ?? new Set<number>();
          set.add(find(y));
          fits.set(x, set);
        }
  const named = new Map<number, number>();
  parsed.forEach((p, i) => {
    if (lone(p)) return;
    const root = find(i);
    named.set(root, (named.get(root) ?? 0) + p.entry.count);
  });
  for (const [x, roots] of fits) {
    const [first, ...others] = [...roots].sort(
      (a, b) => (named.get(b) ?? 0) - (named.get(a) ?? 0),
    );
    const rest = others.reduce((n, r) => n + (named.get(r) ?? 0), 0);
    if ((named.get(first!) ?? 0) >= DOMINANT * rest) union(x, first!);
  }
  const groups = new Map<number, ParsedName[]>();
  parsed.forEach((p, i) => {
    const root = find(i);
    const g = groups.get(root);
    if (g) g.push(p);
    else groups.set(root, [p]);
  });
  return [...groups.values()]
    .map((members) => {
      // A person is named by a full name, even when the surname alone is written more often.
      const full = (m: ParsedName) => (lone(m) ? 0 : 1);
      const best = [...members].sort(
        (a, b) =>
          full(b) - full(a) ||
          b.entry.count - a.entry.count ||
          b.words.length - a.words.length,
      )[0]!;
      return {
        type: best.entry.type,
        name: best.entry.name,
        forms: members.map((m) => m.entry.name),
        count: members.reduce((n, m) => n + m.entry.count, 0),
      };
    })
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
}

/**
 * Whether two names are one entity's: same type, and the same words up to inflection and
 * script; for a person the surname, and the given names' first sound where both have one.
 */
export function sameName(a: ParsedName, b: ParsedName): boolean {
  if (a.entry.type !== b.entry.type) return false;
  if (a.entry.type !== "person")
    return (
      a.words.length === b.words.length &&
      a.words.every((w, i) => sameWord(w, b.words[i]!))
    );
  if (!sameWord(a.surname, b.surname)) return false;
  if (a.given && b.given)
    return (
      sameWord(a.given, b.given) || firstSound(a.given) === firstSound(b.given)
    );
  return true;
}

/** One word in two forms: equal stems in one script, spelled alike across scripts. */
function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const [sa, sb] = [scriptOf(a), scriptOf(b)];
  if (sa === sb) return stems(a).some((s) => stems(b).includes(s));
  if (sa === "latin") return spelledBy(a, b);
  if (sb === "latin") return spelledBy(b, a);
  return false;
}

// A Latin word spells a Cyrillic or Arabic one, as it stands or without its case ending.
function spelledBy(latin: string, word: string): boolean {
  return [word, ...stems(word)].some((w) => spells(latin, w));
}

// Grouping compares each name with every other of its bucket: a word's stems and first sound
// are worked out once (2.1 s of a warm start at 100,000 synthetic statements without this, 0.7 s with).
const stems = once((word: string): string[] => {
  const script = scriptOf(word);
  if (script === "cyrillic") {
    // A Russian and a Ukrainian form of one name meet in a romanization (`зеленский`,
    // `зеленський` → `zelenskiy`).
    const out = ["ru", "uk"].map((l) => stemmerFor(l)!.stem(word, () => false));
    return [...out, ...romanize(word)];
  }
  if (script === "latin") return [stemmerFor("en")!.stem(word, () => false)];
  return [word];
});

const firstSound = once((word: string) => soundKeys(word)[0]?.[0] ?? "");

/** `f` remembered per word, in the project's one LRU: at most 100,000 words. */
function once<T>(f: (word: string) => T): (word: string) => T {
  const known = new Lru<string, T>({ entries: 100_000 });
  return (word) => {
    let value = known.get(undefined, word);
    if (value === undefined) known.set(undefined, word, (value = f(word)));
    return value;
  };
}

/**
 * The people most often named in the same statements as `person` (a group's name), most
 * often first (ties by name), with the statements they share; `canonical` maps a
 * statement's form of a name to its group's name.
 */
export function namedTogether(
  person: string,
  statements: Iterable<Entities>,
  canonical: (name: string) => string = (name) => name,
  limit = 10,
): { name: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const e of statements) {
    const people = new Set(e.person.map(canonical));
    if (!people.has(person)) continue;
    for (const other of people)
      if (other !== person) counts.set(other, (counts.get(other) ?? 0) + 1);
  }
  return [...counts]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1))
    .slice(0, limit);
}
