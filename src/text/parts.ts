/**
 * A statement's body in parts of at most `PART_CHARS` characters, so that one huge statement
 * (a 10-million-character transcript) costs a page of bounded size and work: each part is
 * shown, highlighted and numbered on its own, with links to the others.
 */
export const PART_CHARS = 100_000;

/** The body's paragraphs, grouped into parts; a paragraph longer than a part is cut at a space. */
export function bodyParts(body: string, max = PART_CHARS): string[][] {
  const parts: string[][] = [];
  let part: string[] = [];
  let size = 0;
  const flush = () => {
    if (part.length) parts.push(part);
    part = [];
    size = 0;
  };
  for (const paragraph of body.split("\n\n")) {
    for (const piece of cut(paragraph, max)) {
      if (size + piece.length > max) flush();
      part.push(piece);
      size += piece.length;
    }
  }
  flush();
  return parts.length ? parts : [[""]];
}

// Pieces of at most `max` characters, each ending at a space where there is one to end at.
function cut(paragraph: string, max: number): string[] {
  const out: string[] = [];
  let rest = paragraph;
  while (rest.length > max) {
    const space = rest.lastIndexOf(" ", max - 1);
    const at = space > max / 2 ? space + 1 : max;
    out.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  out.push(rest);
  return out;
}
