/**
 * Runs real BibTeX (with plain.bst) over the citations of every statement in a folder, and
 * fails on any error, warning about a repeated entry, or key that is not unique. BibTeX is
 * not a dependency of Readout: this is a check to run by hand where it is installed
 * (`apt-get install texlive-binaries texlive-base`).
 *
 *   npx tsx scripts/tools/check-bibtex.ts [DIR ...]     (default: tests/fixtures/data and hostile)
 */
import path from "node:path";
import { runBibtex } from "./bibtex.ts";
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
  const keys = new Map<string, number>();
  for (const bibtex of entries) {
    const key = bibtex.slice("@misc{".length, bibtex.indexOf(","));
    keys.set(key, (keys.get(key) ?? 0) + 1);
  }
  const run = await runBibtex(entries);
  if (!run) {
    console.error("check-bibtex: cannot run bibtex: it is not installed");
    process.exit(2);
  }
  const shared = [...keys].filter(([, n]) => n > 1);
  console.log(
    `${base ? `With the permalink ${base}/…` : "Without a permalink"}: ` +
      `${entries.length.toLocaleString("en")} entries from ${dirs.length} folder(s); ` +
      `${run.items.toLocaleString("en")} \\bibitem in the .bbl; ` +
      `${shared.length} key(s) shared; bibtex exit ${run.status}; ` +
      `${run.problems.length} warning or error line(s)`,
  );
  for (const line of run.problems.slice(0, 20)) console.log(`  ${line}`);
  for (const [key, n] of shared.slice(0, 20))
    console.log(`  key ${key} × ${n}`);
  if (!run.ok || shared.length) failed = true;
}
process.exitCode = failed ? 1 : 0;
