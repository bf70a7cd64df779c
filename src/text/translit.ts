/**
 * Names across scripts: a Cyrillic or Arabic word's standard romanizations, and whether a
 * Latin word spells it (`Zelensky` ~ `Зеленский`, `Зеленський`; `Lavrov` ~ `Лавров`,
 * `لافروف`). Pure; works on folded terms (lower case, Arabic letters in one form).
 */

// Russian BGN/PCGN (1947) and Ukraine's national system (2010), without the apostrophes
// for ь and ъ. Where the two differ, the Ukrainian letter's value is the national one.
const BGN: Record<string, string> = {
  а: "a",
  б: "b",
  в: "v",
  г: "g",
  д: "d",
  е: "e",
  ж: "zh",
  з: "z",
  и: "i",
  й: "y",
  к: "k",
  л: "l",
  м: "m",
  н: "n",
  о: "o",
  п: "p",
  р: "r",
  с: "s",
  т: "t",
  у: "u",
  ф: "f",
  х: "kh",
  ц: "ts",
  ч: "ch",
  ш: "sh",
  щ: "shch",
  ъ: "",
  ы: "y",
  ь: "",
  э: "e",
  ю: "yu",
  я: "ya",
  ё: "e",
  і: "i",
  ї: "yi",
  є: "ye",
  ґ: "g",
  ў: "w",
};
const UKRAINIAN: Record<string, string> = {
  ...BGN,
  г: "h",
  и: "y",
  й: "i",
  ї: "i",
  є: "ie",
  ю: "iu",
  я: "ia",
};
// At the start of a word the national system writes є, ї, й, ю, я as ye, yi, y, yu, ya.
const UKRAINIAN_INITIAL: Record<string, string> = {
  є: "ye",
  ї: "yi",
  й: "y",
  ю: "yu",
  я: "ya",
};
// BGN writes е as ye at the start of a word and after a vowel, й, ъ or ь.
const BGN_YE_AFTER = /[аеёиоуыэюяйъьіїє]/;

// A simplified romanization of Arabic (consonants and long vowels, as names are written in
// the press: `محمد` → `mhmd`, `لافروف` → `lafrwf`).
const ARABIC: Record<string, string> = {
  ا: "a",
  ب: "b",
  ت: "t",
  ث: "th",
  ج: "j",
  ح: "h",
  خ: "kh",
  د: "d",
  ذ: "dh",
  ر: "r",
  ز: "z",
  س: "s",
  ش: "sh",
  ص: "s",
  ض: "d",
  ط: "t",
  ظ: "z",
  ع: "",
  غ: "gh",
  ف: "f",
  ق: "q",
  ك: "k",
  ل: "l",
  م: "m",
  ن: "n",
  ه: "h",
  و: "w",
  ي: "y",
  ء: "",
  پ: "p",
  چ: "ch",
  ژ: "zh",
  گ: "g",
  ڤ: "v",
};

/** The script of a folded word, for romanization: Cyrillic, Arabic, or neither. */
export function romanizable(word: string): "cyrillic" | "arabic" | undefined {
  const c = word.charCodeAt(0);
  if (c >= 0x400 && c <= 0x4ff) return "cyrillic";
  if (c >= 0x620 && c <= 0x6ff) return "arabic";
  return undefined;
}

/**
 * The standard romanizations of a folded Cyrillic or Arabic word: BGN/PCGN and Ukraine's
 * national system for Cyrillic (`зеленський` → `zelenskiy`, `zelenskyi`), a simplified one
 * for Arabic. Empty for other words.
 */
export function romanize(word: string): string[] {
  const script = romanizable(word);
  if (script === "arabic")
    return [[...word].map((c) => ARABIC[c] ?? "").join("")];
  if (script !== "cyrillic") return [];
  let bgn = "";
  let ukr = "";
  const letters = [...word];
  letters.forEach((c, i) => {
    const prev = letters[i - 1];
    bgn +=
      c === "е" && (prev === undefined || BGN_YE_AFTER.test(prev))
        ? "ye"
        : (BGN[c] ?? "");
    ukr += (i === 0 ? UKRAINIAN_INITIAL[c] : undefined) ?? UKRAINIAN[c] ?? "";
  });
  return bgn === ukr ? [bgn] : [bgn, ukr];
}

// Every way the press writes each letter: the standard systems and the common English,
// French and German spellings (`й` as y, i, j or nothing; `х` as kh, h or ch).
const CYRILLIC_SPELLINGS: Record<string, readonly string[]> = {
  а: ["a"],
  б: ["b"],
  в: ["v", "w"],
  г: ["g", "h", "gh"],
  ґ: ["g"],
  д: ["d"],
  е: ["e", "ye", "ie", "je"],
  ё: ["e", "yo", "io", "jo"],
  є: ["ye", "ie", "je", "e"],
  ж: ["zh", "j", "z", "g"],
  з: ["z", "s"],
  и: ["i", "y"],
  і: ["i"],
  ї: ["yi", "i", "ji", "ii"],
  й: ["y", "i", "j"],
  к: ["k", "c", "ck"],
  л: ["l"],
  м: ["m"],
  н: ["n"],
  о: ["o"],
  п: ["p"],
  р: ["r"],
  с: ["s", "ss", "c"],
  т: ["t"],
  у: ["u", "ou", "w"],
  ў: ["w", "u"],
  ф: ["f", "ph"],
  х: ["kh", "h", "ch", "x"],
  ц: ["ts", "tz", "c", "z", "tc"],
  ч: ["ch", "tch", "tsch", "c", "cz"],
  ш: ["sh", "sch", "ch", "s"],
  щ: ["shch", "sch", "shtch", "sc", "sh"],
  ъ: [""],
  ы: ["y", "i"],
  ь: [""],
  э: ["e"],
  ю: ["yu", "iu", "ju", "u"],
  я: ["ya", "ia", "ja", "a"],
};
const ARABIC_SPELLINGS: Record<string, readonly string[]> = {
  ا: ["a", "e", "aa", "o"],
  ب: ["b", "p"],
  ت: ["t"],
  ث: ["th", "t", "s"],
  ج: ["j", "g", "dj", "zh"],
  ح: ["h"],
  خ: ["kh", "h", "ch", "x"],
  د: ["d"],
  ذ: ["dh", "z", "th", "d"],
  ر: ["r"],
  ز: ["z"],
  س: ["s", "c"],
  ش: ["sh", "ch", "sch", "s"],
  ص: ["s"],
  ض: ["d", "dh"],
  ط: ["t"],
  ظ: ["z", "dh"],
  ع: ["", "a", "e"],
  غ: ["gh", "g"],
  ف: ["f", "v", "ph"],
  ق: ["q", "k", "g", "c"],
  ك: ["k", "c", "ck", "ch"],
  ل: ["l"],
  م: ["m"],
  ن: ["n"],
  ه: ["h", "a", ""],
  و: ["w", "u", "o", "ou", "oo", "v"],
  ي: ["y", "i", "e", "ee", "ie"],
  ء: [""],
  پ: ["p"],
  چ: ["ch"],
  گ: ["g"],
  ڤ: ["v"],
};
// Arabic letter pairs written as one sound.
const ARABIC_PAIRS: Record<string, readonly string[]> = {
  اي: ["ai", "ay", "ei", "ey", "i", "e", "y"],
  او: ["au", "aw", "o", "ou", "ow", "u"],
  يو: ["yu", "you", "io", "iu", "yo"],
};
const SHORT_VOWEL = /[aeiou]/;
const FINAL_Y = ["y", "i", "j", ""];
// No name is longer; the matching below takes time in the product of two lengths.
const NAME = 40;

/**
 * Whether the Latin word `latin` is a spelling of the folded Cyrillic or Arabic `word`: one
 * of the ways the press writes its letters spells it exactly, or, from nine letters on, but
 * for one edit. Arabic leaves short vowels unwritten, so a Latin vowel may stand where it
 * has no letter (`lavrov` ~ `لافروف`).
 */
export function spells(latin: string, word: string): boolean {
  const script = romanizable(word);
  if (!script || latin.length > NAME || word.length > NAME) return false;
  if (!/^[a-z]+$/.test(latin)) return false;
  if (script === "cyrillic")
    return (
      distance(latin, spellings(word, script), false) <=
      (latin.length <= 8 ? 0 : 1)
    );
  // Arabic writes a foreign name's vowels with long-vowel letters (بايدن, لافروف) and its
  // doubled letters once: one vowel it leaves out is allowed, two from nine letters on; a
  // word with no vowel letter after its first is a native word, not a spelled-out name.
  // Short Latin words meet too many Arabic words this way: five letters spelled exactly.
  // The article is left out in Latin (`Assad` for الأسد).
  const bare = word.startsWith("ال") ? word.slice(2) : word;
  if (latin.length < 5 || !/.[اوي]/.test(bare)) return false;
  const single = latin.replace(/(.)\1/g, "$1");
  const budget = latin.length === 5 ? 0 : single.length <= 8 ? 0.5 : 1;
  return distance(single, spellings(bare, script), true) <= budget;
}

/** Whether some way the press writes the letters of `word` spells `latin`, with no edit. */
export function spellsExactly(latin: string, word: string): boolean {
  const script = romanizable(word);
  if (!script || latin.length > NAME || word.length > NAME) return false;
  if (!/^[a-z]+$/.test(latin)) return false;
  return distance(latin, spellings(word, script), script === "arabic") === 0;
}

// The word as a sequence of letters, each with its possible Latin spellings.
function spellings(
  word: string,
  script: "cyrillic" | "arabic",
): (readonly string[])[] {
  const out: (readonly string[])[] = [];
  for (let i = 0; i < word.length; i++) {
    if (script === "arabic") {
      const pair = ARABIC_PAIRS[word.slice(i, i + 2)];
      if (pair) {
        out.push(pair);
        i++;
        continue;
      }
    }
    const table = script === "arabic" ? ARABIC_SPELLINGS : CYRILLIC_SPELLINGS;
    // A final -ий, -ый, -ій is often written -y alone (`Zelensky`), nowhere else.
    const c = word[i]!;
    if (c === "й" && i === word.length - 1 && /[иыі]/.test(word[i - 1] ?? ""))
      out.push(FINAL_Y);
    else out.push(table[c] ?? [""]);
  }
  return out;
}

/**
 * The fewest edits (a Latin letter added, dropped or changed) that turn some spelling of the
 * letters into `latin`. With `freeVowels`, a Latin vowel with no letter of its own costs half.
 */
function distance(
  latin: string,
  letters: (readonly string[])[],
  freeVowels: boolean,
): number {
  const n = latin.length;
  // best[j]: fewest edits spelling the letters so far as latin[0..j).
  let best = new Array<number>(n + 1).fill(Infinity);
  best[0] = 0;
  const relax = (row: number[]) => {
    for (let j = 1; j <= n; j++) {
      const extra = freeVowels && SHORT_VOWEL.test(latin[j - 1]!) ? 0.5 : 1;
      row[j] = Math.min(row[j]!, row[j - 1]! + extra);
    }
  };
  relax(best);
  for (const options of letters) {
    const next = new Array<number>(n + 1).fill(Infinity);
    for (let j = 0; j <= n; j++) {
      const from = best[j]!;
      if (from === Infinity) continue;
      // The letter left out of the Latin word.
      next[j] = Math.min(next[j]!, from + 1);
      for (const o of options) {
        if (latin.startsWith(o, j))
          next[j + o.length] = Math.min(next[j + o.length]!, from);
        else if (o.length > 0 && j < n)
          // One Latin letter written for it instead.
          next[j + 1] = Math.min(next[j + 1]!, from + 1);
      }
    }
    relax(next);
    best = next;
  }
  return best[n]!;
}

/**
 * Initial letters of the words an archive files for lookup by Latin spellings: Cyrillic а…я
 * and the Ukrainian, Belarusian letters, and the Arabic letters (folded: no hamza forms, no
 * taa marbuta).
 */
export const NAME_INITIALS: readonly string[] = [
  ..."абвгдежзийклмнопрстуфхцчшщъыьэюяієїґў",
  ..."ءابتثجحخدذرزسشصضطظعغفقكلمنهويپچژگڤ",
];

// Fewer consonants than this say too little about a name to file it by them.
const MIN_KEY = 3;

/**
 * The keys a word is filed under, or a Latin word looks names up by: its sound keys long
 * enough to tell names apart. An archive files only words that begin with `NAME_INITIALS`.
 */
export function nameKeys(word: string): string[] {
  return soundKeys(word).filter((key) => key.length >= MIN_KEY);
}

/**
 * Keys under which a word is filed for lookup by a Latin spelling: its consonants by sound
 * class, vowels and glides dropped, repeats merged (`зеленский`, `zelensky` → `SLNSG`). A
 * word and its spellings share a key; an ambiguous letter (Latin `j`, `c`, Arabic `و`) gives
 * more than one.
 */
export function soundKeys(word: string): string[] {
  if (word.length > NAME) return [];
  let keys = [""];
  const add = (choices: readonly string[]) => {
    keys = keys.flatMap((k) =>
      choices.map((c) => (c && k.endsWith(c) ? k : k + c)),
    );
  };
  const script = romanizable(word);
  for (let i = 0; i < word.length; i++) {
    const c = word[i]!;
    if (script === undefined) {
      const two = word.slice(i, i + 2);
      const three = word.slice(i, i + 4);
      if (three === "shch") {
        add(["S"]);
        i += 3;
        continue;
      }
      if (LATIN_PAIRS[two] !== undefined) {
        add([LATIN_PAIRS[two]!]);
        i++;
        continue;
      }
      if (c === "c") add(/[eiy]/.test(word[i + 1] ?? "") ? ["S"] : ["G", "S"]);
      else if (c === "j") add(["S", ""]);
      else add([LATIN_CLASS[c] ?? ""]);
    } else if (c === "و" && script === "arabic") add(["", "V"]);
    else if (c === "ه" && script === "arabic" && i === word.length - 1)
      add(["", "G"]);
    else add([CLASS[c] ?? ""]);
    if (keys.length > 8) keys = keys.slice(0, 8);
  }
  return [...new Set(keys)];
}

const LATIN_PAIRS: Record<string, string> = {
  kh: "G",
  gh: "G",
  ch: "S",
  sh: "S",
  zh: "S",
  ts: "S",
  tz: "S",
  th: "D",
  ph: "V",
  dh: "D",
  ck: "G",
};
const LATIN_CLASS: Record<string, string> = {
  b: "P",
  p: "P",
  v: "V",
  w: "V",
  f: "V",
  g: "G",
  h: "G",
  k: "G",
  q: "G",
  x: "GS",
  d: "D",
  t: "D",
  s: "S",
  z: "S",
  l: "L",
  r: "R",
  m: "M",
  n: "N",
};
const CLASS: Record<string, string> = {
  б: "P",
  п: "P",
  в: "V",
  ф: "V",
  ў: "V",
  г: "G",
  ґ: "G",
  х: "G",
  к: "G",
  д: "D",
  т: "D",
  с: "S",
  з: "S",
  ж: "S",
  ц: "S",
  ч: "S",
  ш: "S",
  щ: "S",
  л: "L",
  р: "R",
  м: "M",
  н: "N",
  ب: "P",
  پ: "P",
  ف: "V",
  ڤ: "V",
  ج: "S",
  ح: "G",
  خ: "G",
  غ: "G",
  ق: "G",
  ك: "G",
  گ: "G",
  ه: "G",
  ت: "D",
  ط: "D",
  د: "D",
  ض: "D",
  ذ: "D",
  ث: "D",
  ز: "S",
  س: "S",
  ش: "S",
  ص: "S",
  ظ: "S",
  چ: "S",
  ژ: "S",
  ل: "L",
  ر: "R",
  م: "M",
  ن: "N",
};
