/**
 * Bounds on a web page's tree before it is parsed: Readability's work grows with the square
 * of the nesting (a 77 KB page of nested tags took 50 s), so tags nested deeper than
 * MAX_DEPTH, and tags past the first MAX_ELEMENTS, are dropped from the markup, their text
 * kept. One scan, tag by tag; it never looks further back than a few open elements.
 */

/** Elements nested deeper than this lose their tags (not their text). */
export const MAX_DEPTH = 128;
/** Elements past this many lose their tags (not their text). */
export const MAX_ELEMENTS = 50_000;

const VOID = new Set(
  "area base br col embed hr img input link meta param source track wbr".split(
    " ",
  ),
);
// Elements a page often leaves open: a new one closes the one before.
const SELF_CLOSING_SIBLINGS = new Set("p li dt dd option tr td th".split(" "));
// Where such an element's siblings end.
const CONTAINERS = new Set("ul ol dl table tbody thead select".split(" "));
const BLOCKS = new Set(
  "address article aside blockquote div dl fieldset footer form h1 h2 h3 h4 h5 h6 header hr main nav ol p pre section table ul".split(
    " ",
  ),
);
// Elements whose content is text, not markup.
const RAW_TEXT = new Set(["script", "style", "textarea", "title", "xmp"]);
// How far back a closing tag looks for its element; a stray one further off is dropped.
const LOOK_BACK = 32;

// A tag from its `<`; attributes run to the next `>` (or `<`, where the tag is not one).
const TAG = /<(\/?)([a-zA-Z][\w:-]{0,63})[^<>]*>/y;

/** The page with its nesting and element count bounded, and what was dropped. */
export function capElements(html: string): {
  html: string;
  deepest: number;
  elements: number;
  dropped: number;
} {
  const out: string[] = [];
  // Each open element: its name and whether its tag was kept.
  const open: { name: string; kept: boolean }[] = [];
  let lower: string | undefined;
  let at = 0;
  let elements = 0;
  let deepest = 0;
  let dropped = 0;
  for (let lt = html.indexOf("<"); lt >= 0; lt = html.indexOf("<", lt + 1)) {
    if (html.startsWith("<!--", lt)) {
      const end = html.indexOf("-->", lt + 4);
      if (end < 0) break;
      lt = end + 2;
      continue;
    }
    TAG.lastIndex = lt;
    const m = TAG.exec(html);
    if (!m) continue;
    const [tag, slash, rawName] = m;
    const name = rawName!.toLowerCase();
    let keep = true;
    if (slash) {
      let k = open.length - 1;
      while (k >= 0 && open.length - k <= LOOK_BACK && open[k]!.name !== name)
        k--;
      if (k < 0 || open[k]!.name !== name) keep = false;
      else {
        keep = open[k]!.kept;
        open.length = k;
      }
    } else {
      elements++;
      // `<li><p>one<li>two`: a new item closes the open one, and what it holds.
      if (SELF_CLOSING_SIBLINGS.has(name))
        for (let k = open.length - 1; k >= Math.max(0, open.length - 4); k--) {
          if (CONTAINERS.has(open[k]!.name)) break;
          if (open[k]!.name === name) {
            open.length = k;
            break;
          }
        }
      // A block closes an open paragraph.
      else if (BLOCKS.has(name) && open[open.length - 1]?.name === "p")
        open.pop();
      const isVoid = VOID.has(name) || tag.endsWith("/>");
      keep = open.length < MAX_DEPTH && elements <= MAX_ELEMENTS;
      if (!isVoid) {
        open.push({ name, kept: keep });
        deepest = Math.max(deepest, open.length);
      }
      if (RAW_TEXT.has(name) && !isVoid) {
        // Its text runs to its closing tag, whatever it holds.
        lower ??= html.toLowerCase();
        const end = lower.indexOf(`</${name}`, lt + tag.length);
        const to = end < 0 ? html.length : end;
        if (!keep) {
          dropped++;
          out.push(html.slice(at, lt));
          at = lt + tag.length;
        }
        lt = to - 1;
        continue;
      }
    }
    if (!keep) {
      dropped++;
      out.push(html.slice(at, lt));
      at = lt + tag.length;
    }
    lt += tag.length - 1;
  }
  if (dropped === 0) return { html, deepest, elements, dropped };
  out.push(html.slice(at));
  return { html: out.join(""), deepest, elements, dropped };
}
