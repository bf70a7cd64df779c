/**
 * People, places and organisations named in a statement (issue 26). Pure; run at ingest.
 *
 * The method is the one that measured best on 50 hand-checked statements in English, Russian
 * and Ukrainian (`scripts/eval/entities/`, figures in `docs/analysis.md`): capitalised
 * sequences read with the one tokenizer, typed by what stands around them. In order:
 * - countries in every language `i18n-iso-countries` knows (`Україна`, `Российскую Федерацию`,
 *   `United States`), with regions and seas from a short list: places, named by their
 *   English name, so every script's form of a country is one place;
 * - a head noun (`Ministry`, `Council`, `совет`, `рада`) makes an organisation, with the
 *   `of …` or lower-case words after it that complete its name (`Ministry of Social Policy`,
 *   `Организация американских государств`), and an all-capital word (`NATO`, `РНБО`) is one;
 * - a title (`President`, `министр`, `пан`) makes the name after it a person's, and so does a
 *   patronymic (`Андрей Рэмович`); a name of two or three capitalised words is a person's;
 * - a capitalised word after a preposition of place (`in Beijing`, `у Києві`) is a place;
 * - once typed, a name's other forms in the statement (`Zelenskyy` for `Volodymyr
 *   Zelenskyy`, `Путина` for `Путин`) are the same entity.
 * What only looks like a name is left out: a word the statement also writes in lower case
 * (`Climate Change`), an office's field (`Secretary of State`), shouted capitals (`NOW,
 * THEREFORE`), dates, a head alone (`the Government`).
 * Scripts without capitals (Chinese, Arabic) get the country list only.
 */
import { createRequire } from "node:module";
import {
  ADJECTIVE_TITLES,
  BODIES,
  CONNECTORS,
  ORG_HEADS,
  OTHER_HEADS,
  PLACE_NOUNS,
  PLACE_OPENERS,
  PLACE_PREPOSITIONS,
  REGIONS,
  STATE_WORDS,
  TITLES,
} from "./entity-words.ts";
import { isWeekday, monthNumber } from "./date-words.ts";
import { normalizeTerm } from "./fold.ts";
import { scriptOf, stemmerFor } from "./stemmers.ts";
import { stopWords } from "./stopwords.ts";
import { forEachWord, tokenize } from "./terms.ts";

export type EntityType = "person" | "place" | "org";

/** The names a statement holds, each once, in canonical form. */
export interface Entities {
  person: string[];
  place: string[];
  org: string[];
}

/** One entity of a statement: its canonical name and the forms the text gave it. */
export interface Entity {
  type: EntityType;
  name: string;
  forms: string[];
}

/** The entities of a statement, as `Statement.entities` holds them. */
export function entitiesOf(
  text: string,
  lang?: string,
  stats?: CaseStats,
): Entities {
  const out: Entities = { person: [], place: [], org: [] };
  for (const e of findEntities(text, lang, stats)) out[e.type].push(e.name);
  return out;
}

// Words and their folded form, stems, capitalisation and what stands before them.
interface Word {
  /** The text the word is in, and where: `raw` cuts the word out when it is needed. */
  src: string;
  from: number;
  to: number;
  term: string;
  /** Its stems, made when first asked for (`stemsOfWord`). */
  stems?: string[];
  cap: boolean;
  upper: boolean;
  /** At the start of a sentence or line, or in a title-case line: its capital says little. */
  weak: boolean;
  /** At the start of a sentence or line. */
  start: boolean;
  /** Capitalised here but a common word in the archive (`caseStats`). */
  common?: boolean;
  /** The characters between the previous word and this one. */
  gap: string;
  /** In capitals beside other words in capitals: shouted, not an acronym. */
  shout?: boolean;
  /** Written `Sullivan's`: `to` leaves the ending out, and the name ends here. */
  possessive?: boolean;
}

interface Mention {
  type: EntityType;
  words: Word[];
  /** Set for a country or region: its English name. */
  name?: string;
}

/**
 * How the archive writes each word inside sentences: capitalised or not. A word written in
 * lower case as often as capitalised is a common word, not a name, wherever it stands
 * (`Темы`, `Анонс` in a site's page furniture); a word never written in lower case is a
 * name even at the start of a sentence.
 */
export interface CaseCounts {
  capital: number;
  lower: number;
}
export type CaseStats = (term: string) => CaseCounts | undefined;

/** Counts, over texts, how often each word is capitalised and in lower case inside sentences. */
export function caseStats(texts: Iterable<string>): CaseStats {
  const counts = new Map<string, CaseCounts>();
  for (const text of texts) countCase(readWords(text), counts);
  return (term) => counts.get(term);
}

function countCase(words: Word[], counts: Map<string, CaseCounts>): void {
  for (const w of words) {
    if (w.start || w.upper || w.weak) continue;
    let c = counts.get(w.term);
    if (!c) counts.set(w.term, (c = { capital: 0, lower: 0 }));
    if (w.cap) c.capital++;
    else c.lower++;
  }
}

// One statement's counts, for when the archive's are not known (ingest reads one statement
// at a time). They mark fewer words common, as a short text writes few words both ways.
function ownStats(words: Word[]): CaseStats {
  // Only the words it capitalises are asked about: most of a long text is not counted.
  const counts = new Map<string, CaseCounts>();
  for (const w of words)
    if (w.cap) {
      let c = counts.get(w.term);
      if (!c) counts.set(w.term, (c = { capital: 0, lower: 0 }));
      if (!w.start && !w.upper && !w.weak) c.capital++;
    }
  if (counts.size > 0)
    for (const w of words)
      if (!w.cap && !w.start && !w.weak) {
        const c = counts.get(w.term);
        if (c) c.lower++;
      }
  return (term) => {
    const c = counts.get(term);
    return c && c.capital + c.lower > 0 ? c : undefined;
  };
}

const raw = (w: Word) => w.src.slice(w.from, w.to);

function isCapital(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  if (c < 0x80) return c >= 65 && c <= 90;
  const wide = c >= 0xd800 && c < 0xdc00;
  return CAPITAL.test(wide ? text.slice(at, at + 2) : text[at]!);
}

/** Every entity of a text, in order of first mention; `stats` from `caseStats` when known. */
export function findEntities(
  text: string,
  lang?: string,
  stats?: CaseStats,
): Entity[] {
  const words = readWords(text);
  // Without the archive's counts, the statement's own: a speech that writes `climate change`
  // in lower case does not make a person of its `Climate Change`.
  stats ??= ownStats(words);
  for (const w of words) {
    const c = stats(w.term);
    if (!c || !w.cap || w.upper) continue;
    if (c.lower >= c.capital && !isIn(TITLE_SET, w) && !isIn(ORG_SET, w))
      w.common = true;
    else if (c.capital >= 3 && c.lower * 10 < c.capital)
      w.weak = w.start = false;
  }
  const taken = new Uint8Array(words.length);
  const mentions: Mention[] = [];
  findPlaces(words, taken, mentions, lang);
  findNames(words, taken, mentions, lang);
  // A head alone (`the Government`, `the Council`) refers to an organisation without naming
  // it; one it grew into (`Министерство иностранных дел`) stays.
  return group(
    mentions.filter(
      (m) =>
        !(m.type === "org" && m.words.length === 1 && isHeadAlone(m.words[0]!)),
    ),
  );
}

// Read over the gap with each run of white space made one character (a new line where the run
// holds one), so the pattern takes bounded steps however long the gap: `\s*` at both ends of
// an alternation, over a long run of spaces, backtracks without end.
const SENTENCE_START =
  /(?:[.!?…:;]["»”’'")]? ?["«“„'(]?|\n(?:[-–—•*] ?)?["«“„'(]?) ?$/;
const SPACES = /\s+/g;

function startsSentence(gap: string): boolean {
  return SENTENCE_START.test(
    gap.replace(SPACES, (run) => (run.includes("\n") ? "\n" : " ")),
  );
}
const CAPITAL = /^\p{Lu}/u;
// Any length, where `upper` (an acronym's mark) stops at eight letters.
const inCapitals = (w: Word) => w.upper || (w.cap && UPPER.test(raw(w)));
const POSSESSIVE = /\p{L}['’]s$/u;
const UPPER = /^\p{Lu}[\p{Lu}\d]+$/u;

function readWords(text: string): Word[] {
  // Most words are lower case and follow one space: for them nothing is cut from the text,
  // so a long statement's words make little garbage.
  const words: Word[] = [];
  let prevEnd = 0;
  forEachWord(text, (w, from, to, plain) => {
    const term = plain ? w.toLowerCase() : normalizeTerm(w);
    if (!term) return;
    const gap =
      from === prevEnd + 1 && text.charCodeAt(prevEnd) === 32
        ? " "
        : text.slice(prevEnd, from);
    prevEnd = to;
    const cap = isCapital(text, from);
    const start = words.length === 0 || (gap !== " " && startsSentence(gap));
    const word: Word = {
      src: text,
      from,
      to,
      term,
      cap,
      upper: false,
      weak: start,
      start,
      gap,
    };
    if (cap && to - from <= 8) word.upper = UPPER.test(w);
    if (cap && POSSESSIVE.test(w)) {
      word.possessive = true;
      word.to -= 2;
      word.term = normalizeTerm(w.slice(0, -2));
    }
    words.push(word);
  });
  // Words in capitals beside others in capitals on one line (`NOW, THEREFORE`, `IN WITNESS
  // WHEREOF`) are shouted, not acronyms: their capitals say nothing.
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!w.upper) continue;
    const prev = words[i - 1];
    const next = words[i + 1];
    if (
      (prev && inCapitals(prev) && !w.gap.includes("\n")) ||
      (next && inCapitals(next) && !next.gap.includes("\n"))
    )
      w.shout = w.weak = true;
  }
  // A line whose words are mostly capitalised (a headline, `Readout of President Biden's
  // Meeting`) says nothing by its capitals either.
  let from = 0;
  for (let i = 0; i <= words.length; i++) {
    if (i < words.length && (i === from || !words[i]!.gap.includes("\n")))
      continue;
    let caps = 0;
    let open = 0;
    for (let k = from; k < i; k++) {
      if (CONNECTOR_SET.has(words[k]!.term)) continue;
      open++;
      if (words[k]!.cap) caps++;
    }
    if (open >= 4 && open <= 20 && caps >= 0.7 * open)
      for (let k = from; k < i; k++) words[k]!.weak = true;
    from = i;
  }
  return words;
}

const NO_STEMS: string[] = [];

// Folded forms and stems of the word lists, made once.
const stemmedSet = (list: readonly string[]) => {
  const set = new Set<string>();
  for (const w of list) {
    const term = normalizeTerm(w);
    set.add(term);
    for (const s of stemsOf(term)) set.add(s);
  }
  return set;
};
const TITLE_SET = stemmedSet(TITLES);
const ORG_SET = stemmedSet(ORG_HEADS);
const OTHER_SET = stemmedSet(OTHER_HEADS);
const BODY_SET = stemmedSet(BODIES);
const ADJECTIVE_TITLE_SET = new Set(ADJECTIVE_TITLES);
const OPENER_SET = new Set(PLACE_OPENERS);
const PREPOSITION_SET = new Set(PLACE_PREPOSITIONS.map(normalizeTerm));
const CONNECTOR_SET = new Set(CONNECTORS.map(normalizeTerm));
const OFFICE_OF = new Set(["of", "for"]);
const STATE_SET = stemmedSet(STATE_WORDS);
const PLACE_NOUN_SET = stemmedSet(PLACE_NOUNS);

const isIn = (set: ReadonlySet<string>, w: Word) =>
  set.has(w.term) || stemsOfWord(w).some((s) => set.has(s));

// Stemming every word of a long text costs more than all the rest: only words that are
// looked up are stemmed, once.
const stemsOfWord = (w: Word) => (w.stems ??= stemsOf(w.term));

const PATRONYMIC =
  /(?:ович|евич|ьевич|йович|івич|овна|евна|івна|ївна|ична|ич)(?:а|у|ем|ом|і|ої|ою|ій|е)?$/;

/**
 * The stems a name's word may be matched by: Cyrillic by both Russian and Ukrainian rules.
 * Latin words are matched as written (the word lists hold their forms): an English stem makes
 * `Indeed` of `India`.
 */
function stemsOf(term: string): string[] {
  if (scriptOf(term) !== "cyrillic") return NO_STEMS;
  const out: string[] = [];
  for (const l of ["ru", "uk"]) {
    const s = stemmerFor(l)?.stem(term, () => false);
    if (s && !out.includes(s)) out.push(s);
  }
  return out;
}

// Countries and regions

interface Place {
  name: string;
  /**
   * The languages whose names give this form, when not English: German's `Island` (Iceland)
   * is not a place in an English statement.
   */
  langs?: Set<string>;
}

let places: Map<string, Place> | undefined;
const firstWords = new Set<string>();
const LONGEST_PLACE = 6;

// The languages whose country names are read: the archive's common ones.
const COUNTRY_LANGUAGES = [
  "en",
  "ru",
  "uk",
  "be",
  "es",
  "fr",
  "de",
  "it",
  "pt",
  "pl",
  "ar",
  "zh",
  "tr",
];

/** Country and region names by the stems of their words, each to its English name. */
function placeIndex(): Map<string, Place> {
  if (places) return places;
  const require = createRequire(import.meta.url);
  type Names = { countries: Record<string, string | string[]> };
  const english = require("i18n-iso-countries/langs/en.json") as Names;
  const index = new Map<string, Place>();
  const add = (form: string, name: string, lang = "en") => {
    for (const key of keysOf(tokenize(form).map((t) => t.term))) {
      const place = index.get(key);
      if (!place)
        index.set(key, {
          name,
          ...(lang === "en" ? {} : { langs: new Set([lang]) }),
        });
      else if (lang === "en") delete place.langs;
      else place.langs?.add(lang);
    }
    // The first words of names, so that most capitalised words are passed over at once.
    const terms = tokenize(form).map((t) => t.term);
    if (terms[0]) for (const k of keysOf([terms[0]])) firstWords.add(k);
  };
  for (const [name, ...forms] of REGIONS)
    for (const form of [name!, ...forms]) add(form, name!);
  for (const lang of COUNTRY_LANGUAGES) {
    const names = (require(`i18n-iso-countries/langs/${lang}.json`) as Names)
      .countries;
    for (const [code, value] of Object.entries(names)) {
      const en = english.countries[code];
      const name = Array.isArray(en)
        ? ([...en]
            .filter((n) => n.length > 3 && !n.includes("."))
            .sort((a, b) => a.length - b.length)[0] ?? en[0]!)
        : en!;
      for (const form of Array.isArray(value) ? value : [value])
        // `КНР (Китайская Народная Республика)`: both are names.
        for (const part of namesIn(form)) add(part, name, lang);
    }
  }
  places = index;
  return index;
}

// `КНР (Китайская Народная Республика)` gives two names; `Cocos (Keeling) Islands` one.
function namesIn(form: string): string[] {
  const open = form.indexOf("(");
  return open > 0 && form.endsWith(")")
    ? [form.slice(0, open).trim(), form.slice(open + 1, -1).trim()]
    : [form.replace(/[()]/g, "")];
}

/** Lookup keys of a run of folded words: the stems by each rule, and the words themselves. */
function keysOf(terms: string[]): string[] {
  // Latin names are matched as written: an English stem makes `Indeed` of `India`.
  const per = terms.map((t) => [t, ...stemsOf(t)]);
  const keys = new Set<string>();
  for (let v = 0; v < 3; v++)
    keys.add(
      per.map((options) => options[Math.min(v, options.length - 1)]).join(" "),
    );
  return [...keys];
}

function findPlaces(
  words: Word[],
  taken: Uint8Array,
  mentions: Mention[],
  lang?: string,
): void {
  const index = placeIndex();
  const known = lang !== undefined && COUNTRY_LANGUAGES.includes(lang);
  const inLanguage = (place: Place | undefined) =>
    place && (!place.langs || !known || place.langs.has(lang!));
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const caseless =
      scriptOf(w.term) === "other" || scriptOf(w.term) === "arabic";
    if (!w.cap && !caseless) continue;
    if (!keysOf([w.term]).some((k) => firstWords.has(k))) continue;
    for (let n = Math.min(LONGEST_PLACE, words.length - i); n >= 1; n--) {
      const run = words.slice(i, i + n);
      if (run.slice(1).some((x) => /[,.;:!?()\n]/.test(x.gap))) continue;
      // A name in a capitalised script ends on a capital (`United States`, not `United States of`).
      if (!caseless && !run[n - 1]!.cap && !run[n - 1]!.upper) continue;
      const place = keysOf(run.map((x) => x.term))
        .map((k) => index.get(k))
        .find(inLanguage);
      if (!place) continue;
      // `Republic of Azerbaijan`, `Республики Беларусь`: the state word belongs to the name.
      let from = i;
      if (
        from > 0 &&
        isIn(CONNECTOR_SET, words[from - 1]!) &&
        from > 1 &&
        isIn(STATE_SET, words[from - 2]!)
      )
        from -= 2;
      else if (
        from > 0 &&
        isIn(STATE_SET, words[from - 1]!) &&
        words[from - 1]!.cap
      )
        from -= 1;
      mentions.push({
        type: "place",
        words: words.slice(from, i + n),
        name: place.name,
      });
      taken.fill(1, from, i + n);
      i += n - 1;
      break;
    }
  }
}

// Names: capitalised runs typed by the words around them

function findNames(
  words: Word[],
  taken: Uint8Array,
  mentions: Mention[],
  lang?: string,
): void {
  const stop = stopWords(lang);
  let i = 0;
  // A title cues the next name, across connectors and a few lower-case words (`министр
  // обороны Андрей Белоусов`), not across a sentence's end.
  let cue = 0;
  // After a title's `of` or `for` (`Secretary of State`, `Minister for Trade`), the next run
  // begins with the office's field; a name may follow it in the same run.
  let office = false;
  while (i < words.length) {
    const w = words[i]!;
    if (cue > 0 && (w.start || /[.!?;]/.test(w.gap))) cue = 0;
    if (taken[i] || !(w.cap || w.upper)) {
      const of = !taken[i] && OFFICE_OF.has(w.term);
      if (of) {
        office = cue > 0;
        cue = 0;
      } else if (taken[i] && office) {
        // The field was a place (`President of Ukraine Volodymyr Zelensky`): the name follows.
        office = false;
        cue = 4;
        i++;
        continue;
      } else if (taken[i] || !isIn(CONNECTOR_SET, w)) office = false;
      if (!taken[i] && isIn(TITLE_SET, w)) cue = 4;
      else if (!of && !isIn(CONNECTOR_SET, w))
        // A Latin-script name follows its title at once (`President Biden`); Russian and
        // Ukrainian put the office's words between (`министр обороны Андрей Белоусов`).
        cue = scriptOf(w.term) === "latin" ? 0 : Math.max(0, cue - 1);
      i++;
      continue;
    }
    const field = office;
    office = false;
    // A run of capitalised words, joined by spaces or hyphens, without a leading article.
    let j = i + 1;
    while (
      j < words.length &&
      !taken[j] &&
      (((words[j]!.cap || words[j]!.upper) &&
        (/^[ \u00a0]*$|^-$/.test(words[j]!.gap) ||
          // An initial: `Michael F. Gerber`.
          (/^\.[ \u00a0]*$/.test(words[j]!.gap) &&
            /^\p{Lu}$/u.test(raw(words[j - 1]!))))) ||
        // A hyphened given name's second part, after two capitalised words (`Ban Ki-moon`,
        // `Moon Jae-in`).
        (words[j]!.gap === "-" && j - i >= 2 && words[j - 1]!.cap))
    )
      j++;
    // `The`, `In`, `As` opening a sentence are not part of a name.
    let from = i;
    while (
      from < j - 1 &&
      (isIn(CONNECTOR_SET, words[from]!) || stop.has(words[from]!.term))
    )
      from++;
    const opened = from;
    // Common words at a run's edges are not names (`Темы`, `Анонс`), unless the run names an
    // organisation, whose words are common words (`Security Council`).
    const end = j;
    if (!words.slice(from, j).some((x) => isIn(ORG_SET, x))) {
      while (from < j && words[from]!.common) from++;
      while (j > from && words[j - 1]!.common) j--;
    }
    if (from === j) {
      i = end;
      cue = 0;
      continue;
    }
    const before = words[from - 1];
    const afterPlaceWord =
      before !== undefined &&
      isIn(PREPOSITION_SET, before) &&
      !words[from]!.start;
    // `Курской области`, `Odesa region`: a capitalised word before a word of place.
    const next = words[j];
    if (
      j === from + 1 &&
      next &&
      !taken[j] &&
      !next.cap &&
      isIn(PLACE_NOUN_SET, next) &&
      !/[,.;:]/.test(next.gap)
    ) {
      mentions.push({ type: "place", words: words.slice(from, j + 1) });
      i = j + 1;
      cue = 0;
      continue;
    }
    const open = splitRun(
      words.slice(from, j),
      mentions,
      cue > 0,
      afterPlaceWord,
      field && from === opened,
    );
    cue = open ? 4 : 0;
    // An organisation's name goes on over `of the …` (`Ministry of Social Policy`) and, in
    // Russian and Ukrainian, over the lower-case words after its head (`Организация
    // американских государств`).
    i = extendOrg(words, taken, mentions, j);
    if (i === j && j === from + 1) i = lowerHead(words, taken, mentions, from);
    if (i <= from) i = j;
    if (i < end && i <= j) i = end;
  }
}

/**
 * A Russian or Ukrainian organisation whose head is written in lower case after capitalised
 * or lower-case adjectives (`Международного олимпийского комитета`, `Збройних Сил`): from
 * the capitalised word at `i`, up to three words to the head. Returns where to go on.
 */
function lowerHead(
  words: Word[],
  taken: Uint8Array,
  mentions: Mention[],
  i: number,
): number {
  const first = words[i]!;
  if (scriptOf(first.term) !== "cyrillic" || isIn(ORG_SET, first)) return i + 1;
  for (let k = i + 1; k < words.length && k <= i + 3; k++) {
    const w = words[k]!;
    if (taken[k] || /[,.;:!?()\n«»"“”]/.test(w.gap) || w.upper) break;
    if (isIn(ORG_SET, w)) {
      // The org just typed from the capitalised word alone is this one.
      const last = mentions[mentions.length - 1];
      if (last && last.words.length === 1 && last.words[0] === first)
        mentions.pop();
      mentions.push({ type: "org", words: words.slice(i, k + 1) });
      return extendOrg(words, taken, mentions, k + 1);
    }
    if (w.cap && !isIn(ORG_SET, w)) break;
  }
  return i + 1;
}

/**
 * Types the parts of one capitalised run: an organisation's head closes it, a title cues the
 * name after it, a patronymic or a possessive closes a person's name. Returns whether a cue
 * is still open.
 */
function splitRun(
  run: Word[],
  mentions: Mention[],
  cue: boolean,
  afterPlaceWord: boolean,
  field: boolean,
): boolean {
  let part: Word[] = [];
  const close = () => {
    if (part.length > 0) {
      typePart(field ? afterField(part) : part, mentions, cue, afterPlaceWord);
      cue = field = false;
    }
    part = [];
  };
  for (let k = 0; k < run.length; k++) {
    const w = run[k]!;
    const next = run[k + 1];
    // A title, unless an organisation's head follows (`General Staff`).
    if (
      isIn(TITLE_SET, w) &&
      !w.upper &&
      !(next && isIn(ORG_SET, next)) &&
      !(ADJECTIVE_TITLE_SET.has(w.term) && run.length - k < 3)
    ) {
      if (part.some((x) => isIn(ORG_SET, x))) close();
      part = [];
      cue = true;
      continue;
    }
    part.push(w);
    if (isIn(OTHER_SET, w)) {
      // `Izmail Sports Palace`, `Olympic Winter Games`: the name of something else.
      part = [];
      cue = false;
      continue;
    }
    if (isIn(ORG_SET, w) && !w.upper && next && !isIn(ORG_SET, next)) {
      mentions.push({ type: "org", words: part });
      part = [];
      // The organisation was the office's field (`of the Security Council Dmitry Medvedev`).
      cue = field = false;
    } else if (PATRONYMIC.test(w.term) && part.length >= 2) {
      const name = part.splice(Math.max(0, part.length - 3));
      close();
      mentions.push({ type: "person", words: name });
      cue = false;
    } else if (w.possessive) close();
  }
  close();
  return cue;
}

/**
 * The name after an office's field in one run (`Transport Sergei Ivanov`, `State Antony J.
 * Blinken`): the surname, its initials and one given name. A run of two or fewer is the
 * field alone (`Homeland Security`).
 */
function afterField(part: Word[]): Word[] {
  if (part.length <= 2) return [];
  let k = part.length - 2;
  while (k > 0 && part[k]!.to - part[k]!.from === 1) k--;
  return part.slice(k);
}

// Endings of Russian and Ukrainian surnames, in any case (`Путина`, `Лавровым`, `Шевченко`).
const SURNAME =
  /(?:ов|ев|ёв|ин|ын|ск|цк|енк|ук|юк|чук|ян|швил|дзе|ич|ко|ський|ский|цкий|цький)(?:а|у|ым|им|ом|е|ой|ого|ому|ою|ій|ий|і|ая|ої|о)?$/;

function typePart(
  part: Word[],
  mentions: Mention[],
  cue: boolean,
  afterPlaceWord: boolean,
): void {
  // `When I`: a pronoun or an initial ends no name.
  if (
    part.length > 1 &&
    part[part.length - 1]!.to - part[part.length - 1]!.from === 1
  )
    part = part.slice(0, -1);
  const last = part[part.length - 1];
  if (!last || isIn(OTHER_SET, last)) return;
  // `I` or an initial alone names no one.
  if (part.length === 1 && last.to - last.from === 1) return;
  if (part.some((w) => isIn(ORG_SET, w) && !w.upper)) {
    mentions.push({ type: "org", words: part });
    return;
  }
  if (
    part.length === 1 &&
    last.upper &&
    !last.shout &&
    /\p{L}{2}/u.test(raw(last)) &&
    !/^[IVXLC]+$/.test(raw(last))
  ) {
    mentions.push({ type: "org", words: part });
    return;
  }
  if (part.some((w) => isDemonym(w))) return;
  // Not a person's name: one with a state's word or a title in it (`Member States`,
  // `General Provisions`), one opening like a place's (`North Carolina`, `Central`), words
  // of joining alone (`OF THE`).
  if (
    part.some((w) => isIn(STATE_SET, w) || isIn(TITLE_SET, w)) ||
    part.every((w) => isIn(CONNECTOR_SET, w)) ||
    // `Nagorno-Karabakh`, `Aghdam-Shusha`: one hyphened word names a place or a thing.
    (part.length >= 2 && part.slice(1).every((w) => w.gap === "-")) ||
    OPENER_SET.has(part[0]!.term)
  )
    return;
  if (cue && part.length <= 5) {
    mentions.push({ type: "person", words: part });
    return;
  }
  const cyrillic = scriptOf(last.term) === "cyrillic";
  if (
    part.length >= 2 &&
    part.length <= 4 &&
    !part.every((w) => w.weak) &&
    (!cyrillic ||
      part.some((w) => SURNAME.test(w.term) || PATRONYMIC.test(w.term)))
  ) {
    mentions.push({ type: "person", words: part });
    return;
  }
  // `in June`, `on Monday`: a date, not a place or a person.
  if (part.length === 1 && isDateWord(last.term)) return;
  if (part.length === 1 && afterPlaceWord) {
    mentions.push({ type: "place", words: part });
    return;
  }
  // Alone and untyped: a name only if the statement names it elsewhere (see `group`).
  if (part.length === 1 && !last.weak)
    mentions.push({ type: "person", words: part, name: "?" });
}

const isHeadAlone = (w: Word) =>
  !w.upper && isIn(ORG_SET, w) && !isIn(BODY_SET, w);
const isDateWord = (term: string) =>
  isWeekday(term) || monthNumber(term) !== undefined;

// An adjective of a country or region (`Ukrainian`, `Azerbaijani`, `Chinese`): not a name.
function isDemonym(w: Word): boolean {
  if (w.term.length < 5 || scriptOf(w.term) !== "latin") return false;
  const stems = demonymStems();
  for (let n = 4; n < w.term.length; n++)
    if (stems.has(w.term.slice(0, n))) return true;
  return false;
}
let demonyms: Set<string> | undefined;
function demonymStems(): Set<string> {
  if (demonyms) return demonyms;
  const require = createRequire(import.meta.url);
  type Names = { countries: Record<string, string | string[]> };
  const english = (require("i18n-iso-countries/langs/en.json") as Names)
    .countries;
  demonyms = new Set(
    [...Object.values(english).flat(), ...REGION_NAMES]
      .filter((n) => /^[A-Za-z]+$/.test(n) && n.length >= 5)
      .map((n) => n.toLowerCase().replace(/[aeiouy]$/, "")),
  );
  return demonyms;
}

const CYRILLIC_STOP = new Set([...stopWords("ru"), ...stopWords("uk")]);
// Russian and Ukrainian verb endings: infinitive, reflexive, past, present (not `-ости`,
// `безопасности`, a noun's).
const VERB =
  /(?:ть|ться|тися|(?<!с)ти|ся|сь|ла|ло|ли|ив|ал|ил|ена|ено|ены|ана|ано|ує|ює|ає|ять|ить|ать)$/;

// Words of a Russian or Ukrainian organisation's name after its head, at most this many.
const ORG_TAIL = 6;

function extendOrg(
  words: Word[],
  taken: Uint8Array,
  mentions: Mention[],
  j: number,
): number {
  const org = mentions[mentions.length - 1];
  if (
    !org ||
    org.type !== "org" ||
    org.words[org.words.length - 1] !== words[j - 1]
  )
    return j;
  // An acronym is a whole name (`ЄС тепер …`).
  if (org.words.length === 1 && org.words[0]!.upper) return j;
  const latin = scriptOf(org.words[0]!.term) === "latin";
  let k = j;
  const tail: Word[] = [];
  while (k < words.length && tail.length < ORG_TAIL && (!taken[k] || latin)) {
    const w = words[k]!;
    if (/[,.;:!?()\n«»"“”]/.test(w.gap)) break;
    if (latin) {
      // `of the Armed Forces`: connectors, then capitalised words.
      if (!isIn(CONNECTOR_SET, w)) break;
      let m = k;
      while (m < words.length && isIn(CONNECTOR_SET, words[m]!)) m++;
      if (m >= words.length || !(words[m]!.cap || taken[m]) || words[m]!.start)
        break;
      let e = m;
      while (
        e < words.length &&
        (words[e]!.cap || taken[e]) &&
        (e === m || /^[ \u00a0]*$|^-$/.test(words[e]!.gap)) &&
        // A place ends it (`of Ukraine` | `Andriy Yermak`), and so does a head with more
        // capitals after it (`of the Armed Forces` | `Valery Gerasimov`).
        !(e > m && taken[e - 1] && !taken[e]) &&
        !(e > m && isIn(ORG_SET, words[e - 1]!) && !isIn(ORG_SET, words[e]!))
      )
        e++;
      tail.push(...words.slice(k, e));
      k = e;
      continue;
    }
    if (w.cap) {
      // Only after `при`, `по`: `Совет при Президенте`.
      if (!tail.length || !isIn(CONNECTOR_SET, tail[tail.length - 1]!)) break;
      tail.push(w);
      k++;
      continue;
    }
    if (isIn(TITLE_SET, w) || isIn(PREPOSITION_SET, w)) break;
    // The name's words are nouns and adjectives: a verb, an adverb or a number begins the
    // sentence's own words (`Уряд вже уповноважив`, `Комиссия образована`).
    if (
      !isIn(CONNECTOR_SET, w) &&
      (CYRILLIC_STOP.has(w.term) || /\d/.test(w.term) || VERB.test(w.term))
    )
      break;
    tail.push(w);
    k++;
  }
  while (tail.length && isIn(CONNECTOR_SET, tail[tail.length - 1]!)) tail.pop();
  if (tail.length) {
    org.words = [...org.words, ...tail];
    return j + tail.length;
  }
  return j;
}

// Grouping: one entity per name, its forms gathered

function group(mentions: Mention[]): Entity[] {
  type Group = Entity & {
    keys: Set<string>;
    surname?: string;
    counts: Map<string, number>;
  };
  const out: Group[] = [];
  const formOf = (m: Mention) =>
    m.words
      .map((w, k) => (k === 0 ? "" : w.gap === "-" ? "-" : " ") + raw(w))
      .join("");
  const keyOf = (m: Mention) =>
    m.words.map((w) => stemsOfWord(w)[0] ?? w.term).join(" ");
  const surnameOf = (m: Mention) => {
    const ws = m.words.filter((w) => !/^\p{Lu}\.?$/u.test(raw(w)));
    if (ws.length === 0) return undefined;
    // `Белоусов Андрей Рэмович`: the surname comes first when a patronymic ends the name.
    const s =
      PATRONYMIC.test(ws[ws.length - 1]!.term) && ws.length >= 3
        ? ws[0]!
        : ws[ws.length - 1]!;
    return stemsOfWord(s)[0] ?? s.term;
  };
  const add = (m: Mention, into?: (typeof out)[number]) => {
    const form = formOf(m);
    const e =
      into ??
      (() => {
        const fresh: Group = {
          type: m.type,
          name: m.name ?? form,
          forms: [],
          keys: new Set<string>(),
          counts: new Map<string, number>(),
        };
        out.push(fresh);
        return fresh;
      })();
    e.keys.add(keyOf(m));
    if (m.type === "person") e.surname ??= surnameOf(m);
    e.counts.set(form, (e.counts.get(form) ?? 0) + 1);
    if (!e.forms.includes(form)) e.forms.push(form);
  };
  // `Later Zelenskyy thanked …`: a sentence's first word before a person named elsewhere
  // with another given name, or none, is not part of the name.
  for (const m of mentions) {
    if (m.type !== "person" || m.words.length < 2 || !m.words[0]!.start)
      continue;
    const rest: Mention = { type: "person", words: m.words.slice(1) };
    const surname = surnameOf(rest);
    const other = mentions.find(
      (o) =>
        o !== m &&
        o.type === "person" &&
        o.name !== "?" &&
        surnameOf(o) === surname &&
        (o.words.length < 2 || o.words[0]!.term !== m.words[0]!.term),
    );
    if (other) m.words = rest.words;
  }
  const typed = mentions.filter((m) => m.name !== "?");
  // Longer names first, so a lone surname finds the full name it belongs to.
  const order = [...typed].sort((a, b) => b.words.length - a.words.length);
  for (const m of order) {
    const key = keyOf(m);
    let into = out.find((e) =>
      m.name && m.name !== "?"
        ? e.name === m.name && e.type === m.type
        : e.type === m.type && e.keys.has(key),
    );
    if (!into && m.type === "person") {
      const s = surnameOf(m);
      into = out.find(
        (e) =>
          e.type === "person" &&
          e.surname === s &&
          (m.words.length === 1 ||
            e.forms.every((f) => f.split(" ").length === 1)),
      );
    }
    if (!into && m.type !== "person" && !m.name)
      into = out.find((e) => e.type === m.type && e.keys.has(key));
    add(m, into);
  }
  // A lone capitalised word is kept when the statement types it elsewhere.
  for (const m of mentions) {
    if (m.name !== "?") continue;
    const key = keyOf(m);
    const stem = stemsOfWord(m.words[0]!)[0] ?? m.words[0]!.term;
    const into = out.find(
      (e) => e.keys.has(key) || (e.type === "person" && e.surname === stem),
    );
    if (into)
      add(
        { ...m, type: into.type, name: undefined as unknown as string },
        into,
      );
  }
  // The canonical form: a country's English name, else the name's fullest form for a person
  // (`Vladimir Putin` rather than `Putin`), then its most used, then its longest.
  const first = new Map(mentions.map((m, i) => [formOf(m), i] as const));
  for (const e of out) {
    if (mentions.some((m) => m.name === e.name && m.type === "place")) continue;
    const words = (form: string) =>
      e.type === "person" ? form.split(" ").length : 0;
    e.name = [...e.counts].sort(
      (a, b) =>
        words(b[0]) - words(a[0]) || b[1] - a[1] || b[0].length - a[0].length,
    )[0]![0];
  }
  return out
    .sort(
      (a, b) => (first.get(a.forms[0]!) ?? 0) - (first.get(b.forms[0]!) ?? 0),
    )
    .map(({ type, name, forms }) => ({ type, name, forms }));
}

const REGION_NAMES = new Set(REGIONS.map((r) => r[0]!));
