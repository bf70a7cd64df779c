import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/** What real BibTeX (plain.bst) made of some entries. */
export interface BibtexRun {
  /** BibTeX's exit status. */
  status: number | null;
  /** `\bibitem`s in the .bbl: one per entry when every entry was read. */
  items: number;
  /** Warning and error lines of its log. */
  problems: string[];
  /** Exit 0, an item per entry, and no warning but "empty field" and "to sort, need". */
  ok: boolean;
}

/**
 * Runs BibTeX over `entries` (each an `@misc{…}` entry), citing them all; undefined when
 * BibTeX is not installed (`apt-get install texlive-binaries texlive-base`). Set KEEP=1 to keep
 * its files.
 */
export async function runBibtex(
  entries: string[],
): Promise<BibtexRun | undefined> {
  if (spawnSync("bibtex", ["--version"]).error) return undefined;
  const work = await mkdtemp(path.join(tmpdir(), "readout-bibtex-"));
  try {
    await writeFile(path.join(work, "refs.bib"), entries.join("\n\n") + "\n");
    await writeFile(
      path.join(work, "refs.aux"),
      "\\relax\n\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n",
    );
    const run = spawnSync("bibtex", ["-min-crossrefs=100", "refs"], {
      cwd: work,
      encoding: "utf8",
    });
    const log = await readFile(path.join(work, "refs.blg"), "utf8");
    const bbl = await readFile(path.join(work, "refs.bbl"), "utf8").catch(
      () => "",
    );
    const problems = log
      .split("\n")
      .filter((l) =>
        /^Warning--|error message|^I was expecting|Repeated entry|---line/.test(
          l,
        ),
      );
    const items = bbl.match(/\\bibitem/g)?.length ?? 0;
    if (process.env.KEEP) console.log(`files kept in ${work}`);
    return {
      status: run.status,
      items,
      problems,
      ok:
        run.status === 0 &&
        items === entries.length &&
        !problems.some((l) => !/^Warning--(empty|to sort, need)/.test(l)),
    };
  } finally {
    if (!process.env.KEEP) await rm(work, { recursive: true, force: true });
  }
}

/** A .bib file's entries, split where each `@` starts a line. */
export function bibEntries(text: string): string[] {
  return text
    .split(/\n(?=@)/)
    .map((e) => e.trim())
    .filter(Boolean);
}
