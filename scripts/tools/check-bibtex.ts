/**
 * Runs real BibTeX (with plain.bst) over the citations of every statement in a folder, and
 * fails on any error, warning about a repeated entry, or key that is not unique. BibTeX is
 * not a dependency of Readout: this is a check to run by hand where it is installed
 * (`apt-get install texlive-binaries texlive-base`).
 *
 *   npx tsx scripts/tools/check-bibtex.ts [DIR ...]     (default: tests/fixtures/data and hostile)
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { cite } from "../../src/out/cite.ts";
import { loadStatements, type Statement } from "../../src/ingest/load.ts";
import { urls } from "../../src/web/urls.ts";

const root = path.resolve(import.meta.dirname, "..", "..");
const dirs = process.argv.slice(2);
if (dirs.length === 0)
  dirs.push(
    path.join(root, "tests/fixtures/data"),
    path.join(root, "tests/fixtures/hostile"),
  );

// Whatever the folders hold, every character BibTeX or LaTeX reads as markup is tried.
const edges: Statement[] = [
  "back\\slash ~tilde ^caret",
  "one { unbalanced brace",
  "} closing first {",
  "50% & $5 #1 a_b <i> |x|",
  "\\end{document} \\input{/etc/passwd} @misc{x,",
  "Vladimir Putin and President Biden",
].map((title, i) => ({
  id: `edge/${i}/${title}`,
  title,
  ...(i % 2 ? { source: `Source ${title}` } : {}),
  date: `2024-0${i + 1}-0${i + 1}`,
  url: `https://example.org/${i}-%e2%81%a0/{x}`,
  body: "b",
  meta: {},
  origin: { file: "edge.jsonl" },
}));

const all = [
  edges,
  ...(await Promise.all(
    dirs.map(async (d) => (await loadStatements(d)).statements),
  )),
].flat();
// Each statement is cited as a server with a public address cites it, then as one without
// (`--public-url`), where the citation names the original's URL or file instead.
let failed = false;
for (const base of ["https://archive.example.org", undefined]) {
  const entries = all.map(
    (s) =>
      cite(s, base && `${base}${urls.statement(s.id)}`, "2026-01-01").bibtex,
  );
  console.log(base ? `With the permalink ${base}/…:` : "Without a permalink:");
  if (!(await check(entries))) failed = true;
}
process.exitCode = failed ? 1 : 0;

async function check(entries: string[]): Promise<boolean> {
  const keys = new Map<string, number>();
  for (const bibtex of entries) {
    const key = bibtex.slice("@misc{".length, bibtex.indexOf(","));
    keys.set(key, (keys.get(key) ?? 0) + 1);
  }
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
    if (run.error) {
      console.error(`check-bibtex: cannot run bibtex: ${run.error.message}`);
      process.exit(2);
    }
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
    const shared = [...keys].filter(([, n]) => n > 1);
    const items = bbl.match(/\\bibitem/g)?.length ?? 0;
    console.log(
      `${entries.length.toLocaleString("en")} entries from ${dirs.length} folder(s); ` +
        `${items.toLocaleString("en")} \\bibitem in the .bbl; ` +
        `${shared.length} key(s) shared; bibtex exit ${run.status}; ` +
        `${problems.length} warning or error line(s)`,
    );
    for (const line of problems.slice(0, 20)) console.log(`  ${line}`);
    for (const [key, n] of shared.slice(0, 20))
      console.log(`  key ${key} × ${n}`);
    const ok =
      run.status === 0 &&
      items === entries.length &&
      shared.length === 0 &&
      !problems.some((l) => !/^Warning--(empty|to sort, need)/.test(l));
    if (process.env.KEEP) console.log(`files kept in ${work}`);
    return ok;
  } finally {
    if (!process.env.KEEP) await rm(work, { recursive: true, force: true });
  }
}
